package auth_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/internal/authtest"
)

func TestHashPasswordRoundTrip(t *testing.T) {
	for name, p := range map[string]auth.Params{"test": authtest.Params, "default": auth.DefaultParams} {
		t.Run(name, func(t *testing.T) {
			h, err := auth.HashPassword("correct horse battery", p)
			if err != nil {
				t.Fatal(err)
			}
			prefix := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$", p.Memory, p.Time, p.Threads)
			if !strings.HasPrefix(h, prefix) {
				t.Errorf("hash %q does not start with %q", h, prefix)
			}
			got, _, key, err := auth.ParseHash(h)
			if err != nil || got != p || len(key) != int(p.KeyLen) {
				t.Errorf("ParseHash = %+v, %d-byte key, %v; want %+v", got, len(key), err, p)
			}
			for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterY": false, "": false} {
				if ok, err := auth.VerifyPassword(pw, h); ok != want || err != nil {
					t.Errorf("VerifyPassword(%q) = %v, %v; want %v", pw, ok, err, want)
				}
			}
			again, _ := auth.HashPassword("correct horse battery", p)
			if again == h {
				t.Error("two hashes of one password are equal: the salt is not random")
			}
		})
	}
}

// TestVerifyHonoursParameters changes the parameters written in a hash: the
// same salt and key no longer verify, so Verify computes with what the hash
// says rather than with fixed parameters.
func TestVerifyHonoursParameters(t *testing.T) {
	h, err := auth.HashPassword("correct horse battery", authtest.Params)
	if err != nil {
		t.Fatal(err)
	}
	for _, params := range []string{"m=72,t=1,p=1", "m=64,t=2,p=1", "m=64,t=1,p=2"} {
		changed := strings.Replace(h, "m=64,t=1,p=1", params, 1)
		if ok, err := auth.VerifyPassword("correct horse battery", changed); ok || err != nil {
			t.Errorf("%s: verified %v, %v; want a mismatch", params, ok, err)
		}
	}
	if !auth.NeedsRehash(h, auth.DefaultParams) || auth.NeedsRehash(h, authtest.Params) {
		t.Error("NeedsRehash does not compare the parameters")
	}
}

func TestMalformedHashes(t *testing.T) {
	good, _ := auth.HashPassword("correct horse battery", authtest.Params)
	parts := strings.Split(good, "$")
	for name, h := range map[string]string{
		"empty":        "",
		"bcrypt":       "$2a$10$abcdefghijklmnopqrstuv",
		"argon2i":      strings.Replace(good, "argon2id", "argon2i", 1),
		"old version":  strings.Replace(good, "v=19", "v=16", 1),
		"bad params":   strings.Replace(good, "m=64,t=1,p=1", "m=x,t=1,p=1", 1),
		"huge memory":  strings.Replace(good, "m=64", "m=99999999", 1),
		"zero time":    strings.Replace(good, "t=1", "t=0", 1),
		"bad salt":     strings.Join([]string{"", parts[1], parts[2], parts[3], "!!!", parts[5]}, "$"),
		"short key":    strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$"),
		"extra fields": good + "$x",
	} {
		if ok, err := auth.VerifyPassword("correct horse battery", h); ok || err == nil {
			t.Errorf("%s: VerifyPassword = %v, %v; want an error", name, ok, err)
		}
	}
	if _, err := auth.HashPassword("x", auth.Params{Memory: 1, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}); err == nil {
		t.Error("HashPassword accepted parameters below argon2's minimum")
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		password, email string
		want            string // in the message; "" for accepted
	}{
		{"short", "a@example.com", "too short: 5 characters, at least 12"},
		{"elevenchars", "a@example.com", "too short: 11"},
		{"twelve chars", "a@example.com", ""},
		{"ünïcödé-pässwörd", "a@example.com", ""},
		{"äöüäöüäöüäö", "a@example.com", "too short: 11"}, // characters, not bytes
		{"Alice@Example.com", "alice@example.com", "must not be the e-mail address"},
		{strings.Repeat("x", 257), "a@example.com", "too long"},
		{strings.Repeat("x", 256), "a@example.com", ""},
	}
	for _, tt := range tests {
		err := auth.CheckPassword(tt.password, tt.email)
		if tt.want == "" {
			if err != nil {
				t.Errorf("CheckPassword(%q) = %v, want nil", tt.password, err)
			}
			continue
		}
		if aftersale.KindOf(err) != aftersale.Invalid || !strings.Contains(aftersale.MessageOf(err), tt.want) {
			t.Errorf("CheckPassword(%q) = %v, want Invalid containing %q", tt.password, err, tt.want)
		}
	}
}
