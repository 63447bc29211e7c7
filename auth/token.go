package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/aftersale/aftersale"
)

// TokenPrefix starts every API token, so leaked tokens are recognisable
// (secret scanners) and other bearer tokens are told apart at once.
const TokenPrefix = "as_"

const (
	tokenBytes  = 32 // of randomness
	tokenLen    = len(TokenPrefix) + 43
	shownPrefix = len(TokenPrefix) + 6 // "as_" and 6 characters: 36 bits, enough to tell tokens apart in a list
)

// NewToken is a freshly minted API token.
type NewToken struct {
	Secret string // as_<base64url>: show it once, never store it
	Prefix string // the first characters of Secret, stored to recognise it
	Hash   string // hex SHA-256 of Secret: what the store keeps
}

// GenerateToken returns a new token of 32 random bytes.
func GenerateToken() (NewToken, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return NewToken{}, fmt.Errorf("generate token: %w", err)
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return NewToken{Secret: secret, Prefix: secret[:shownPrefix], Hash: HashSecret(secret)}, nil
}

// HashSecret returns the hex SHA-256 of a token or session secret. A fast
// hash suffices: the secret has 256 bits of entropy, so nothing can be
// guessed from the hash, and lookup by hash needs no constant-time compare.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// WellFormedToken reports whether s has the shape of an API token.
func WellFormedToken(s string) bool {
	rest, ok := strings.CutPrefix(s, TokenPrefix)
	if !ok || len(s) != tokenLen {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil && len(b) == tokenBytes
}

// TokenLookup finds the actor of a token by its hash (HashSecret). The store
// implements it: a revoked token, or one of a disabled user, is NotFound.
type TokenLookup interface {
	TokenActor(ctx context.Context, hash string) (aftersale.Actor, error)
}

type actorKey struct{}

// WithActor returns ctx carrying the calling actor.
func WithActor(ctx context.Context, a aftersale.Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx; the anonymous Actor when there is none.
func ActorFrom(ctx context.Context) aftersale.Actor {
	a, _ := ctx.Value(actorKey{}).(aftersale.Actor)
	return a
}

// Require returns nil when the actor in ctx may do p, an Unauthorized error
// when nobody signed in, and a Forbidden one when the role lacks p.
func Require(ctx context.Context, p aftersale.Permission) error {
	a := ActorFrom(ctx)
	switch {
	case a.Anonymous():
		return aftersale.Errorf(aftersale.Unauthorized, "sign in or send an API token (Authorization: Bearer as_...)")
	case !a.Can(p):
		return aftersale.Errorf(aftersale.Forbidden, "the %s role may not %s", a.Role, describe(p))
	}
	return nil
}

func describe(p aftersale.Permission) string {
	return strings.ReplaceAll(string(p), "_", " ")
}
