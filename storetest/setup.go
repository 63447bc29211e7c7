package storetest

import (
	"sync"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/store"
)

// testFirstUser: the first administrator is created only while no user
// exists, once, even when two try at the same moment.
func testFirstUser(t *testing.T, db *store.DB) {
	has, err := db.HasUsers(ctx(t))
	if err != nil || has {
		t.Fatalf("new store: HasUsers = %v, %v; want false", has, err)
	}
	admin := func(email string) aftersale.User {
		return aftersale.User{Email: email, Name: "First", Role: aftersale.RoleAdmin}
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, email := range []string{"a@shop.test", "b@shop.test"} {
		wg.Go(func() { _, errs[i] = db.CreateFirstUser(ctx(t), admin(email), "") })
	}
	wg.Wait()
	created := 0
	for _, err := range errs {
		switch aftersale.KindOf(err) {
		case "":
			created++
		case aftersale.Conflict:
		default:
			t.Errorf("concurrent first users: %v", err)
		}
	}
	if created != 1 {
		t.Fatalf("%d first users created by two concurrent attempts, want 1 (%v)", created, errs)
	}
	if has, err := db.HasUsers(ctx(t)); err != nil || !has {
		t.Fatalf("after the first user: HasUsers = %v, %v", has, err)
	}
	if _, err := db.CreateFirstUser(ctx(t), admin("c@shop.test"), ""); aftersale.KindOf(err) != aftersale.Conflict {
		t.Errorf("a later first user: %v, want a Conflict", err)
	}
	if _, err := db.CreateFirstUser(ctx(t), aftersale.User{Email: "not an address", Role: aftersale.RoleAdmin}, ""); aftersale.KindOf(err) != aftersale.Invalid {
		t.Errorf("an invalid first user: %v, want Invalid", err)
	}
}
