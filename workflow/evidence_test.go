package workflow_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/blob"
	"github.com/aftersale/aftersale/internal/fixture"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

// The callers of these tests: staff, and the users of two distributors.
var (
	evAgent     = aftersale.Actor{UserID: 1, Email: "agent@shop.test", Role: aftersale.RoleAgent}
	evInspector = aftersale.Actor{UserID: 2, Email: "inspector@shop.test", Role: aftersale.RoleInspector}
	evEU        = aftersale.Actor{UserID: 4, Email: "eu@dist.test", Role: aftersale.RoleDistributor, DistributorCode: "DIST-EU"}
	evAsia      = aftersale.Actor{UserID: 5, Email: "asia@dist.test", Role: aftersale.RoleDistributor, DistributorCode: "DIST-ASIA"}
)

var jpegHead = []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01")

// evidenceEnv is a real SQLite store with a claim of DIST-EU's customer and
// a blob directory.
type evidenceEnv struct {
	ev     *workflow.Evidence
	db     *store.DB
	blobs  string
	number string
}

func newEvidence(t *testing.T) *evidenceEnv {
	t.Helper()
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "a.db"), store.WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fixture.Seed(t, db)
	dir := filepath.Join(t.TempDir(), "blobs")
	blobs, err := blob.NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Reported yesterday, to be answered in two weeks (on the default test
	// day: 2026-11-23 and 2026-12-07).
	c := aftersale.Claim{Status: aftersale.StatusSubmitted, Request: "defect", Applicant: aftersale.ApplicantDistributor,
		DistributorCode: "DIST-EU", OpenedBy: evEU.String(), ReportedOn: testday.Day(-1),
		RespondBy: testday.Day(13), CreatedAt: now(), UpdatedAt: now(),
		Lines: []aftersale.ClaimLine{{Line: 1, Serial: "SV-20", SKU: "SERVO-MG", OrderNumber: "B-1", OrderLine: 1}}}
	err = db.InTx(t.Context(), func(tx *store.Tx) error {
		if c.Number, err = tx.NextClaimNumber(t.Context(), c.ReportedOn.Year()); err != nil {
			return err
		}
		return tx.CreateClaim(t.Context(), &c)
	})
	if err != nil {
		t.Fatal(err)
	}
	ev := &workflow.Evidence{Read: db, Blobs: blobs, Sniff: blob.Sniff, Verify: blob.Verify, Now: now, InTx: db.InEvidenceTx}
	return &evidenceEnv{ev: ev, db: db, blobs: dir, number: c.Number}
}

