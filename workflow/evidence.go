package workflow

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

// Size limits of evidence, by kind. MaxUploadSize is the largest of them:
// an HTTP handler may cut the body off one byte after it.
const (
	MaxPhotoSize    = 20 << 20
	MaxDocumentSize = 20 << 20
	MaxVideoSize    = 200 << 20
	MaxUploadSize   = MaxVideoSize
	// DefaultMaxClaimUpload is what a claim's files may total, unless
	// Evidence.MaxClaimUpload says otherwise: a video and its photos, not
	// four videos.
	DefaultMaxClaimUpload = 300 << 20
	maxMessageLen         = 10000
	sniffLen              = 512
)

// ErrTooLarge and ErrUnsupportedType are in the chain of the errors that
// refuse a file for its size or its content, so that HTTP can answer 413 and
// 415 rather than 422.
var (
	ErrTooLarge        = errors.New("file too large")
	ErrUnsupportedType = errors.New("unsupported file type")
	// ErrClaimFull is the ErrTooLarge of a file past what the claim's
	// files may total.
	ErrClaimFull = fmt.Errorf("%w: the claim's files are at their total", ErrTooLarge)
)

// BlobStore keeps the files (blob.Dir, or an S3-compatible store).
type BlobStore interface {
	Put(ctx context.Context, key string, r io.Reader) (int64, error)
	Open(ctx context.Context, key string) (io.ReadCloser, int64, error)
	Delete(ctx context.Context, key string) error
}

// Sniffer recognises a file by its first bytes (blob.Sniff): its kind
// (photo, video, document) and content type, or not ok.
type Sniffer func(head []byte) (kind, contentType string, ok bool)

// ContentVerifier checks a file's structure as it streams past (blob.Verify):
// Write fails at the first sign of a broken file, Finish after the last
// byte says what the whole file lacks.
type ContentVerifier = interface {
	Write(p []byte) (int, error)
	Finish() error
}

// EvidenceTx is what the evidence and message use cases write inside one
// transaction: the row and the claim's event commit together.
type EvidenceTx interface {
	AddEvidence(ctx context.Context, e *aftersale.Evidence) error
	AddMessage(ctx context.Context, m *aftersale.Message) error
	AddEvents(ctx context.Context, events []aftersale.Event) error
	// MarkAnswered records the claim's first answer on day on, unless it
	// has one.
	MarkAnswered(ctx context.Context, claimID int64, on date.Date) error
	// ClaimForUpdate and UpdateClaim complete a claim the pictures were
	// missing from.
	ClaimForUpdate(ctx context.Context, number string) (aftersale.Claim, error)
	UpdateClaim(ctx context.Context, c *aftersale.Claim) error
}

// EvidenceTxRunner runs fn inside one write transaction.
type EvidenceTxRunner func(ctx context.Context, fn func(EvidenceTx) error) error

// EvidenceReader reads claims, their evidence and their threads.
type EvidenceReader interface {
	Claim(ctx context.Context, number string) (aftersale.Claim, error)
	EvidenceOf(ctx context.Context, claimID int64) ([]aftersale.Evidence, error)
	// EvidenceByID is NotFound for evidence of another claim.
	EvidenceByID(ctx context.Context, claimID, id int64) (aftersale.Evidence, error)
	MessagesOf(ctx context.Context, claimID int64, includeInternal bool) ([]aftersale.Message, error)
	UserFinder
}

// Evidence runs the use cases of a claim's files and message thread. Every
// field but Now is required (serve wires blob.NewDir and blob.Sniff).
type Evidence struct {
	InTx  EvidenceTxRunner
	Read  EvidenceReader
	Blobs BlobStore
	Sniff Sniffer
	// Verify returns the structure check of a content type, nil for none
	// (blob.Verify: a video must be a whole MP4, MOV or WebM container,
	// not zeros after its first bytes). Nil: no type is checked.
	Verify func(contentType string) ContentVerifier
	// MaxClaimUpload is what the files of one claim may total, in bytes
	// (0: DefaultMaxClaimUpload); a file that would pass it is refused.
	MaxClaimUpload int64
	Now            func() time.Time // nil: time.Now
	Today          func() date.Date // the seller's day (Service.Today); nil: Now's day in UTC
}

