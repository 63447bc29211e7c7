package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/notify"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

// testUnconfirmedClaims: a claim opened with ConfirmBy and a confirmation
// hash keeps both; while it waits it is in no queue page, no dashboard
// figure and no repeat-claim warning, and once confirmed (ConfirmBy
// cleared by UpdateClaim) it is in all of them.
func testUnconfirmedClaims(t *testing.T, db *store.DB) {
	seed(t, db)
	confirmBy := testday.Now().Add(7 * 24 * time.Hour).UTC().Truncate(time.Microsecond)
	open := func(confirm bool) aftersale.Claim {
		t.Helper()
		c := sampleClaim()
		if confirm {
			c.ConfirmBy = confirmBy
		}
		o := workflow.ClaimOpening{Claim: &c, Events: []aftersale.Event{{At: claimTime, Actor: "customer x", Kind: "created"}},
			Compose: func(c aftersale.Claim) (workflow.ClaimExtras, error) {
				x := workflow.ClaimExtras{AccessHash: hashOf("access " + c.Number), AccessExpires: confirmBy}
				if confirm {
					x.ConfirmHash = hashOf("confirm " + c.Number)
				}
				return x, nil
			}}
		if _, err := db.OpenClaim(ctx(t), o); err != nil {
			t.Fatalf("open claim: %v", err)
		}
		got, err := db.Claim(ctx(t), c.Number)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	shown := open(false)
	waiting := open(true)
	if !waiting.ConfirmBy.Equal(confirmBy) || !shown.ConfirmBy.IsZero() {
		t.Fatalf("ConfirmBy read back as %v and %v; want %v and zero", waiting.ConfirmBy, shown.ConfirmBy, confirmBy)
	}
	if h, err := db.ClaimConfirmation(ctx(t), waiting.ID); err != nil || h != hashOf("confirm "+waiting.Number) {
		t.Errorf("ClaimConfirmation(waiting) = %q, %v; want its hash", h, err)
	}
	if _, err := db.ClaimConfirmation(ctx(t), shown.ID); aftersale.KindOf(err) != aftersale.NotFound {
		t.Errorf("ClaimConfirmation(a claim that never waited): %v; want NotFound", err)
	}
	err := db.InTx(ctx(t), func(tx *store.Tx) error {
		h, err := tx.ClaimConfirmation(ctx(t), waiting.ID)
		if err == nil && h != hashOf("confirm "+waiting.Number) {
			t.Errorf("Tx.ClaimConfirmation = %q; want its hash", h)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	// seen lists where each claim shows: the queue (whole, by its number,
	// by a serial of its line), the warnings and the figures.
	seen := func(t *testing.T, want []string, wantCount int64) {
		t.Helper()
		for _, q := range []workflow.Query{{}, {Text: waiting.Number}, {Text: shown.Number}, {Text: "sn-esc-1"},
			{Statuses: []aftersale.Status{aftersale.StatusSubmitted}}, {OnlyOpen: true}, {Category: "power_module"}} {
			page, err := db.Queue(ctx(t), q)
			if err != nil {
				t.Fatalf("queue %+v: %v", q, err)
			}
			var got []string
			for _, c := range page.Claims {
				got = append(got, c.Number)
			}
			var wantHere []string
			for _, n := range want {
				if q.Text == "" || q.Text == n || q.Text == "sn-esc-1" {
					wantHere = append(wantHere, n)
				}
			}
			if !slices.Equal(got, wantHere) {
				t.Errorf("queue %+v = %v; want %v", q, got, wantHere)
			}
		}
		others, err := db.OpenClaimsWithSerial(ctx(t), "SN-ESC-1", 0)
		if err != nil || !slices.Equal(others, want) {
			t.Errorf("OpenClaimsWithSerial = %v, %v; want %v", others, err, want)
		}
		if n, err := db.ClaimsOfCustomer(ctx(t), "alice@example.com"); err != nil || n != len(want) {
			t.Errorf("ClaimsOfCustomer = %d, %v; want %d", n, err, len(want))
		}
		for _, args := range []struct {
			serials []string
			order   string
			line    int
			sku     string
		}{{[]string{"SN-ESC-1"}, "", 0, ""}, {[]string{"SN-ESC-1", "SN-OTHER"}, "", 0, ""}, {nil, "A-1001", 1, "ESC-1"}} {
			refs, err := db.EarlierClaims(ctx(t), args.serials, args.order, args.line, args.sku)
			var got []string
			for _, r := range refs {
				got = append(got, r.Number)
			}
			slices.Sort(got)
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("EarlierClaims(%v, line %d %s) = %v, %v; want %v", args.serials, args.line, args.sku, got, err, want)
			}
		}
		st, err := db.ClaimStats(ctx(t), claimDay.AddDays(-40))
		if err != nil {
			t.Fatal(err)
		}
		count := func(list []workflow.Count, key string) int64 {
			for _, c := range list {
				if c.Key == key {
					return c.N
				}
			}
			return 0
		}
		var answered int64
		for _, a := range st.Answers {
			answered += a.OnTime + a.Late + a.Unanswered
		}
		var defects int64
		for _, d := range st.Defects {
			if d.SKU == "ESC-1" {
				defects = d.Claims
			}
		}
		got := []int64{count(st.ByStatus, "submitted"), count(st.ByRequest, "defect"),
			count(st.ByCategory, "power_module"), count(st.ByCategory, "electronic_module"), answered, defects}
		for i, n := range got {
			if n != wantCount {
				t.Errorf("figure %d (status, request, two categories, answers, defects) = %d; want %d (all: %v)", i, n, wantCount, got)
			}
		}
		if len(st.ByStatus) != 1 || len(st.ByRequest) != 1 {
			t.Errorf("ByStatus %v, ByRequest %v: want one key each, no zero left", st.ByStatus, st.ByRequest)
		}
	}
	t.Run("waiting", func(t *testing.T) { seen(t, []string{shown.Number}, 1) })

	// Confirmed: ConfirmBy cleared through UpdateClaim, as the workflow does.
	err = db.InTx(ctx(t), func(tx *store.Tx) error {
		c, err := tx.ClaimForUpdate(ctx(t), waiting.Number)
		if err != nil {
			return err
		}
		if !c.ConfirmBy.Equal(confirmBy) {
			t.Errorf("ClaimForUpdate: ConfirmBy %v; want %v", c.ConfirmBy, confirmBy)
		}
		c.ConfirmBy, c.RespondBy, c.Version = time.Time{}, c.RespondBy.AddDays(2), c.Version+1
		return tx.UpdateClaim(ctx(t), &c)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Claim(ctx(t), waiting.Number)
	if err != nil || !got.ConfirmBy.IsZero() || got.RespondBy != waiting.RespondBy.AddDays(2) {
		t.Fatalf("confirmed claim: ConfirmBy %v, respond_by %v, %v; want zero, %v", got.ConfirmBy, got.RespondBy, err,
			waiting.RespondBy.AddDays(2))
	}
	both := []string{shown.Number, waiting.Number}
	slices.Sort(both)
	t.Run("confirmed", func(t *testing.T) { seen(t, both, 2) })
}

// testTwoSecrets: a message whose Secret holds two secrets (a claim's link
// and its confirmation link) keeps neither in a listing, nor in the stored
// body once sent.
func testTwoSecrets(t *testing.T, db *store.DB) {
	m := notify.Message{To: "bob@example.com", Subject: "Confirm your claim", Secret: "cl_ONE cc_TWO",
		Body: "open /claims/X?access=cl_ONE and /claims/X/confirm?token=cc_TWO"}
	err := db.InTx(ctx(t), func(tx *store.Tx) error { return tx.Enqueue(ctx(t), m) })
	if err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		list, err := db.OutboxEntries(ctx(t), 10)
		if err != nil || len(list) != 1 {
			t.Fatalf("%s: %d entries, %v", when, len(list), err)
		}
		if b := list[0].Body; b != "open /claims/X?access=[secret removed] and /claims/X/confirm?token=[secret removed]" {
			t.Errorf("%s: body %q", when, b)
		}
	}
	check("waiting")
	now := testday.Now()
	got, err := db.ClaimOutbox(ctx(t), now, time.Minute, 10)
	if err != nil || len(got) != 1 || got[0].Secret != m.Secret || got[0].Body != m.Body {
		t.Fatalf("ClaimOutbox: %+v, %v; want the message whole", got, err)
	}
	if err := db.MarkSent(ctx(t), got[0].ID, now); err != nil {
		t.Fatal(err)
	}
	check("sent")
	if list, _ := db.OutboxEntries(ctx(t), 10); list[0].SentAt.IsZero() {
		t.Errorf("not marked sent: %+v", list[0])
	}
}
