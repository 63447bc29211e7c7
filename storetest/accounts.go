package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/store"
	"github.com/google/go-cmp/cmp"
)

// addUser creates a user or fails the test.
func addUser(t *testing.T, db *store.DB, email string, role aftersale.Role, distributor string) aftersale.User {
	t.Helper()
	u, err := db.CreateUser(ctx(t), aftersale.User{Email: email, Name: "Name of " + email, Role: role, DistributorCode: distributor}, "$argon2id$stub")
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", email, err)
	}
	return u
}

func testUsersRoundTrip(t *testing.T, db *store.DB) {
	if err := db.UpsertDistributors(ctx(t), distributors()); err != nil {
		t.Fatal(err)
	}
	before := testday.Now().UTC().Add(-time.Second)
	admin := addUser(t, db, " Root@Example.COM ", aftersale.RoleAdmin, "")
	dist := addUser(t, db, "sales@robots.de", aftersale.RoleDistributor, "DIST-DE")
	if admin.Email != "root@example.com" || admin.ID == 0 || !admin.Active || admin.CreatedAt.Before(before) || admin.CreatedAt.Location() != time.UTC {
		t.Errorf("created %+v", admin)
	}
	for _, lookup := range []func() (aftersale.User, error){
		func() (aftersale.User, error) { return db.UserByEmail(ctx(t), "ROOT@example.com") },
		func() (aftersale.User, error) { return db.UserByID(ctx(t), admin.ID) },
	} {
		got, err := lookup()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(admin, got); diff != "" {
			t.Errorf("read back (-created +read):\n%s", diff)
		}
	}
	users, err := db.ListUsers(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]aftersale.User{admin, dist}, users); diff != "" {
		t.Errorf("ListUsers (-want +got):\n%s", diff)
	}
	u, hash, err := db.Credentials(ctx(t), "root@example.com")
	if err != nil || hash != "$argon2id$stub" || u.ID != admin.ID {
		t.Errorf("Credentials: %v %q %+v", err, hash, u)
	}
	if err := db.SetPassword(ctx(t), admin.ID, "$argon2id$new"); err != nil {
		t.Fatal(err)
	}
	if _, hash, _ := db.Credentials(ctx(t), "root@example.com"); hash != "$argon2id$new" {
		t.Errorf("after SetPassword the hash is %q", hash)
	}
}

