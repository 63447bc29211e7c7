package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestUserAdd(t *testing.T) {
	env := map[string]string{"AFTERSALE_DATA_DIR": t.TempDir()}
	add := []string{"user", "add", "--email", "Root@Example.com", "--name", "Rita Root", "--role", "admin", "--password-stdin"}
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		stdout      string // a part of it
		stderr      string // a part of it
	}{
		{"short password", "hunter2\n", add, 2, "", "the password is too short: 7 characters, at least 12"},
		{"password is the e-mail", "root@example.com\n", add, 2, "", "must not be the e-mail address"},
		{"empty input", "", add, 2, "", "standard input is empty"},
		{"no terminal", "", add[:len(add)-1], 2, "", "give the password with --password-stdin"},
		{"unknown role", "correct horse battery\n", []string{"user", "add", "--email", "a@example.com", "--name", "A", "--role", "boss", "--password-stdin"}, 2, "", "boss"},
		{"strong password", "correct horse battery\r\n", add, 0, "added root@example.com (admin), user 1", ""},
		{"e-mail taken", "correct horse battery\n", add, 2, "", "a user with e-mail root@example.com already exists"},
		{"distributor without code", "correct horse battery\n", []string{"user", "add", "--email", "d@example.com", "--name", "D", "--role", "distributor", "--password-stdin"}, 2, "", "needs a distributor code"},
		{"an agent", "another good passphrase\n", []string{"user", "add", "--email", "agent@example.com", "--name", "Alex Agent", "--role", "agent", "--password-stdin"}, 0, "added agent@example.com (agent), user 2", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, env, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("exit %d, out %q, err %q; want exit %d, out with %q, err with %q", code, out, errOut, tt.code, tt.stdout, tt.stderr)
			}
			if strings.Contains(out+errOut, strings.TrimSpace(tt.stdin)) && tt.stdin != "" && code == 0 {
				t.Errorf("the password shows in the output")
			}
		})
	}

	out, _, code := runCLI(t, env, "", "user", "list")
	if code != 0 || !regexp.MustCompile(`1\s+root@example.com\s+Rita Root\s+admin\s+-\s+active`).MatchString(out) ||
		!regexp.MustCompile(`2\s+agent@example.com\s+Alex Agent\s+agent\s+-\s+active`).MatchString(out) {
		t.Errorf("user list: exit %d\n%s", code, out)
	}
}

func TestUserChanges(t *testing.T) {
	env := map[string]string{"AFTERSALE_DATA_DIR": t.TempDir()}
	mustRun(t, env, "correct horse battery\n", "user", "add", "--email", "root@example.com", "--name", "Root", "--role", "admin", "--password-stdin")
	mustRun(t, env, "correct horse battery\n", "user", "add", "--email", "ann@example.com", "--name", "Ann", "--role", "agent", "--password-stdin")
	tests := []struct {
		args   []string
		code   int
		output string // stdout on success, stderr otherwise
	}{
		{[]string{"user", "set-role", "ann@example.com", "manager"}, 0, "ann@example.com is now manager"},
		{[]string{"user", "set-role", "ANN@example.com", "inspector"}, 0, "ann@example.com is now inspector"},
		{[]string{"user", "set-role", "ghost@example.com", "agent"}, 2, "no user has e-mail ghost@example.com"},
		{[]string{"user", "set-role", "ann@example.com", "distributor", "--distributor", "NOPE"}, 2, `distributor "NOPE" does not exist`},
		{[]string{"user", "set-role", "root@example.com", "agent"}, 2, "cannot demote the last active admin"},
		{[]string{"user", "disable", "root@example.com"}, 2, "cannot disable the last active admin"},
		{[]string{"user", "disable", "ann@example.com"}, 0, "ann@example.com disabled"},
		{[]string{"user", "enable", "ann@example.com"}, 0, "ann@example.com enabled"},
		{[]string{"user", "set-password", "ann@example.com", "--password-stdin"}, 0, "password of ann@example.com changed"},
	}
	for _, tt := range tests {
		out, errOut, code := runCLI(t, env, "a new long passphrase\n", tt.args...)
		got := out
		if tt.code != 0 {
			got = errOut
		}
		if code != tt.code || !strings.Contains(got, tt.output) {
			t.Errorf("%v: exit %d, out %q, err %q; want exit %d with %q", tt.args, code, out, errOut, tt.code, tt.output)
		}
	}
	out := mustRun(t, env, "", "user", "list")
	if !regexp.MustCompile(`ann@example.com\s+Ann\s+inspector\s+-\s+active`).MatchString(out) {
		t.Errorf("user list:\n%s", out)
	}
}