func (s *Evidence) today() date.Date {
	if s.Today == nil {
		return date.FromTime(s.now())
	}
	return s.Today()
}

func (s *Evidence) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// visible returns the claim when the actor may see it; another party's
// claim is "not found", so that nobody learns it exists.
func (s *Evidence) visible(ctx context.Context, actor aftersale.Actor, number string) (aftersale.Claim, error) {
	if !actor.Can(aftersale.ViewClaims) {
		return aftersale.Claim{}, forbidden(actor, "see claims")
	}
	if err := checkNumber(number); err != nil {
		return aftersale.Claim{}, err
	}
	c, err := s.Read.Claim(ctx, number)
	if err != nil {
		return aftersale.Claim{}, err
	}
	if !actor.SeesClaim(c) {
		return aftersale.Claim{}, notFound(number)
	}
	return c, nil
}

// AddEvidence stores a file the actor sends for a claim: recognised by its
// content (never its name), limited in size by kind, hashed while it
// streams to the blob store under a generated key, then recorded with an
// "evidence" event in one transaction. On any failure no blob is left.
func (s *Evidence) AddEvidence(ctx context.Context, actor aftersale.Actor, number, name string, r io.Reader) (aftersale.Evidence, error) {
	c, err := s.visible(ctx, actor, number)
	if err != nil {
		return aftersale.Evidence{}, fmt.Errorf("add evidence to %s: %w", number, err)
	}
	if !actor.Can(aftersale.OpenClaims) && !actor.Can(aftersale.WorkClaims) && !actor.Can(aftersale.Inspect) && !actor.Can(aftersale.RespondClaims) {
		return aftersale.Evidence{}, forbidden(actor, "add evidence to claims")
	}
	room, err := s.room(ctx, c)
	if err != nil {
		return aftersale.Evidence{}, fmt.Errorf("add evidence to %s: %w", number, err)
	}
	e, body, err := s.recognise(r, room)
	if err != nil {
		return aftersale.Evidence{}, fmt.Errorf("add evidence to %s: %w", number, err)
	}
	e.ClaimID, e.Name, e.UploadedBy, e.UploadedAt = c.ID, aftersale.CleanFileName(name), actor.String(), s.now()
	if e.BlobKey, err = newBlobKey(); err != nil {
		return aftersale.Evidence{}, err
	}
	h := sha256.New()
	check := s.verifier(e.ContentType)
	if e.Size, err = s.Blobs.Put(ctx, e.BlobKey, io.TeeReader(body, io.MultiWriter(h, check))); err == nil {
		err = check.finish()
	}
	if err != nil {
		s.deleteBlob(ctx, e.BlobKey)
		if check.err != nil {
			err = check.refusal(e)
		}
		return aftersale.Evidence{}, fmt.Errorf("add evidence to %s: %w", number, err)
	}
	e.SHA256 = hex.EncodeToString(h.Sum(nil))
	err = s.InTx(ctx, func(tx EvidenceTx) error {
		if err := tx.AddEvidence(ctx, &e); err != nil {
			return err
		}
		if err := tx.AddEvents(ctx, []aftersale.Event{{ClaimID: c.ID, At: e.UploadedAt, Actor: e.UploadedBy,
			Kind: "evidence", Detail: fmt.Sprintf("%s %d: %q, %s, %d bytes, sha256 %s", e.Kind, e.ID, e.Name, e.ContentType, e.Size, e.SHA256),
			Data: map[string]string{"kind": string(e.Kind), "id": strconv.FormatInt(e.ID, 10), "name": e.Name, "type": e.ContentType,
				"size": strconv.FormatInt(e.Size, 10)}}}); err != nil {
			return err
		}
		return s.completeWithPictures(ctx, tx, c, e)
	})
	if err != nil {
		s.deleteBlob(ctx, e.BlobKey)
		return aftersale.Evidence{}, fmt.Errorf("add evidence to %s: %w", number, err)
	}
	return e, nil
}

