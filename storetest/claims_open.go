package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/notify"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

// testOpenClaim: OpenClaim writes a claim with its events, its customer's
// link, its e-mails and its idempotency key, all or nothing; a key that
// already made a claim returns that claim and writes nothing.
func testOpenClaim(t *testing.T, db *store.DB) {
	seed(t, db)
	expires := testday.Now().Add(time.Hour).UTC()
	created := aftersale.Event{At: claimTime, Actor: "agent@shop.example", Kind: "created", To: aftersale.StatusSubmitted, Detail: "defect"}
	// compose gives the claim a link whose secret is its number, and an
	// e-mail naming it: both must see the number the claim is stored under.
	compose := func(c aftersale.Claim) (workflow.ClaimExtras, error) {
		return workflow.ClaimExtras{AccessHash: hashOf(c.Number), AccessExpires: expires,
			Messages: []notify.Message{{To: c.CustomerEmail, Subject: "Your claim " + c.Number, Body: "received"}}}, nil
	}
	boom := errors.New("boom")
	tests := []struct {
		name     string
		change   func(o *workflow.ClaimOpening)
		key      string
		earlier  bool                // the key made a claim already
		wantKind aftersale.ErrorKind // "": written
		wantIn   string
	}{
		{"opened", nil, "", false, "", ""},
		{"with a key", nil, "k-1", false, "", ""},
		{"the same key again", nil, "k-1", true, "", ""},
		{"another caller's same key", func(o *workflow.ClaimOpening) { o.IdempotencyScope = "user:2" }, "k-1", false, "", ""},
		{"without link or e-mail", func(o *workflow.ClaimOpening) {
			o.Compose = func(aftersale.Claim) (workflow.ClaimExtras, error) { return workflow.ClaimExtras{}, nil }
		}, "", false, "", ""},
		{"compose fails", func(o *workflow.ClaimOpening) {
			o.Compose = func(aftersale.Claim) (workflow.ClaimExtras, error) { return workflow.ClaimExtras{}, boom }
		}, "k-2", false, "", "boom"},
		{"unknown SKU", func(o *workflow.ClaimOpening) { o.Claim.Lines[1].SKU = "NO-SUCH-SKU" }, "k-3", false, aftersale.Invalid, "SKUs"},
		{"e-mail without recipient", func(o *workflow.ClaimOpening) {
			o.Compose = func(c aftersale.Claim) (workflow.ClaimExtras, error) {
				return workflow.ClaimExtras{Messages: []notify.Message{{Subject: c.Number, Body: "x"}}}, nil
			}
		}, "k-4", false, "", "not an address"},
		{"neither number nor date", func(o *workflow.ClaimOpening) { o.Claim.ReportedOn = date.Date{} }, "", false, aftersale.Invalid, "number"},
	}
	numbers := map[string]string{} // key: the claim it made
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := sampleClaim()
			o := workflow.ClaimOpening{Claim: &c, Events: []aftersale.Event{created},
				IdempotencyScope: "user:1", IdempotencyKey: tt.key, Compose: compose}
			if tt.change != nil {
				tt.change(&o)
			}
			before := outboxCount(t, db)
			earlier, err := db.OpenClaim(ctx(t), o)
			if tt.wantIn != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantIn) {
					t.Fatalf("OpenClaim: %v; want an error containing %q", err, tt.wantIn)
				}
				if tt.wantKind != "" {
					wantError(t, err, tt.wantKind, tt.wantIn)
				}
				if _, found := idempotent(t, db, o.IdempotencyScope, tt.key); found {
					t.Errorf("refused opening recorded its key %q", tt.key)
				}
				if c.Number != "" {
					if _, err := db.Claim(ctx(t), c.Number); aftersale.KindOf(err) != aftersale.NotFound {
						t.Errorf("refused claim %s: %v; want NotFound", c.Number, err)
					}
				}
				if n := outboxCount(t, db); n != before {
					t.Errorf("refused opening enqueued %d e-mails", n-before)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.earlier {
				if earlier != numbers[tt.key] || earlier == "" {
					t.Fatalf("earlier = %q, want %q", earlier, numbers[tt.key])
				}
				if n := outboxCount(t, db); n != before {
					t.Errorf("a repeated key enqueued %d e-mails", n-before)
				}
				return
			}
			if earlier != "" {
				t.Fatalf("earlier = %q for a new claim", earlier)
			}
			if tt.key != "" && o.IdempotencyScope == "user:1" {
				numbers[tt.key] = c.Number
			}
			got, err := db.Claim(ctx(t), c.Number)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != c.ID || c.ID == 0 || got.Version != 1 || len(got.Lines) != 2 {
				t.Errorf("stored claim id %d version %d with %d lines; opened id %d", got.ID, got.Version, len(got.Lines), c.ID)
			}
			events, err := db.Events(ctx(t), c.ID)
			if err != nil || len(events) != 1 || events[0].Kind != "created" {
				t.Errorf("events %+v, %v; want the created event", events, err)
			}
			if tt.key != "" {
				if n, found := idempotent(t, db, o.IdempotencyScope, tt.key); !found || n != c.Number {
					t.Errorf("key %q made %q (found %v), want %s", tt.key, n, found, c.Number)
				}
			}
			extras, _ := o.Compose(c)
			if extras.AccessHash != "" {
				a, err := db.ClaimAccessActor(ctx(t), extras.AccessHash)
				if err != nil || a.ClaimNumber != c.Number {
					t.Errorf("the link reaches %q, %v; want %s", a.ClaimNumber, err, c.Number)
				}
			}
			entries, err := db.OutboxEntries(ctx(t), 1000)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(entries) - before; n != len(extras.Messages) {
				t.Fatalf("enqueued %d e-mails, want %d", n, len(extras.Messages))
			}
			if len(extras.Messages) > 0 && !hasSubject(entries, "Your claim "+c.Number) {
				t.Errorf("no e-mail names %s: %+v", c.Number, entries)
			}
		})
	}
}

