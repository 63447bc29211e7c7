package workflow_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/internal/fixture"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

func newUsers(t *testing.T) (*workflow.Users, *store.DB) {
	t.Helper()
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "a.db"), store.WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fixture.Seed(t, db)
	hash := func(password, email string) (string, error) {
		if len(password) < 12 {
			return "", &aftersale.Error{Kind: aftersale.Invalid, Field: "password", Message: "too short"}
		}
		return "hash:" + password, nil
	}
	return &workflow.Users{Store: db, Hash: hash}, db
}

func TestUsers(t *testing.T) {
	us, db := newUsers(t)
	ctx := t.Context()
	admin, err := db.CreateUser(ctx, aftersale.User{Email: "admin@shop.test", Name: "Ada", Role: aftersale.RoleAdmin}, "")
	if err != nil {
		t.Fatal(err)
	}
	mgr, err := db.CreateUser(ctx, aftersale.User{Email: "manager@shop.test", Name: "Mia", Role: aftersale.RoleManager}, "")
	if err != nil {
		t.Fatal(err)
	}
	adminActor := aftersale.Actor{UserID: admin.ID, Email: admin.Email, Role: aftersale.RoleAdmin}
	mgrActor := aftersale.Actor{UserID: mgr.ID, Email: mgr.Email, Role: aftersale.RoleManager}
	bob, err := us.Add(ctx, mgrActor, workflow.NewUser{Email: " Bob@Shop.test ", Name: "Bob", Role: aftersale.RoleAgent, Password: "correct horse battery"})
	if err != nil || bob.Email != "bob@shop.test" || !bob.Active {
		t.Fatalf("manager adds an agent: %+v, %v", bob, err)
	}
	tests := []struct {
		name  string
		do    func() error
		kind  aftersale.ErrorKind
		field string
	}{
		{"an agent cannot list users", func() error { _, err := us.List(ctx, agent); return err }, aftersale.Forbidden, ""},
		{"a manager cannot add an admin", func() error {
			_, err := us.Add(ctx, mgrActor, workflow.NewUser{Email: "x@shop.test", Name: "X", Role: aftersale.RoleAdmin, Password: "correct horse battery"})
			return err
		}, aftersale.Forbidden, "role"},
		{"a short password is refused", func() error {
			_, err := us.Add(ctx, mgrActor, workflow.NewUser{Email: "y@shop.test", Name: "Y", Role: aftersale.RoleAgent, Password: "short"})
			return err
		}, aftersale.Invalid, "password"},
		{"a distributor user needs its distributor", func() error {
			_, err := us.Add(ctx, mgrActor, workflow.NewUser{Email: "d@dist.test", Name: "D", Role: aftersale.RoleDistributor, Password: "correct horse battery"})
			return err
		}, aftersale.Invalid, "distributor_code"},
		{"a taken e-mail is a conflict", func() error {
			_, err := us.Add(ctx, mgrActor, workflow.NewUser{Email: "bob@shop.test", Name: "B", Role: aftersale.RoleAgent, Password: "correct horse battery"})
			return err
		}, aftersale.Conflict, "email"},
		{"a manager cannot make an admin", func() error { _, err := us.SetRole(ctx, mgrActor, bob.ID, aftersale.RoleAdmin, ""); return err }, aftersale.Forbidden, "role"},
		{"a manager cannot demote an admin", func() error { _, err := us.SetRole(ctx, mgrActor, admin.ID, aftersale.RoleAgent, ""); return err }, aftersale.Forbidden, "role"},
		{"a manager cannot disable an admin", func() error { _, err := us.SetActive(ctx, mgrActor, admin.ID, false); return err }, aftersale.Forbidden, "role"},
		{"nobody disables themself", func() error { _, err := us.SetActive(ctx, adminActor, admin.ID, false); return err }, aftersale.Conflict, "id"},
		{"an unknown user", func() error { _, err := us.SetActive(ctx, adminActor, 9999, false); return err }, aftersale.NotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			var ae *aftersale.Error
			if aftersale.KindOf(err) != tt.kind || (tt.field != "" && (!errors.As(err, &ae) || ae.Field != tt.field)) {
				t.Errorf("got %v (%s), want %s on %q", err, aftersale.KindOf(err), tt.kind, tt.field)
			}
		})
	}
	if u, err := us.SetRole(ctx, adminActor, bob.ID, aftersale.RoleAdmin, ""); err != nil || u.Role != aftersale.RoleAdmin {
		t.Errorf("an admin makes an admin: %+v %v", u, err)
	}
	if _, err := us.SetRole(ctx, adminActor, bob.ID, aftersale.RoleDistributor, "DIST-EU"); err != nil {
		t.Errorf("an admin makes a distributor user: %v", err)
	}
	if _, err := us.SetActive(ctx, mgrActor, bob.ID, false); err != nil {
		t.Errorf("a manager disables a distributor user: %v", err)
	}
	list, err := us.List(ctx, mgrActor)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range list {
		got = append(got, u.Email+":"+string(u.Role)+":"+u.DistributorCode+":"+map[bool]string{true: "on", false: "off"}[u.Active])
	}
	if want := "admin@shop.test:admin::on bob@shop.test:distributor:DIST-EU:off manager@shop.test:manager::on"; strings.Join(got, " ") != want {
		t.Errorf("users %q, want %q", strings.Join(got, " "), want)
	}
}

func TestCatalogProducts(t *testing.T) {
	_, db := newUsers(t)
	cat := &workflow.Catalog{Read: db}
	var skus []string
	after := ""
	for {
		page, err := cat.Products(t.Context(), inspector, after, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Products {
			skus = append(skus, p.SKU)
			if p.SKU == "KIT-ARM" && len(p.Components) != 3 {
				t.Errorf("KIT-ARM components %v", p.Components)
			}
		}
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	if got := strings.Join(skus, " "); got != "KIT-ARM MOD-MAIN SCREW-SET SERVO-MG" {
		t.Errorf("catalog %q", got)
	}
	for _, a := range []aftersale.Actor{distEU, {}} {
		if _, err := cat.Products(t.Context(), a, "", 0); aftersale.KindOf(err) != aftersale.Forbidden && aftersale.KindOf(err) != aftersale.Unauthorized {
			t.Errorf("%s sees the catalog: %v", a, err)
		}
	}
	if _, err := cat.Products(t.Context(), manager, "", 500); aftersale.KindOf(err) != aftersale.Invalid {
		t.Errorf("limit 500: %v", err)
	}
}