// completeWithPictures completes a transit-damage claim that waited for its
// photos or video (5.1): it is submitted as of today, its answer due the
// policy's days later (the wait moves the deadline, I-9). A claim staff
// asked something of goes on when the customer answers instead.
func (s *Evidence) completeWithPictures(ctx context.Context, tx EvidenceTx, c aftersale.Claim, e aftersale.Evidence) error {
	if (e.Kind != aftersale.EvidencePhoto && e.Kind != aftersale.EvidenceVideo) || !aftersale.PicturesNeeded(c.Request) ||
		c.Status != aftersale.StatusAwaitingCustomer {
		return nil
	}
	c, err := tx.ClaimForUpdate(ctx, c.Number)
	if err != nil || c.Status != aftersale.StatusAwaitingCustomer || !c.FirstAnswerOn.IsZero() || c.AwaitingSince.IsZero() {
		return err
	}
	today := s.today()
	c.RespondBy = c.RespondBy.AddDays(c.AwaitingSince.DaysUntil(today))
	c.Status, c.AwaitingSince, c.Version, c.UpdatedAt = aftersale.StatusSubmitted, date.Date{}, c.Version+1, s.now()
	if err := tx.UpdateClaim(ctx, &c); err != nil {
		return err
	}
	return tx.AddEvents(ctx, []aftersale.Event{{ClaimID: c.ID, At: c.UpdatedAt, Actor: e.UploadedBy, Kind: "completed",
		From: aftersale.StatusAwaitingCustomer, To: aftersale.StatusSubmitted,
		Detail: fmt.Sprintf("the pictures arrived: the claim is complete; the answer is due by %s", c.RespondBy),
		Data:   map[string]string{"respond_by": c.RespondBy.String()}}})
}

func (s *Evidence) maxClaim() int64 {
	if s.MaxClaimUpload <= 0 {
		return DefaultMaxClaimUpload
	}
	return s.MaxClaimUpload
}

// room returns how many bytes the claim's files may still grow by. Two
// uploads at once may both fit alone and pass it together, by one file at
// most each.
func (s *Evidence) room(ctx context.Context, c aftersale.Claim) (int64, error) {
	list, err := s.Read.EvidenceOf(ctx, c.ID)
	if err != nil {
		return 0, err
	}
	room := s.maxClaim()
	for _, e := range list {
		room -= e.Size
	}
	return room, nil
}

// recognise reads the first bytes of r and returns what they are, and the
// whole body again, cut off one byte past the kind's size limit or the
// claim's room, whichever comes first.
func (s *Evidence) recognise(r io.Reader, room int64) (aftersale.Evidence, io.Reader, error) {
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return aftersale.Evidence{}, nil, fmt.Errorf("read upload: %w", err)
	}
	head = head[:n]
	if n == 0 {
		return aftersale.Evidence{}, nil, &aftersale.Error{Kind: aftersale.Invalid, Field: "body", Message: "the file is empty"}
	}
	kind, contentType, ok := s.Sniff(head)
	if !ok {
		return aftersale.Evidence{}, nil, &aftersale.Error{Kind: aftersale.Invalid, Field: "body", Err: ErrUnsupportedType,
			Message: "this is not a file we accept: send a photo (JPEG, PNG, WebP, HEIC), a video (MP4, MOV, WebM) or a PDF document; the name and declared type do not count, the content does"}
	}
	e := aftersale.Evidence{Kind: aftersale.EvidenceKind(kind), ContentType: contentType}
	limit, what := int64(MaxPhotoSize), "a photo"
	switch e.Kind {
	case aftersale.EvidenceVideo:
		limit, what = MaxVideoSize, "a video"
	case aftersale.EvidenceDocument:
		limit, what = MaxDocumentSize, "a document"
	}
	tooLarge := &aftersale.Error{Kind: aftersale.Invalid, Field: "body", Err: ErrTooLarge,
		Message: fmt.Sprintf("%s may be at most %d MiB; this one is larger", what, limit>>20)}
	if room < limit {
		limit = max(room, 0)
		tooLarge = &aftersale.Error{Kind: aftersale.Invalid, Field: "body", Err: ErrClaimFull,
			Message: fmt.Sprintf("the files of a claim may total at most %d MiB; this one does not fit in the %d MiB left", s.maxClaim()>>20, limit>>20)}
	}
	return e, &limitReader{r: io.MultiReader(bytes.NewReader(head), r), left: limit, err: tooLarge}, nil
}