func TestTokenCommands(t *testing.T) {
	env := map[string]string{"AFTERSALE_DATA_DIR": t.TempDir()}
	mustRun(t, env, "correct horse battery\n", "user", "add", "--email", "root@example.com", "--name", "Root", "--role", "admin", "--password-stdin")
	out, errOut, code := runCLI(t, env, "", "token", "create", "--user", "Root@example.com", "--name", "erp-sync")
	secret := strings.TrimSpace(out)
	if code != 0 || !regexp.MustCompile(`^as_[A-Za-z0-9_-]{43}$`).MatchString(secret) || !strings.Contains(errOut, "not shown again") {
		t.Fatalf("token create: exit %d, out %q, err %q", code, out, errOut)
	}
	out = mustRun(t, env, "", "token", "list", "--user", "root@example.com")
	if !regexp.MustCompile(`1\s+`+regexp.QuoteMeta(secret[:9])+`…\s+erp-sync\s+\d{4}-\d\d-\d\d \d\d:\d\dZ\s+-\s+-`).MatchString(out) || strings.Contains(out, secret) {
		t.Errorf("token list:\n%s", out)
	}
	mustRun(t, env, "", "token", "revoke", "1")
	if out := mustRun(t, env, "", "token", "list", "--user", "root@example.com"); !regexp.MustCompile(`erp-sync\s+\S+ \S+\s+-\s+\d{4}-\d\d-\d\d`).MatchString(out) {
		t.Errorf("token list after revoking:\n%s", out)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"token", "revoke", "99"}, "no API token has id 99"},
		{[]string{"token", "revoke", "abc"}, `"abc" is not a token id`},
		{[]string{"token", "create", "--user", "ghost@example.com", "--name", "x"}, "no user has e-mail ghost@example.com"},
		{[]string{"token", "create", "--user", "root@example.com", "--name", " "}, "needs a name"},
		{[]string{"token", "list", "--user", "ghost@example.com"}, "no user has e-mail ghost@example.com"},
	} {
		if out, errOut, code := runCLI(t, env, "", tt.args...); code != 2 || out != "" || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, out %q, err %q; want exit 2 with %q", tt.args, code, out, errOut, tt.want)
		}
	}
}

func mustRun(t *testing.T, env map[string]string, stdin string, args ...string) string {
	t.Helper()
	out, errOut, code := runCLI(t, env, stdin, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d, %s", args, code, errOut)
	}
	return out
}

// TestServeWithToken creates the first admin and a token with the CLI, then
// asks the real server who is calling.
func TestServeWithToken(t *testing.T) {
	env := map[string]string{"AFTERSALE_ADDR": "127.0.0.1:0", "AFTERSALE_DATA_DIR": t.TempDir()}
	mustRun(t, env, "correct horse battery\n", "user", "add", "--email", "root@example.com", "--name", "Root", "--role", "admin", "--password-stdin")
	secret := strings.TrimSpace(mustRun(t, env, "", "token", "create", "--user", "root@example.com", "--name", "smoke"))

	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		}
	}
	defer stop()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	url := strings.TrimPrefix(strings.TrimSpace(line), "aftersale listening on ")

	for _, tt := range []struct {
		authorization string
		status        int
		want          string
	}{
		{"Bearer " + secret, 200, `"email":"root@example.com","name":"Root","role":"admin","token":{"id":1,"name":"smoke"}`},
		{"", 401, `"status":401`},
		{"Basic cm9vdDpyb290", 401, `Bearer as_`},
	} {
		req, _ := http.NewRequest(http.MethodGet, url+"/api/v1/me", nil)
		if tt.authorization != "" {
			req.Header.Set("Authorization", tt.authorization)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.want) {
			t.Errorf("GET /api/v1/me with %q: %d %s; want %d with %s", tt.authorization, resp.StatusCode, body, tt.status, tt.want)
		}
	}
	// A browser's cross-site write is refused before it reaches the API.
	req, _ := http.NewRequest(http.MethodPost, url+"/api/v1/session", strings.NewReader(`{"email":"root@example.com","password":"correct horse battery"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site sign-in: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	// The server recorded the token's use.
	stop()
	out := mustRun(t, env, "", "token", "list", "--user", "root@example.com")
	if !regexp.MustCompile(`smoke\s+\S+ \S+\s+\d{4}-\d\d-\d\d \d\d:\d\dZ\s+-`).MatchString(out) {
		t.Errorf("token list after use:\n%s", out)
	}
}
