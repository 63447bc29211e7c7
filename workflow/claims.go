package workflow

import (
	"context"
	"fmt"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

// ClaimTx is what a claim use case needs of the store inside its one write
// transaction: the registry, the claim rows and their history.
type ClaimTx interface {
	Registry
	CustomerTx
	// ClaimForUpdate reads a claim and locks it until the transaction ends.
	ClaimForUpdate(ctx context.Context, number string) (aftersale.Claim, error)
	// UpdateClaim writes c if the stored version is still c.Version-1; else
	// a Conflict error (another change won).
	UpdateClaim(ctx context.Context, c *aftersale.Claim) error
	// AddEvents appends to the claims' history.
	AddEvents(ctx context.Context, events []aftersale.Event) error
	// HasPictures reports whether a photo or a video is on file for the
	// claim.
	HasPictures(ctx context.Context, claimID int64) (bool, error)
	// ClaimConfirmation returns the hex SHA-256 of the secret that confirms
	// the claim (ClaimExtras.ConfirmHash); NotFound when it has none.
	ClaimConfirmation(ctx context.Context, claimID int64) (string, error)
}

// ClaimReader reads claims outside a transaction.
type ClaimReader interface {
	Claim(ctx context.Context, number string) (aftersale.Claim, error)
	Events(ctx context.Context, claimID int64) ([]aftersale.Event, error)
	UserFinder
	// Queue lists claims for the staff queue: ordered by respond_by, then
	// by number, one page at a time; claims that wait for their customer's
	// confirmation are left out.
	Queue(ctx context.Context, q Query) (Page, error)
	// ClaimConfirmation is ClaimTx.ClaimConfirmation outside a transaction.
	ClaimConfirmation(ctx context.Context, claimID int64) (string, error)
}

// Query filters and pages the claims.
type Query struct {
	Statuses    []aftersale.Status // empty: every status
	OnlyOpen    bool               // not closed, rejected or referred
	Overdue     bool               // open, unanswered and past respond_by on Today
	Today       date.Date
	Category    string // a line's product category
	Channel     string // the sale's channel
	Distributor string // the distributor that sold it; set for a distributor's users
	Text        string // at most MaxQueryText characters: in the number, description, customer e-mail, a serial or SKU; a whole RMA number or e-mail address: that claim, that customer's claims
	After       string // the cursor of the previous page's last claim
	Limit       int    // 1 to 200
}

// The lengths a Query's text may have, checked before any work (Check):
// MaxQueryText characters of Text, the queue's search, and MaxFilterLength
// characters of each other filter (category, channel, distributor,
// cursor). The API, the pages and the store all refuse longer ones: a
// search runs on a trigram index, whose work grows with every character of
// the text (a 66,000-character search grew a server to 12 GB).
const (
	MaxQueryText    = 200
	MaxFilterLength = 200
)

// Check refuses, as Invalid naming the field, a query whose text is longer
// than MaxQueryText characters, whose other filters are longer than
// MaxFilterLength, or which holds text no store searches for (not UTF-8, a
// NUL: aftersale.CheckText). It counts without allocating, and refuses text
// far over its limit without reading it.
func (q Query) Check() error {
	if err := aftersale.CheckText("q", q.Text, MaxQueryText); err != nil {
		return err
	}
	return checkTexts(MaxFilterLength, "category", q.Category, "channel", q.Channel, "distributor", q.Distributor,
		"after", q.After)
}

// Page is one page of claims (with their lines) and the cursor of the next.
type Page struct {
	Claims []aftersale.Claim
	Next   string // "" on the last page
}

// TxRunner runs fn inside one write transaction: everything fn does commits
// together or not at all.
type TxRunner func(ctx context.Context, fn func(ClaimTx) error) error

// Claims runs the claim use cases.
type Claims struct {
	*Service
	InTx   TxRunner
	Opener Opener
	Read   ClaimReader
	// Links says how customers' secret links are written (open.go).
	Links CustomerLinks
	Warn  WarningReader // nil: no warnings
}

// Get returns a claim the actor may see; another party's claim is "not
// found", so that nobody learns it exists.
func (s *Claims) Get(ctx context.Context, actor aftersale.Actor, number string) (aftersale.Claim, error) {
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
	return shownClaim(ctx, s.Read, actor, c)
}

// History returns a claim's events, oldest first, as the actor may see
// them (aftersale.Viewer.Events): internal notes are staff business, nobody
// else learns that one was written.
func (s *Claims) History(ctx context.Context, actor aftersale.Actor, number string) ([]aftersale.Event, error) {
	c, err := s.Get(ctx, actor, number)
	if err != nil {
		return nil, err
	}
	events, err := s.Read.Events(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(events))
	for i, e := range events {
		names[i] = e.Actor
	}
	v, err := viewerOf(ctx, s.Read, actor, names...)
	if err != nil {
		return nil, err
	}
	return v.Events(events), nil
}

// List returns a page of the claims the actor may see, ordered by what is
// due first. A distributor's users see their own customers' claims only.
func (s *Claims) List(ctx context.Context, actor aftersale.Actor, q Query) (Page, error) {
	if !actor.Can(aftersale.ViewClaims) {
		return Page{}, forbidden(actor, "see claims")
	}
	if err := q.Check(); err != nil {
		return Page{}, err
	}
	if actor.Role == aftersale.RoleCustomer {
		return s.customerPage(ctx, actor, q)
	}
	if actor.Role == aftersale.RoleDistributor {
		q.Distributor = actor.DistributorCode
	}
	if q.Limit == 0 {
		q.Limit = 50
	}
	if q.Limit < 1 || q.Limit > 200 {
		return Page{}, invalid("limit", "%d is not between 1 and 200", q.Limit)
	}
	q.Today = s.Today()
	page, err := s.Read.Queue(ctx, q)
	if err != nil || aftersale.AudienceOf(actor) == aftersale.AudienceStaff {
		return page, err
	}
	var names []string
	for _, c := range page.Claims {
		names = append(names, claimNames(c)...)
	}
	v, err := viewerOf(ctx, s.Read, actor, names...)
	if err != nil {
		return Page{}, err
	}
	for i, c := range page.Claims {
		page.Claims[i] = v.Claim(c)
	}
	return page, nil
}

func notFound(number string) error {
	return &aftersale.Error{Kind: aftersale.NotFound, Field: "number", Message: fmt.Sprintf("claim %s is not on file", number)}
}

// respondBy is the first answer's deadline for a claim complete on day d (A2).
func (s *Claims) respondBy(d date.Date) date.Date {
	v, err := s.Policy.VersionOn(d)
	if err != nil {
		v = s.Policy.Versions[len(s.Policy.Versions)-1]
	}
	return d.AddDays(v.Answer.Days)
}

func invalid(field, format string, args ...any) error {
	return &aftersale.Error{Kind: aftersale.Invalid, Field: field, Message: field + ": " + fmt.Sprintf(format, args...)}
}

func forbidden(a aftersale.Actor, what string) error {
	if a.Anonymous() {
		return &aftersale.Error{Kind: aftersale.Unauthorized, Message: "sign in to " + what}
	}
	return &aftersale.Error{Kind: aftersale.Forbidden, Message: fmt.Sprintf("%s may not %s", a.Role, what)}
}

// fieldOf names the field a registry or policy error is about.
func fieldOf(err error, field string) error {
	switch aftersale.KindOf(err) {
	case aftersale.NotFound, aftersale.Invalid:
		return &aftersale.Error{Kind: aftersale.Invalid, Field: field, Message: field + ": " + aftersale.MessageOf(err), Err: err}
	}
	return err
}