func testUserRefusals(t *testing.T, db *store.DB) {
	if err := db.UpsertDistributors(ctx(t), distributors()); err != nil {
		t.Fatal(err)
	}
	addUser(t, db, "taken@example.com", aftersale.RoleAgent, "")
	tests := []struct {
		name  string
		user  aftersale.User
		kind  aftersale.ErrorKind
		parts []string
	}{
		{"email taken", aftersale.User{Email: "Taken@Example.com", Name: "T", Role: aftersale.RoleAgent}, aftersale.Conflict, []string{"taken@example.com", "already exists"}},
		{"no address", aftersale.User{Email: "nobody", Name: "N", Role: aftersale.RoleAgent}, aftersale.Invalid, []string{`"nobody"`}},
		{"no name", aftersale.User{Email: "a@b.c", Role: aftersale.RoleAgent}, aftersale.Invalid, []string{"no name"}},
		{"unknown role", aftersale.User{Email: "a@b.c", Name: "A", Role: "boss"}, aftersale.Invalid, []string{`"boss"`, "inspector"}},
		{"distributor without code", aftersale.User{Email: "a@b.c", Name: "A", Role: aftersale.RoleDistributor}, aftersale.Invalid, []string{"needs a distributor code"}},
		{"staff with code", aftersale.User{Email: "a@b.c", Name: "A", Role: aftersale.RoleAgent, DistributorCode: "DIST-DE"}, aftersale.Invalid, []string{"only distributor users"}},
		{"unknown distributor", aftersale.User{Email: "a@b.c", Name: "A", Role: aftersale.RoleDistributor, DistributorCode: "NOPE"}, aftersale.Invalid, []string{`"NOPE"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.CreateUser(ctx(t), tt.user, "")
			wantError(t, err, tt.kind, tt.parts...)
		})
	}
	_, err := db.UserByEmail(ctx(t), "ghost@example.com")
	wantError(t, err, aftersale.NotFound, "ghost@example.com")
	_, err = db.UserByID(ctx(t), 999)
	wantError(t, err, aftersale.NotFound, "999")
	wantError(t, db.SetPassword(ctx(t), 999, "x"), aftersale.NotFound, "999")
	wantError(t, db.SetUserActive(ctx(t), 999, false), aftersale.NotFound, "999")
	wantError(t, db.SetRole(ctx(t), 999, aftersale.RoleAgent, ""), aftersale.NotFound, "999")
}

func testRolesAndLastAdmin(t *testing.T, db *store.DB) {
	if err := db.UpsertDistributors(ctx(t), distributors()); err != nil {
		t.Fatal(err)
	}
	first := addUser(t, db, "first@example.com", aftersale.RoleAdmin, "")
	agent := addUser(t, db, "agent@example.com", aftersale.RoleAgent, "")
	wantError(t, db.SetUserActive(ctx(t), first.ID, false), aftersale.Conflict, "last active admin")
	wantError(t, db.SetRole(ctx(t), first.ID, aftersale.RoleManager, ""), aftersale.Conflict, "last active admin")
	wantError(t, db.SetRole(ctx(t), agent.ID, aftersale.RoleDistributor, ""), aftersale.Invalid, "distributor code")
	wantError(t, db.SetRole(ctx(t), agent.ID, aftersale.RoleDistributor, "NOPE"), aftersale.Invalid, `"NOPE"`)
	if err := db.SetRole(ctx(t), agent.ID, aftersale.RoleDistributor, "DIST-DE"); err != nil {
		t.Fatal(err)
	}
	if u, _ := db.UserByID(ctx(t), agent.ID); u.Role != aftersale.RoleDistributor || u.DistributorCode != "DIST-DE" {
		t.Errorf("after SetRole: %+v", u)
	}
	if err := db.SetRole(ctx(t), agent.ID, aftersale.RoleAdmin, ""); err != nil {
		t.Fatal(err)
	}
	// With a second admin, the first may go.
	if err := db.SetUserActive(ctx(t), first.ID, false); err != nil {
		t.Fatal(err)
	}
	if u, _ := db.UserByID(ctx(t), first.ID); u.Active || u.DistributorCode != "" {
		t.Errorf("after disabling: %+v", u)
	}
	wantError(t, db.SetRole(ctx(t), agent.ID, aftersale.RoleAgent, ""), aftersale.Conflict, "last active admin")
}

func testTokens(t *testing.T, db *store.DB) {
	addUser(t, db, "root@example.com", aftersale.RoleAdmin, "")
	u := addUser(t, db, "bot@example.com", aftersale.RoleAgent, "")
	nt, err := auth.GenerateToken()
	if err != nil {
		t.Fatal(err)
	}
	tok, err := db.CreateToken(ctx(t), u.ID, " erp-sync ", nt.Prefix, nt.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if tok.ID == 0 || tok.Name != "erp-sync" || tok.Prefix != nt.Prefix || !strings.HasPrefix(nt.Secret, tok.Prefix) {
		t.Errorf("created %+v", tok)
	}
	a, err := db.TokenActor(ctx(t), nt.Hash)
	want := aftersale.Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Role: aftersale.RoleAgent, TokenID: tok.ID, TokenName: "erp-sync"}
	if err != nil || a != want {
		t.Fatalf("TokenActor = %+v, %v; want %+v", a, err, want)
	}
	list, err := db.ListTokens(ctx(t), u.ID)
	if err != nil || len(list) != 1 || list[0].LastUsedAt.IsZero() || !list[0].RevokedAt.IsZero() || list[0].Prefix != nt.Prefix {
		t.Fatalf("ListTokens after use = %+v, %v", list, err)
	}

	_, err = db.TokenActor(ctx(t), auth.HashSecret("as_unknown"))
	wantError(t, err, aftersale.NotFound, "token")
	_, err = db.CreateToken(ctx(t), u.ID, "again", nt.Prefix, nt.Hash)
	wantError(t, err, aftersale.Conflict)
	_, err = db.CreateToken(ctx(t), 999, "ghost", nt.Prefix, auth.HashSecret("other"))
	wantError(t, err, aftersale.NotFound, "999")
	_, err = db.CreateToken(ctx(t), u.ID, "  ", nt.Prefix, auth.HashSecret("other"))
	wantError(t, err, aftersale.Invalid, "name")

	// A disabled user's token is refused, and stays refused once the user
	// is enabled again: disabling revoked it.
	if err := db.SetUserActive(ctx(t), u.ID, false); err != nil {
		t.Fatal(err)
	}
	_, err = db.TokenActor(ctx(t), nt.Hash)
	wantError(t, err, aftersale.NotFound, "disabled")
	if err := db.SetUserActive(ctx(t), u.ID, true); err != nil {
		t.Fatal(err)
	}
	_, err = db.TokenActor(ctx(t), nt.Hash)
	wantError(t, err, aftersale.NotFound, "revoked")
	if list, _ := db.ListTokens(ctx(t), u.ID); len(list) != 1 || list[0].RevokedAt.IsZero() {
		t.Errorf("ListTokens after disabling = %+v, want the token revoked", list)
	}
	nt, _ = auth.GenerateToken()
	tok, err = db.CreateToken(ctx(t), u.ID, "after", nt.Prefix, nt.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.TokenActor(ctx(t), nt.Hash); err != nil {
		t.Errorf("a token made after enabling: %v", err)
	}

	for range 2 { // revoking twice is no error
		if err := db.RevokeToken(ctx(t), tok.ID); err != nil {
			t.Fatal(err)
		}
	}
	_, err = db.TokenActor(ctx(t), nt.Hash)
	wantError(t, err, aftersale.NotFound, "revoked")
	if list, _ := db.ListTokens(ctx(t), u.ID); len(list) != 2 || list[1].RevokedAt.IsZero() {
		t.Errorf("ListTokens after revoking = %+v", list)
	}
	wantError(t, db.RevokeToken(ctx(t), 999), aftersale.NotFound, "999")
}

func testSessions(t *testing.T, db *store.DB) {
	addUser(t, db, "root@example.com", aftersale.RoleAdmin, "")
	u := addUser(t, db, "agent@example.com", aftersale.RoleAgent, "")
	live, expired := auth.HashSecret("live"), auth.HashSecret("expired")
	if err := db.CreateSession(ctx(t), u.ID, live, testday.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSession(ctx(t), u.ID, expired, testday.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if a, err := db.SessionActor(ctx(t), live); err != nil || a.UserID != u.ID || a.Role != aftersale.RoleAgent || a.TokenID != 0 {
		t.Errorf("SessionActor = %+v, %v", a, err)
	}
	_, err := db.SessionActor(ctx(t), expired)
	wantError(t, err, aftersale.NotFound, "sign in again")
	wantError(t, db.CreateSession(ctx(t), 999, auth.HashSecret("x"), testday.Now().Add(time.Hour)), aftersale.NotFound, "999")

	// A new password ends every session of the user and revokes its API
	// tokens, not those of others.
	nt, _ := auth.GenerateToken()
	if _, err := db.CreateToken(ctx(t), u.ID, "erp", nt.Prefix, nt.Hash); err != nil {
		t.Fatal(err)
	}
	root, _ := db.UserByEmail(ctx(t), "root@example.com")
	rootToken, _ := auth.GenerateToken()
	if _, err := db.CreateToken(ctx(t), root.ID, "ci", rootToken.Prefix, rootToken.Hash); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPassword(ctx(t), u.ID, "$argon2id$new"); err != nil {
		t.Fatal(err)
	}
	_, err = db.SessionActor(ctx(t), live)
	wantError(t, err, aftersale.NotFound)
	_, err = db.TokenActor(ctx(t), nt.Hash)
	wantError(t, err, aftersale.NotFound, "revoked")
	if _, err := db.TokenActor(ctx(t), rootToken.Hash); err != nil {
		t.Errorf("another user's token after SetPassword: %v", err)
	}

	// Signing out ends the session; disabling the user ends the rest.
	again, other := auth.HashSecret("again"), auth.HashSecret("other")
	for _, h := range []string{again, other} {
		if err := db.CreateSession(ctx(t), u.ID, h, testday.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.DeleteSession(ctx(t), again); err != nil {
		t.Fatal(err)
	}
	_, err = db.SessionActor(ctx(t), again)
	wantError(t, err, aftersale.NotFound)
	if _, err := db.SessionActor(ctx(t), other); err != nil {
		t.Fatalf("the other session ended too: %v", err)
	}
	if err := db.SetUserActive(ctx(t), u.ID, false); err != nil {
		t.Fatal(err)
	}
	_, err = db.SessionActor(ctx(t), other)
	wantError(t, err, aftersale.NotFound)
}

// testSignInLimits: failed sign-ins are counted per address (with or
// without an account), make the next ones wait what the backoff says, do
// not hold up the address of the last successful sign-in, and are forgotten
// by a success. A stronger hash replaces the old one only if it is still
// the old one.
func testSignInLimits(t *testing.T, db *store.DB) {
	u := addUser(t, db, "agent@example.com", aftersale.RoleAgent, "")
	var counts []int
	backoff := func(n int) time.Duration {
		counts = append(counts, n)
		if n < 3 {
			return 0
		}
		return time.Duration(n) * time.Minute
	}
	wait := func(email, ip string) time.Duration {
		t.Helper()
		d, err := db.SignInWait(ctx(t), email, ip)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, email := range []string{"agent@example.com", "nobody@example.com"} {
		if d := wait(email, "192.0.2.1"); d != 0 {
			t.Errorf("%s waits %v before any failure", email, d)
		}
		counts = nil
		for range 4 {
			if _, err := db.SignInFailed(ctx(t), email, backoff); err != nil {
				t.Fatal(err)
			}
		}
		if !cmp.Equal(counts, []int{1, 2, 3, 4}) {
			t.Errorf("%s: backoff saw %v, want 1 2 3 4", email, counts)
		}
		if d := wait(email, "192.0.2.1"); d != 4*time.Minute {
			t.Errorf("%s waits %v after 4 failures, want 4m", email, d)
		}
	}
	// The owner signs in from 198.51.100.7: the count starts again, and
	// that address is not held up by later failures from elsewhere.
	if err := db.SignInSucceeded(ctx(t), "agent@example.com", "198.51.100.7"); err != nil {
		t.Fatal(err)
	}
	if d := wait("agent@example.com", "192.0.2.1"); d != 0 {
		t.Errorf("waits %v after a success", d)
	}
	counts = nil
	for range 3 {
		if _, err := db.SignInFailed(ctx(t), "agent@example.com", backoff); err != nil {
			t.Fatal(err)
		}
	}
	if !cmp.Equal(counts, []int{1, 2, 3}) {
		t.Errorf("backoff saw %v after a success, want 1 2 3", counts)
	}
	if d := wait("agent@example.com", "192.0.2.1"); d != 3*time.Minute {
		t.Errorf("an attacker's address waits %v, want 3m", d)
	}
	if d := wait("agent@example.com", "198.51.100.7"); d != 0 {
		t.Errorf("the owner's last address waits %v", d)
	}
	if d := wait("nobody@example.com", "192.0.2.1"); d != 4*time.Minute {
		t.Errorf("another address's count changed: waits %v", d)
	}
	// An address longer than any account's is not recorded.
	long := strings.Repeat("x", 300) + "@example.com"
	if _, err := db.SignInFailed(ctx(t), long, backoff); err != nil {
		t.Fatal(err)
	}

	// RehashPassword swaps the hash only if it is still the old one, and
	// ends nothing.
	if err := db.CreateSession(ctx(t), u.ID, auth.HashSecret("s"), testday.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.RehashPassword(ctx(t), u.ID, "$argon2id$other", "$argon2id$lost"); err != nil {
		t.Fatal(err)
	}
	if err := db.RehashPassword(ctx(t), u.ID, "$argon2id$stub", "$argon2id$stronger"); err != nil {
		t.Fatal(err)
	}
	if _, hash, _ := db.Credentials(ctx(t), u.Email); hash != "$argon2id$stronger" {
		t.Errorf("hash after RehashPassword = %q", hash)
	}
	if _, err := db.SessionActor(ctx(t), auth.HashSecret("s")); err != nil {
		t.Errorf("RehashPassword ended a session: %v", err)
	}
}