// verifier returns the structure check of a content type, which passes
// everything when there is none.
func (s *Evidence) verifier(contentType string) *structureCheck {
	c := &structureCheck{}
	if s.Verify != nil {
		c.v = s.Verify(contentType)
	}
	return c
}

// structureCheck runs a ContentVerifier and keeps its refusal apart from
// the other errors of an upload (the client's connection, the disk).
type structureCheck struct {
	v   ContentVerifier
	err error
}

func (c *structureCheck) Write(p []byte) (int, error) {
	if c.v == nil {
		return len(p), nil
	}
	n, err := c.v.Write(p)
	if err != nil {
		c.err = err
	}
	return n, err
}

func (c *structureCheck) finish() error {
	if c.v == nil {
		return nil
	}
	c.err = c.v.Finish()
	return c.err
}

// refusal is the client's error for a file that is not what it starts as.
func (c *structureCheck) refusal(e aftersale.Evidence) error {
	return &aftersale.Error{Kind: aftersale.Invalid, Field: "body", Err: ErrUnsupportedType,
		Message: fmt.Sprintf("this %s is not a playable %s file (%v): send the video as the camera recorded it", e.Kind, e.ContentType, c.err)}
}

// limitReader yields at most left bytes and fails with err on the next
// one, so the blob store never keeps an oversized file.
type limitReader struct {
	r    io.Reader
	left int64
	err  error
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, l.err
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n, l.err
	}
	return n, err
}

// deleteBlob removes a blob that no row will name; it runs even when the
// request's context is done, which is often why it is needed.
func (s *Evidence) deleteBlob(ctx context.Context, key string) {
	_ = s.Blobs.Delete(context.WithoutCancel(ctx), key)
}

