package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/store"
	"github.com/google/go-cmp/cmp"
)

func sampleEvidence(claimID int64, key string, kind aftersale.EvidenceKind) aftersale.Evidence {
	return aftersale.Evidence{ClaimID: claimID, Kind: kind, ContentType: "image/jpeg", Size: 12345,
		SHA256: strings.Repeat("ab", 32), BlobKey: key, Name: "Foto vom Schaden.jpg",
		UploadedBy: "dealer@robots.de", UploadedAt: claimTime.Add(time.Hour)}
}

// twoClaims stores two claims and returns them.
func twoClaims(t *testing.T, db *store.DB) (aftersale.Claim, aftersale.Claim) {
	t.Helper()
	seed(t, db)
	a, b := sampleClaim(), sampleClaim()
	createClaim(t, db, &a)
	createClaim(t, db, &b)
	return a, b
}

// testEvidence: evidence round-trips, is listed per claim, and one claim's
// evidence is not found through another claim.
func testEvidence(t *testing.T, db *store.DB) {
	a, b := twoClaims(t, db)
	want := []aftersale.Evidence{sampleEvidence(a.ID, "key-a1", aftersale.EvidencePhoto),
		sampleEvidence(a.ID, "key-a2", aftersale.EvidenceVideo), sampleEvidence(b.ID, "key-b1", aftersale.EvidenceDocument)}
	want[1].ContentType, want[1].Size, want[1].Name = "video/mp4", 200<<20, ""
	err := db.InTx(ctx(t), func(tx *store.Tx) error {
		for i := range want {
			if err := tx.AddEvidence(ctx(t), &want[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.EvidenceOf(ctx(t), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want[:2], got); d != "" {
		t.Errorf("EvidenceOf (-want +got):\n%s", d)
	}
	one, err := db.EvidenceByID(ctx(t), b.ID, want[2].ID)
	if err != nil || one != want[2] {
		t.Errorf("EvidenceByID = %+v, %v; want %+v", one, err, want[2])
	}
	_, err = db.EvidenceByID(ctx(t), b.ID, want[0].ID)
	wantError(t, err, aftersale.NotFound, "not on file")
	none, err := db.EvidenceOf(ctx(t), b.ID+100)
	if err != nil || none == nil || len(none) != 0 {
		t.Errorf("EvidenceOf(unknown claim) = %#v, %v; want an empty list", none, err)
	}
}

func testEvidenceRefusals(t *testing.T, db *store.DB) {
	a, _ := twoClaims(t, db)
	ok := sampleEvidence(a.ID, "key-1", aftersale.EvidencePhoto)
	if err := db.InTx(ctx(t), func(tx *store.Tx) error { return tx.AddEvidence(ctx(t), &ok) }); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		edit  func(e *aftersale.Evidence)
		kind  aftersale.ErrorKind
		parts []string
	}{
		{"unknown claim", func(e *aftersale.Evidence) { e.ClaimID = 999999 }, aftersale.Invalid, []string{"999999"}},
		{"blob key taken", func(e *aftersale.Evidence) { e.BlobKey = "key-1" }, aftersale.Conflict, []string{"key-1"}},
		{"unknown kind", func(e *aftersale.Evidence) { e.Kind = "html" }, aftersale.Invalid, []string{"photo, video or document"}},
		{"short hash", func(e *aftersale.Evidence) { e.SHA256 = "abc" }, aftersale.Invalid, []string{"sha256"}},
		{"negative size", func(e *aftersale.Evidence) { e.Size = -1 }, aftersale.Invalid, []string{"size"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := sampleEvidence(a.ID, "key-2", aftersale.EvidencePhoto)
			tt.edit(&e)
			err := db.InTx(ctx(t), func(tx *store.Tx) error { return tx.AddEvidence(ctx(t), &e) })
			wantError(t, err, tt.kind, tt.parts...)
		})
	}
	got, err := db.EvidenceOf(ctx(t), a.ID)
	if err != nil || len(got) != 1 {
		t.Errorf("after refusals: %d rows, %v; want 1", len(got), err)
	}
}

// testFailedEvidenceTx: the evidence row and its event commit together or
// not at all.
func testFailedEvidenceTx(t *testing.T, db *store.DB) {
	a, _ := twoClaims(t, db)
	boom := errors.New("boom")
	err := db.InTx(ctx(t), func(tx *store.Tx) error {
		e := sampleEvidence(a.ID, "key-1", aftersale.EvidencePhoto)
		if err := tx.AddEvidence(ctx(t), &e); err != nil {
			return err
		}
		m := aftersale.Message{ClaimID: a.ID, Author: "agent@shop.example", Body: "hello"}
		if err := tx.AddMessage(ctx(t), &m); err != nil {
			return err
		}
		if err := tx.AddEvents(ctx(t), []aftersale.Event{{ClaimID: a.ID, Actor: "x", Kind: "evidence"}}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want boom", err)
	}
	ev, err1 := db.EvidenceOf(ctx(t), a.ID)
	msgs, err2 := db.MessagesOf(ctx(t), a.ID, true)
	events, err3 := db.Events(ctx(t), a.ID)
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	if len(ev)+len(msgs)+len(events) != 0 {
		t.Errorf("after rollback: %d evidence, %d messages, %d events; want none", len(ev), len(msgs), len(events))
	}
}

// testMessages: the thread in order, internal notes only when asked for,
// and each claim its own.
func testMessages(t *testing.T, db *store.DB) {
	a, b := twoClaims(t, db)
	want := []aftersale.Message{
		{ClaimID: a.ID, Author: "dealer@robots.de", Body: "The servo buzzes.", At: claimTime},
		{ClaimID: a.ID, Author: "agent@shop.example", Body: "Customer sounds credible; 2nd case this month.", Internal: true, At: claimTime.Add(time.Minute)},
		{ClaimID: a.ID, Author: "agent@shop.example", Body: "Please send a video.\nThanks!", At: claimTime.Add(2 * time.Minute)},
		{ClaimID: b.ID, Author: "agent@shop.example", Body: "Other claim", At: claimTime},
	}
	err := db.InTx(ctx(t), func(tx *store.Tx) error {
		for i := range want {
			if err := tx.AddMessage(ctx(t), &want[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	all, err := db.MessagesOf(ctx(t), a.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want[:3], all); d != "" {
		t.Errorf("MessagesOf(all) (-want +got):\n%s", d)
	}
	public, err := db.MessagesOf(ctx(t), a.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]aftersale.Message{want[0], want[2]}, public); d != "" {
		t.Errorf("MessagesOf(public) (-want +got):\n%s", d)
	}
	err = db.InTx(ctx(t), func(tx *store.Tx) error {
		return tx.AddMessage(ctx(t), &aftersale.Message{ClaimID: 999999, Author: "x", Body: "hi"})
	})
	wantError(t, err, aftersale.Invalid, "999999")
	err = db.InTx(ctx(t), func(tx *store.Tx) error {
		return tx.AddMessage(ctx(t), &aftersale.Message{ClaimID: a.ID, Author: "x", Body: ""})
	})
	wantError(t, err, aftersale.Invalid, "body")
}
