package workflow

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/aftersale/aftersale"
)

// IdempotencyKeyLifetime is how long a claim opening's idempotency key is
// kept, per caller: a retry within it gets the first request's claim; after
// it, the key is free for a new request (as Stripe keeps keys).
const IdempotencyKeyLifetime = 24 * time.Hour

// ErrIdempotencyKeyReused is the error for a key used again, within its
// lifetime, with another request than the first: answering with the first
// request's claim would hide that the second one was never made.
func ErrIdempotencyKeyReused(key string) error {
	return &aftersale.Error{Kind: aftersale.Invalid, Field: "idempotency_key",
		Message: fmt.Sprintf("Idempotency-Key %q was used with another request in the last 24 hours: retry with the first request's body, or send a new key for a new request", key)}
}

// errIdempotencyKeyRunning is the error for a key whose first request is
// still being handled (by this process).
func errIdempotencyKeyRunning(key string) error {
	return &aftersale.Error{Kind: aftersale.Conflict, Field: "idempotency_key",
		Message: fmt.Sprintf("a request with Idempotency-Key %q is still being handled: retry when it has finished", key)}
}

// running holds the idempotency keys of the claim openings under way in
// this process, by use cases and caller.
var running sync.Map // runningKey -> struct{}

type runningKey struct {
	claims     *Claims
	scope, key string
}

// start marks key (in scope) as under way; false when it already is. The
// returned function ends it.
func (s *Claims) start(scope, key string) (func(), bool) {
	k := runningKey{s, scope, key}
	if _, loaded := running.LoadOrStore(k, struct{}{}); loaded {
		return nil, false
	}
	return func() { running.Delete(k) }, true
}

// requestHash is the hex SHA-256 of a claim opening as its applicant sent
// it: two requests with the same key must have the same hash. Every field
// is written with its length, so no two inputs read alike.
func requestHash(in OpenClaimInput) string {
	h := sha256.New()
	put := func(s string) { fmt.Fprintf(h, "%d:%s;", len(s), s) }
	put(in.Request)
	put(in.Description)
	put(in.CustomerEmail)
	put(strconv.FormatBool(in.DistributorUnreachable))
	put(strconv.Itoa(len(in.Lines)))
	for _, l := range in.Lines {
		put(l.Serial)
		put(l.OrderNumber)
		put(strconv.Itoa(l.OrderLine))
		put(l.SKU)
		put(l.PurchasedOn.String())
		put(l.DeliveredOn.String())
		put(l.ProofDocument)
		if l.Price != nil {
			put(strconv.FormatInt(l.Price.Minor, 10) + " " + l.Price.Currency)
		} else {
			put("")
		}
		put(string(l.BoughtFrom))
		put(l.DistributorCode)
	}
	return hex.EncodeToString(h.Sum(nil))
}