// newBlobKey is a random name: 128 bits, hex, so nothing of the client's
// reaches a path.
func newBlobKey() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("blob key: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// ListEvidence returns a claim's evidence, oldest first.
func (s *Evidence) ListEvidence(ctx context.Context, actor aftersale.Actor, number string) ([]aftersale.Evidence, error) {
	c, err := s.visible(ctx, actor, number)
	if err != nil {
		return nil, fmt.Errorf("evidence of %s: %w", number, err)
	}
	list, err := s.Read.EvidenceOf(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("evidence of %s: %w", number, err)
	}
	names := make([]string, len(list))
	for i, e := range list {
		names[i] = e.UploadedBy
	}
	v, err := viewerOf(ctx, s.Read, actor, names...)
	if err != nil {
		return nil, fmt.Errorf("evidence of %s: %w", number, err)
	}
	return v.Evidence(list), nil
}

// OpenEvidence returns one piece of evidence and its file; the caller
// closes it. Evidence of a claim the actor may not see is NotFound.
func (s *Evidence) OpenEvidence(ctx context.Context, actor aftersale.Actor, number string, id int64) (aftersale.Evidence, io.ReadCloser, error) {
	c, err := s.visible(ctx, actor, number)
	if err != nil {
		return aftersale.Evidence{}, nil, fmt.Errorf("evidence %d of %s: %w", id, number, err)
	}
	e, err := s.Read.EvidenceByID(ctx, c.ID, id)
	if err != nil {
		return aftersale.Evidence{}, nil, fmt.Errorf("evidence %d of %s: %w", id, number, err)
	}
	v, err := viewerOf(ctx, s.Read, actor, e.UploadedBy)
	if err != nil {
		return aftersale.Evidence{}, nil, fmt.Errorf("evidence %d of %s: %w", id, number, err)
	}
	e = v.Evidence([]aftersale.Evidence{e})[0]
	r, _, err := s.Blobs.Open(ctx, e.BlobKey)
	if err != nil {
		return aftersale.Evidence{}, nil, fmt.Errorf("evidence %d of %s: %w", id, number, err)
	}
	return e, r, nil
}

// staff reports whether a sees and writes internal notes.
func staff(a aftersale.Actor) bool {
	return a.Role != aftersale.RoleDistributor && (a.Can(aftersale.WorkClaims) || a.Can(aftersale.Inspect))
}

// PostMessage adds a message to a claim's thread, with a "message" event,
// or, internal, a staff note with a "note" event that does not repeat the
// note: the history is shown to the claim's distributor too.
func (s *Evidence) PostMessage(ctx context.Context, actor aftersale.Actor, number, body string, internal bool) (aftersale.Message, error) {
	c, err := s.visible(ctx, actor, number)
	if err != nil {
		return aftersale.Message{}, fmt.Errorf("message on %s: %w", number, err)
	}
	switch {
	case internal && !staff(actor):
		return aftersale.Message{}, forbidden(actor, "write internal notes")
	case !internal && !actor.Can(aftersale.OpenClaims) && !actor.Can(aftersale.WorkClaims) && !actor.Can(aftersale.RespondClaims):
		return aftersale.Message{}, forbidden(actor, "write to the customer")
	}
	body = strings.TrimSpace(body)
	if body == "" {
		return aftersale.Message{}, invalid("body", "write something")
	}
	if err := aftersale.CheckText("body", body, 0); err != nil {
		return aftersale.Message{}, err
	}
	if utf8.RuneCountInString(body) > maxMessageLen {
		return aftersale.Message{}, invalid("body", "at most %d characters", maxMessageLen)
	}
	m := aftersale.Message{ClaimID: c.ID, Author: actor.String(), Body: body, Internal: internal, At: s.now()}
	err = s.InTx(ctx, func(tx EvidenceTx) error {
		if err := tx.AddMessage(ctx, &m); err != nil {
			return err
		}
		id := strconv.FormatInt(m.ID, 10)
		ev := aftersale.Event{ClaimID: c.ID, At: m.At, Actor: m.Author, Kind: "message", Detail: fmt.Sprintf("message %d: %s", m.ID, excerpt(body)),
			Data: map[string]string{"id": id, "excerpt": excerpt(body)}}
		if internal {
			ev.Kind, ev.Detail, ev.Data = "note", fmt.Sprintf("internal note %d", m.ID), map[string]string{"id": id}
		} else if staff(actor) && c.FirstAnswerOn.IsZero() {
			// Staff writing to the customer is an answer (A2).
			if err := tx.MarkAnswered(ctx, c.ID, s.today()); err != nil {
				return err
			}
		}
		return tx.AddEvents(ctx, []aftersale.Event{ev})
	})
	if err != nil {
		return aftersale.Message{}, fmt.Errorf("message on %s: %w", number, err)
	}
	return m, nil
}

// Messages returns a claim's thread, oldest first: staff see the internal
// notes, a distributor's users never do.
func (s *Evidence) Messages(ctx context.Context, actor aftersale.Actor, number string) ([]aftersale.Message, error) {
	c, err := s.visible(ctx, actor, number)
	if err != nil {
		return nil, fmt.Errorf("messages of %s: %w", number, err)
	}
	msgs, err := s.Read.MessagesOf(ctx, c.ID, staff(actor))
	if err != nil {
		return nil, fmt.Errorf("messages of %s: %w", number, err)
	}
	names := make([]string, len(msgs))
	for i, m := range msgs {
		names[i] = m.Author
	}
	v, err := viewerOf(ctx, s.Read, actor, names...)
	if err != nil {
		return nil, fmt.Errorf("messages of %s: %w", number, err)
	}
	return v.Messages(msgs), nil
}

// excerpt shortens a message for the history.
func excerpt(s string) string {
	if r := []rune(s); len(r) > 200 {
		return string(r[:200]) + "…"
	}
	return s
}