// blobFiles counts the files in the blob directory.
func (e *evidenceEnv) blobFiles(t *testing.T) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(e.blobs, func(_ string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// sized is a file of n bytes that starts with head.
func sized(head []byte, n int) io.Reader {
	return io.MultiReader(bytes.NewReader(head), io.LimitReader(zeros{}, int64(n-len(head))))
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func wantKind(t *testing.T, err error, kind aftersale.ErrorKind, part string) {
	t.Helper()
	if aftersale.KindOf(err) != kind || !strings.Contains(aftersale.MessageOf(err), part) {
		t.Fatalf("err = %v (%s), want %s containing %q", err, aftersale.KindOf(err), kind, part)
	}
}

func TestAddEvidence(t *testing.T) {
	env := newEvidence(t)
	data := append(append([]byte{}, jpegHead...), "rest of the photo"...)
	e, err := env.ev.AddEvidence(t.Context(), evEU, env.number, `C:\phone\IMG_0001.jpg`, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if e.ID == 0 || e.Kind != aftersale.EvidencePhoto || e.ContentType != "image/jpeg" || e.Size != int64(len(data)) ||
		e.SHA256 != hex.EncodeToString(sum[:]) || e.Name != "IMG_0001.jpg" || e.UploadedBy != evEU.String() || len(e.BlobKey) != 32 {
		t.Errorf("evidence %+v", e)
	}
	got, r, err := env.ev.OpenEvidence(t.Context(), evAgent, env.number, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := io.ReadAll(r)
	r.Close()
	if got != e || !bytes.Equal(stored, data) {
		t.Errorf("OpenEvidence = %+v, %q", got, stored)
	}
	c, _ := env.db.Claim(t.Context(), env.number)
	events, err := env.db.Events(t.Context(), c.ID)
	if err != nil || len(events) != 1 || events[0].Kind != "evidence" || !strings.Contains(events[0].Detail, e.SHA256) ||
		events[0].Actor != evEU.String() {
		t.Errorf("events %+v, %v; want one evidence event with the hash", events, err)
	}
	list, err := env.ev.ListEvidence(t.Context(), evInspector, env.number)
	if err != nil || len(list) != 1 || list[0] != e {
		t.Errorf("ListEvidence = %+v, %v", list, err)
	}
}

func TestEvidenceRefused(t *testing.T) {
	pdf := []byte("%PDF-1.7\n")
	tests := []struct {
		name     string
		actor    aftersale.Actor
		file     io.Reader
		kind     aftersale.ErrorKind
		part     string
		sentinel error
	}{
		{"html named .jpg", evAgent, strings.NewReader("<html><script>alert(1)</script></html>"), aftersale.Invalid, "not a file we accept", workflow.ErrUnsupportedType},
		{"svg", evAgent, strings.NewReader(`<svg xmlns="http://www.w3.org/2000/svg"/>`), aftersale.Invalid, "not a file we accept", workflow.ErrUnsupportedType},
		{"exe", evAgent, strings.NewReader("MZ\x90\x00"), aftersale.Invalid, "not a file we accept", workflow.ErrUnsupportedType},
		{"empty", evAgent, strings.NewReader(""), aftersale.Invalid, "empty", nil},
		{"photo one byte over", evAgent, sized(jpegHead, workflow.MaxPhotoSize+1), aftersale.Invalid, "a photo may be at most 20 MiB", workflow.ErrTooLarge},
		{"document one byte over", evAgent, sized(pdf, workflow.MaxDocumentSize+1), aftersale.Invalid, "a document may be at most 20 MiB", workflow.ErrTooLarge},
		{"another distributor", evAsia, bytes.NewReader(jpegHead), aftersale.NotFound, "not on file", nil},
		{"anonymous", aftersale.Actor{}, bytes.NewReader(jpegHead), aftersale.Unauthorized, "sign in", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newEvidence(t)
			_, err := env.ev.AddEvidence(t.Context(), tt.actor, env.number, "photo.jpg", tt.file)
			wantKind(t, err, tt.kind, tt.part)
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("err %v is not %v", err, tt.sentinel)
			}
			if n := env.blobFiles(t); n != 0 {
				t.Errorf("%d blobs left", n)
			}
			list, err := env.ev.ListEvidence(t.Context(), evAgent, env.number)
			if err != nil || len(list) != 0 {
				t.Errorf("ListEvidence = %d, %v; want none", len(list), err)
			}
		})
	}
}

// TestEvidenceAtLimit: a photo of exactly the limit is kept.
func TestEvidenceAtLimit(t *testing.T) {
	env := newEvidence(t)
	e, err := env.ev.AddEvidence(t.Context(), evAgent, env.number, "big.jpg", sized(jpegHead, workflow.MaxPhotoSize))
	if err != nil || e.Size != workflow.MaxPhotoSize {
		t.Fatalf("AddEvidence = %d bytes, %v", e.Size, err)
	}
	if n := env.blobFiles(t); n != 1 {
		t.Errorf("%d blobs, want 1", n)
	}
}

// TestEvidenceFailedTxRemovesBlob: when the transaction does not commit,
// no row, no event and no blob are left.
func TestEvidenceFailedTxRemovesBlob(t *testing.T) {
	env := newEvidence(t)
	boom := errors.New("commit failed")
	real := env.ev.InTx
	env.ev.InTx = func(ctx context.Context, fn func(workflow.EvidenceTx) error) error {
		return env.db.InTx(ctx, func(tx *store.Tx) error {
			if err := fn(tx); err != nil {
				return err
			}
			return boom // roll back what fn wrote
		})
	}
	_, err := env.ev.AddEvidence(t.Context(), evAgent, env.number, "p.jpg", bytes.NewReader(jpegHead))
	if !errors.Is(err, boom) {
		t.Fatalf("AddEvidence = %v, want %v", err, boom)
	}
	env.ev.InTx = real
	if n := env.blobFiles(t); n != 0 {
		t.Errorf("%d blobs left", n)
	}
	c, _ := env.db.Claim(t.Context(), env.number)
	events, _ := env.db.Events(t.Context(), c.ID)
	list, _ := env.ev.ListEvidence(t.Context(), evAgent, env.number)
	if len(events)+len(list) != 0 {
		t.Errorf("%d events, %d evidence left", len(events), len(list))
	}
}

// TestEvidenceVisibility: another distributor reaches nothing of the claim.
func TestEvidenceVisibility(t *testing.T) {
	env := newEvidence(t)
	e, err := env.ev.AddEvidence(t.Context(), evEU, env.number, "p.jpg", bytes.NewReader(jpegHead))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.ev.ListEvidence(t.Context(), evAsia, env.number); aftersale.KindOf(err) != aftersale.NotFound {
		t.Errorf("ListEvidence by another distributor: %v", err)
	}
	if _, _, err := env.ev.OpenEvidence(t.Context(), evAsia, env.number, e.ID); aftersale.KindOf(err) != aftersale.NotFound {
		t.Errorf("OpenEvidence by another distributor: %v", err)
	}
	if _, _, err := env.ev.OpenEvidence(t.Context(), evEU, env.number, e.ID+1); aftersale.KindOf(err) != aftersale.NotFound {
		t.Errorf("OpenEvidence of unknown id: %v", err)
	}
	if _, err := env.ev.Messages(t.Context(), evAsia, env.number); aftersale.KindOf(err) != aftersale.NotFound {
		t.Errorf("Messages by another distributor: %v", err)
	}
	if _, err := env.ev.PostMessage(t.Context(), evAsia, env.number, "hello", false); aftersale.KindOf(err) != aftersale.NotFound {
		t.Errorf("PostMessage by another distributor: %v", err)
	}
}

func TestMessages(t *testing.T) {
	env := newEvidence(t)
	posts := []struct {
		actor    aftersale.Actor
		body     string
		internal bool
		kind     aftersale.ErrorKind // "" when it is posted
	}{
		{evEU, "  The servo buzzes.  ", false, ""},
		{evAgent, "Second case from this shop this month.", true, ""},
		{evInspector, "Gear train worn.", true, ""},
		{evAgent, "Please send a video.", false, ""},
		{evEU, "my own secret", true, aftersale.Forbidden},
		{evInspector, "to the customer", false, aftersale.Forbidden},
		{evAgent, "   ", false, aftersale.Invalid},
		{evAgent, strings.Repeat("x", 10001), false, aftersale.Invalid},
		{aftersale.Actor{}, "hi", false, aftersale.Unauthorized},
	}
	for _, p := range posts {
		_, err := env.ev.PostMessage(t.Context(), p.actor, env.number, p.body, p.internal)
		if aftersale.KindOf(err) != p.kind {
			t.Errorf("PostMessage(%s, %.20q, internal %v) = %v, want %q", p.actor.Role, p.body, p.internal, err, p.kind)
		}
	}
	bodies := func(a aftersale.Actor) []string {
		ms, err := env.ev.Messages(t.Context(), a, env.number)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range ms {
			out = append(out, m.Body)
		}
		return out
	}
	staff := "The servo buzzes.|Second case from this shop this month.|Gear train worn.|Please send a video."
	for _, a := range []aftersale.Actor{evAgent, evInspector} {
		if got := strings.Join(bodies(a), "|"); got != staff {
			t.Errorf("%s sees %q, want %q", a.Role, got, staff)
		}
	}
	if got := strings.Join(bodies(evEU), "|"); got != "The servo buzzes.|Please send a video." {
		t.Errorf("the distributor sees %q: internal notes must stay hidden", got)
	}
	c, _ := env.db.Claim(t.Context(), env.number)
	events, _ := env.db.Events(t.Context(), c.ID)
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
		if e.Kind == "note" && strings.Contains(e.Detail, "Gear") {
			t.Errorf("a note's event repeats the note: %q (the history is the distributor's too)", e.Detail)
		}
	}
	if got := strings.Join(kinds, ","); got != "message,note,note,message" {
		t.Errorf("events %s", got)
	}
}

// TestHistoryHidesNotes: a distributor sees the claim's history, but not
// that staff wrote an internal note on it.
func TestHistoryHidesNotes(t *testing.T) {
	env := newEvidence(t)
	if _, err := env.ev.PostMessage(t.Context(), agent, env.number, "customer sounds upset; check the batch", true); err != nil {
		t.Fatal(err)
	}
	if _, err := env.ev.PostMessage(t.Context(), agent, env.number, "We have your claim.", false); err != nil {
		t.Fatal(err)
	}
	svc, err := workflow.New(policy.Default(), env.db, now)
	if err != nil {
		t.Fatal(err)
	}
	claims := &workflow.Claims{Service: svc, InTx: env.db.InClaimTx, Opener: env.db.OpenClaim, Read: env.db}
	kinds := func(a aftersale.Actor) []string {
		events, err := claims.History(t.Context(), a, env.number)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range events {
			out = append(out, e.Kind)
		}
		return out
	}
	if got := kinds(agent); !slices.Contains(got, "note") || !slices.Contains(got, "message") {
		t.Errorf("staff history %v lacks the note or the message", got)
	}
	if got := kinds(distEU); slices.Contains(got, "note") || !slices.Contains(got, "message") {
		t.Errorf("distributor history %v: the note must be hidden, the message shown", got)
	}
}
