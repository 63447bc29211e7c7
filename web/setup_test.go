package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// A new installation, without accounts, leads its first visitor to create
// the administrator, loads the sample data, and gives its distributor a
// password shown once; after that, setting up is closed.
func TestSetup(t *testing.T) {
	e := newEnvWith(t, nil)
	b := e.browser("en")
	if p := b.get("/"); !strings.Contains(p.Body, `href="/setup"`) {
		t.Fatalf("a new installation's home page does not offer the setup:\n%s", p.Body)
	}
	if p := b.get("/login"); p.Status != http.StatusSeeOther || p.Location != "/setup" {
		t.Errorf("sign-in on a new installation: %d to %q, want 303 to /setup", p.Status, p.Location)
	}
	form := func(pw, pw2 string) url.Values {
		return url.Values{"name": {"Olga Owner"}, "email": {"owner@shop.test"}, "password": {pw}, "password2": {pw2}, "sample": {"on"}}
	}
	refusals := []struct {
		name, lang string
		form       url.Values
		want       string
	}{
		{"passwords differ", "en", form("correct horse battery", "correct horse batterz"), `id="password2-error">The two passwords differ.`},
		{"passwords differ, zh", "zh", form("correct horse battery", "x"), "两次输入的密码不一致。"},
		{"too short", "en", form("short", "short"), `id="password-error">the password is too short`},
		{"no name", "en", url.Values{"email": {"owner@shop.test"}, "password": {"correct horse battery"}, "password2": {"correct horse battery"}}, `id="name-error">`},
		{"not an address", "en", url.Values{"name": {"O"}, "email": {"owner"}, "password": {"correct horse battery"}, "password2": {"correct horse battery"}}, `id="email-error">`},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			p := e.browser(tt.lang).post("/setup", tt.form)
			if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, tt.want) {
				t.Errorf("got %d, want 422 with %q\n%s", p.Status, tt.want, p.Body)
			}
		})
	}
	if has, err := e.db.HasUsers(t.Context()); err != nil || has {
		t.Fatalf("refused setups created a user: %v %v", has, err)
	}

	p := b.post("/setup", form("correct horse battery", "correct horse battery"))
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "You are signed in as owner@shop.test") {
		t.Fatalf("setup: %d\n%s", p.Status, p.Body)
	}
	field := func(id string) string {
		m := regexp.MustCompile(`id="` + id + `">([^<]+)<`).FindStringSubmatch(p.Body)
		if m == nil {
			t.Fatalf("the done page lacks #%s:\n%s", id, p.Body)
		}
		return m[1]
	}
	order, email, distUser, distPassword := field("try-order"), field("try-email"), field("dist-user"), field("dist-password")
	if q := b.get("/staff"); q.Status != http.StatusOK {
		t.Errorf("the new administrator cannot open the console: %d", q.Status)
	}
	// The sample's sale is there to try: its warranty, and the claim form
	// accepting its e-mail address.
	if q := b.get("/warranty?q=" + url.QueryEscape(order)); q.Status != http.StatusOK {
		t.Errorf("the sample's order %s: %d", order, q.Status)
	}
	if email == "" {
		t.Error("no e-mail to try the claim with")
	}
	// The distributor's account works with the password shown.
	d := e.browser("en")
	if q := d.post("/login", url.Values{"email": {distUser}, "password": {distPassword}}); q.Status != http.StatusSeeOther || q.Location != "/distributor" {
		t.Errorf("the sample distributor's sign-in: %d to %q", q.Status, q.Location)
	}
	// Setting up is closed now, for everybody.
	if q := e.browser("en").post("/setup", url.Values{"name": {"Mallory"}, "email": {"m@evil.test"}, "password": {"correct horse battery"}, "password2": {"correct horse battery"}}); q.Status != http.StatusConflict {
		t.Errorf("a second setup: %d, want 409", q.Status)
	}
	if q := e.browser("en").get("/setup"); q.Status != http.StatusSeeOther || q.Location != "/login" {
		t.Errorf("the setup page after setup: %d to %q", q.Status, q.Location)
	}
	if q := e.browser("en").get("/"); strings.Contains(q.Body, `href="/setup"`) {
		t.Error("the home page still offers the setup")
	}
	e.noMissingMessages()
}

// The setup is offered only to the server's own machine.
func TestSetupOnlyFromLoopback(t *testing.T) {
	e := newEnvWith(t, nil)
	req := httptest.NewRequest(http.MethodPost, "/setup", strings.NewReader("name=M&email=m%40evil.test&password=correct+horse+battery&password2=correct+horse+battery"))
	req.RemoteAddr = "203.0.113.9:4000"
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	e.srv.Config.Handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Errorf("a setup from 203.0.113.9: %d, want 403", rec.Code)
	}
	if has, err := e.db.HasUsers(t.Context()); err != nil || has {
		t.Errorf("a remote setup created a user: %v %v", has, err)
	}
}
