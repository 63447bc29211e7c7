// Package auth holds credentials and who is calling: argon2id password
// hashes, API tokens, the Actor in a request's context, the HTTP middleware
// that resolves a bearer token, and rate limits on failed attempts.
//
// It stores nothing: the store implements the small interfaces declared
// here, so the HTTP layer never imports the store.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/aftersale/aftersale"
	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams are OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane):
// about 30 ms per hash on one core.
var DefaultParams = Params{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Limits on parameters read back from a stored hash, so a corrupt row cannot
// make one verification take gigabytes or minutes.
const (
	maxMemory = 1 << 21 // 2 GiB in KiB
	maxTime   = 64
	maxKeyLen = 128
)

var b64 = base64.RawStdEncoding // the PHC string format's alphabet, no padding

// HashPassword returns the PHC string of password under p:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(password string, p Params) (string, error) {
	if p.Memory < 8*uint32(p.Threads) || p.Time == 0 || p.Threads == 0 || p.SaltLen < 8 || p.KeyLen < 16 {
		return "", fmt.Errorf("hash password: parameters %+v are below argon2's minimum", p)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// errMalformedHash says a stored hash is not one of ours; it is an internal
// error, never the caller's fault.
var errMalformedHash = errors.New("stored password hash is not an argon2id PHC string")

// ParseHash returns the parameters, salt and key of a PHC string.
func ParseHash(encoded string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errMalformedHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("%w: version %q", errMalformedHash, parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("%w: parameters %q", errMalformedHash, parts[3])
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil {
		return p, nil, nil, fmt.Errorf("%w: salt: %v", errMalformedHash, err)
	}
	if key, err = b64.DecodeString(parts[5]); err != nil {
		return p, nil, nil, fmt.Errorf("%w: hash: %v", errMalformedHash, err)
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory || p.Time == 0 || p.Time > maxTime ||
		p.Threads == 0 || len(key) < 16 || len(key) > maxKeyLen {
		return p, nil, nil, fmt.Errorf("%w: parameters %q out of range", errMalformedHash, parts[3])
	}
	return p, salt, key, nil
}

// VerifyPassword reports whether password matches the PHC string encoded,
// under the parameters encoded in it, comparing in constant time. An error
// means the stored hash itself is unusable.
func VerifyPassword(password, encoded string) (bool, error) {
	p, salt, key, err := ParseHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded was made with weaker parameters than
// p, so a successful sign-in can store a fresh hash.
func NeedsRehash(encoded string, p Params) bool {
	have, _, _, err := ParseHash(encoded)
	return err != nil || have.Memory < p.Memory || have.Time < p.Time || have.KeyLen < p.KeyLen
}

// Password length limits, in characters. The maximum keeps hashing cheap to
// refuse; passphrases fit easily.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// CheckPassword applies the password policy: 12 to 256 characters, and not
// the user's e-mail address. The error is Invalid and names the rule.
func CheckPassword(password, email string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLen:
		return &aftersale.Error{Kind: aftersale.Invalid, Field: "password",
			Message: fmt.Sprintf("the password is too short: %d characters, at least %d needed", n, MinPasswordLen)}
	case n > MaxPasswordLen:
		return &aftersale.Error{Kind: aftersale.Invalid, Field: "password",
			Message: fmt.Sprintf("the password is too long: %d characters, at most %d", n, MaxPasswordLen)}
	case email != "" && strings.EqualFold(strings.TrimSpace(password), aftersale.NormalizeEmail(email)):
		return &aftersale.Error{Kind: aftersale.Invalid, Field: "password",
			Message: "the password must not be the e-mail address"}
	}
	return nil
}