func outboxCount(t *testing.T, db *store.DB) int {
	t.Helper()
	entries, err := db.OutboxEntries(ctx(t), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

func hasSubject(entries []notify.Entry, subject string) bool {
	for _, e := range entries {
		if e.Subject == subject {
			return true
		}
	}
	return false
}

func idempotent(t *testing.T, db *store.DB, scope, key string) (string, bool) {
	t.Helper()
	if key == "" {
		return "", false
	}
	var number string
	var found bool
	err := db.InTx(ctx(t), func(tx *store.Tx) error {
		var err error
		number, found, err = tx.IdempotentClaim(ctx(t), scope, key)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return number, found
}

// testOpenClaimRace: a request whose key another request recorded after
// its check (possible on PostgreSQL, where the check and the write are two
// round trips) is a Conflict on idempotency_key, and writes nothing.
func testOpenClaimRace(t *testing.T, db *store.DB) {
	if db.Engine() != store.Postgres {
		t.Skip("on SQLite the check and the record share one write transaction")
	}
	seed(t, db)
	first := sampleClaim()
	createClaim(t, db, &first)
	c := sampleClaim()
	var composed string
	o := workflow.ClaimOpening{Claim: &c, IdempotencyScope: "user:1", IdempotencyKey: "k-race",
		Compose: func(c aftersale.Claim) (workflow.ClaimExtras, error) {
			composed = c.Number
			// The other request records the key between this one's check
			// and its write.
			return workflow.ClaimExtras{}, db.InTx(ctx(t), func(tx *store.Tx) error {
				return tx.RecordIdempotentClaim(ctx(t), "user:1", "k-race", first.Number)
			})
		}}
	_, err := db.OpenClaim(ctx(t), o)
	wantError(t, err, aftersale.Conflict, "k-race")
	if _, err := db.Claim(ctx(t), composed); aftersale.KindOf(err) != aftersale.NotFound {
		t.Errorf("the losing claim %s: %v; want NotFound", composed, err)
	}
	if n, found := idempotent(t, db, "user:1", "k-race"); !found || n != first.Number {
		t.Errorf("key made %q, want %s", n, first.Number)
	}
	if earlier, err := db.OpenClaim(ctx(t), o); err != nil || earlier != first.Number {
		t.Errorf("retry: %q, %v; want %s", earlier, err, first.Number)
	}
}
