package workflow

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/notify"
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

// ClaimOpening is a new claim and everything written with it, as one
// durable change.
type ClaimOpening struct {
	// Claim gets its ID, and its number when it has none (the next of its
	// ReportedOn year), from the writer.
	Claim  *aftersale.Claim
	Events []aftersale.Event // the claim's first events
	// IdempotencyKey, when not "", is recorded in IdempotencyScope (the
	// caller) as the request that made the claim.
	IdempotencyScope, IdempotencyKey string
	// RequestHash identifies the request that used the key: the same key
	// with another hash is ErrIdempotencyKeyReused.
	RequestHash string
	// Compose returns what is written with the claim. It is called once,
	// when the claim has its number (not yet its ID), before anything is
	// written.
	Compose func(c aftersale.Claim) (ClaimExtras, error)
}

// ClaimExtras is what a claim's opening writes besides the claim.
type ClaimExtras struct {
	// AccessHash is the hex SHA-256 of the customer's secret link, valid
	// until AccessExpires; "" gives no link.
	AccessHash    string
	AccessExpires time.Time
	// ConfirmHash is the hex SHA-256 of the secret that confirms a claim
	// waiting for its customer's confirmation (Claim.ConfirmBy); "" for
	// any other claim.
	ConfirmHash string
	Messages    []notify.Message // enqueued in the outbox
}

// Opener writes a claim's opening as one durable change, or nothing. When
// the opening's idempotency key already made a claim, it writes nothing
// and returns that claim's number; a concurrent request that records the
// same key first makes it a Conflict error on "idempotency_key".
type Opener func(ctx context.Context, o ClaimOpening) (earlier string, err error)

// Claims runs the claim use cases.
type Claims struct {
	*Service
	InTx   TxRunner
	Opener Opener
	Read   ClaimReader
	// Links writes customers' secret links (customer.go).
	Links CustomerLinks
	Warn  WarningReader // nil: no warnings
}

// OpenClaimInput is a new claim as its applicant files it.
type OpenClaimInput struct {
	Request                string // return, defect, missing_parts, damaged_on_arrival
	Description            string
	CustomerEmail          string
	DistributorUnreachable bool
	Lines                  []OpenLine
	// confirm makes the claim wait for its customer to confirm the e-mail
	// address (OpenAsBuyer, confirm.go).
	confirm bool
}

// OpenLine names one article: a serial, an order line (with the SKU of a kit
// component when the article is inside a kit), or a purchase made elsewhere.
type OpenLine struct {
	Serial      string
	OrderNumber string
	OrderLine   int
	SKU         string
	// For a purchase made elsewhere: its dates and the proof's reference,
	// and the price paid as the proof shows it (nil: not given), which caps
	// its refunds.
	PurchasedOn   date.Date
	DeliveredOn   date.Date
	ProofDocument string
	Price         *aftersale.Money
	// BoughtFrom is where it was bought: the seller's own shop (Direct, and
	// "" says the same), an authorised distributor (AuthorizedDistributor,
	// DistributorCode naming one on file; one the registry no longer
	// authorises counts as an unauthorised reseller), or another shop
	// (UnauthorizedReseller: no warranty, 5.6).
	BoughtFrom      aftersale.Channel
	DistributorCode string
}

const maxClaimLines = 100

// openClaim files a claim (Open): every line is found in the registry (or
// taken as a purchase made elsewhere), judged by the policy, and stored with
// its decision, a "created" event, its customer's secret link (returned,
// "" when an idempotent retry returned an earlier claim) and the e-mail
// that carries it, as one durable change (Opener). Whether the actor may
// is the caller's check: a signed-in actor's permission (Open), a buyer's
// ownership of the articles (OpenAsBuyer).
func (s *Claims) openClaim(ctx context.Context, actor aftersale.Actor, in OpenClaimInput, idempotencyKey string) (aftersale.Claim, string, error) {
	if err := in.validate(); err != nil {
		return aftersale.Claim{}, "", err
	}
	var hash string
	if idempotencyKey != "" {
		done, ok := s.start(idempotencyScope(actor), idempotencyKey)
		if !ok {
			return aftersale.Claim{}, "", errIdempotencyKeyRunning(idempotencyKey)
		}
		defer done()
		hash = requestHash(in)
	}
	today, now := s.Today(), s.Now().UTC()
	c := aftersale.Claim{
		Status: aftersale.StatusSubmitted, Request: in.Request, Description: strings.TrimSpace(in.Description),
		Applicant: applicantOf(actor), CustomerEmail: aftersale.NormalizeEmail(in.CustomerEmail),
		OpenedBy: actor.String(), ReportedOn: today, CreatedAt: now, UpdatedAt: now,
		DistributorUnreachable: in.DistributorUnreachable,
	}
	c.RespondBy = s.respondBy(today)
	if in.confirm {
		// The answer clock starts at the confirmation (ConfirmClaim).
		c.ConfirmBy = s.confirmBy(now)
	}
	// The registry is read and the lines judged before the write, through
	// the reader pool: SQLite has one writer, and reads inside its
	// transactions made every claim wait for the others' reads.
	if err := s.judgeNewLines(ctx, actor, &c, in.Lines); err != nil {
		return aftersale.Claim{}, "", fmt.Errorf("open claim: %w", err)
	}
	var pictures []aftersale.Event
	if aftersale.PicturesNeeded(c.Request) {
		// Incomplete until the photos arrive (AddEvidence completes it).
		c.Status, c.AwaitingSince = aftersale.StatusAwaitingCustomer, today
		pictures = append(pictures, aftersale.Event{At: now, Actor: actor.String(), Kind: "pictures_needed",
			Detail: "photos or a video of the parcel and of the damaged goods are needed before the claim is complete (5.1)",
			Data:   map[string]string{"clause": "5.1"}})
	}
	if in.confirm {
		pictures = append(pictures, aftersale.Event{At: now, Actor: actor.String(), Kind: "confirmation_needed",
			Detail: fmt.Sprintf("the claim reaches the team once its customer confirms the e-mail address %s through the link sent there, by %s",
				c.CustomerEmail, c.ConfirmBy.Format(time.DateTime+" MST")),
			Data: map[string]string{"confirm_by": c.ConfirmBy.Format(time.RFC3339)}})
	}
	var link string
	o := ClaimOpening{
		Claim: &c,
		Events: append([]aftersale.Event{{At: now, Actor: actor.String(), Kind: "created", To: c.Status, Detail: summary(c),
			Data: summaryData(c)}}, pictures...),
		IdempotencyScope: idempotencyScope(actor),
		IdempotencyKey:   idempotencyKey,
		RequestHash:      hash,
		Compose: func(c aftersale.Claim) (extras ClaimExtras, err error) {
			extras, link, err = s.customerLink(c)
			return extras, err
		},
	}
	earlier, err := s.Opener(ctx, o)
	var ae *aftersale.Error
	if errors.As(err, &ae) && ae.Kind == aftersale.Conflict && ae.Field == "idempotency_key" {
		// A concurrent request with the same key won the race: its claim,
		// which the retry finds, is the answer to this one too.
		earlier, err = s.Opener(ctx, o)
	}
	if err != nil {
		return aftersale.Claim{}, "", fmt.Errorf("open claim: %w", err)
	}
	if earlier != "" {
		c, err := s.Read.Claim(ctx, earlier)
		return c, "", err
	}
	return c, link, nil
}

// judgeNewLines finds a new claim's articles in the registry, checks they
// come from one seller the actor may act for, and judges them. A claim
// without a customer e-mail takes its first order's.
func (s *Claims) judgeNewLines(ctx context.Context, actor aftersale.Actor, c *aftersale.Claim, lines []OpenLine) error {
	for i, l := range lines {
		n, err := s.resolveLine(ctx, s.Registry, i, l)
		if err != nil {
			return err
		}
		if i == 0 {
			c.DistributorCode = n.distributor
		} else if n.distributor != c.DistributorCode {
			return invalid(fmt.Sprintf("lines[%d]", i), "every article of a claim must come from the same seller: this one was sold by %q, the first by %q", n.distributor, c.DistributorCode)
		}
		if !actor.SeesDistributor(n.distributor) && actor.Role == aftersale.RoleDistributor {
			return forbidden(actor, "open claims for another distributor's customers")
		}
		if c.CustomerEmail == "" {
			c.CustomerEmail = aftersale.NormalizeEmail(n.email)
		}
		n.line.Line = i + 1
		if n.line.OrderNumber == "" && l.Price != nil {
			// Bought elsewhere: the price is the applicant's, with its
			// proof. An article on file has its order line's.
			price := *l.Price
			n.line.Price = &price
		}
		c.Lines = append(c.Lines, n.line)
		if err := s.decide(c, i, n.facts); err != nil {
			return err
		}
	}
	return nil
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

func (in *OpenClaimInput) validate() error {
	switch in.Request {
	case "return", "defect", "missing_parts", "damaged_on_arrival":
	default:
		return invalid("request", "%q is not one of return, defect, missing_parts, damaged_on_arrival", in.Request)
	}
	if len(in.Lines) == 0 {
		return invalid("lines", "name at least one article: a serial, an order line, or a purchase made elsewhere")
	}
	if len(in.Lines) > maxClaimLines {
		return invalid("lines", "at most %d articles in one claim", maxClaimLines)
	}
	if err := aftersale.CheckText("description", in.Description, maxNoteText); err != nil {
		return err
	}
	// The address is checked before anything is written: the e-mail that
	// carries the customer's link would be refused at the enqueue, too
	// late, as an internal error.
	if strings.TrimSpace(in.CustomerEmail) != "" && !aftersale.ValidEmail(in.CustomerEmail) {
		return invalid("customer_email", "%q is not an e-mail address", in.CustomerEmail)
	}
	for i, l := range in.Lines {
		field := fmt.Sprintf("lines[%d]", i)
		if err := checkTexts(maxKeyText, field+".serial", l.Serial, field+".order_number", l.OrderNumber,
			field+".sku", l.SKU, field+".proof_document", l.ProofDocument); err != nil {
			return err
		}
		if err := l.validPrice(field); err != nil {
			return err
		}
		if err := l.validBoughtFrom(field); err != nil {
			return err
		}
	}
	return nil
}

// validPrice checks the price of a purchase made elsewhere: more than zero,
// in an ISO 4217 currency, and only on such a purchase (a SKU with its
// purchase date): an article of an order on file costs what its order says.
func (l OpenLine) validPrice(field string) error {
	switch p := l.Price; {
	case p == nil:
		return nil
	case l.SKU == "" || l.PurchasedOn.IsZero():
		return invalid(field+".price", "only a purchase made elsewhere (sku, purchased_on, proof_document) carries its price; an order on file has its own")
	case p.Minor <= 0:
		return invalid(field+".price", "must be more than zero (minor units: 990 is 9.90)")
	case !aftersale.ValidCurrency(p.Currency):
		return invalid(field+".currency", "%q is not an ISO 4217 code, such as EUR", p.Currency)
	}
	return nil
}

// validBoughtFrom checks where a purchase made elsewhere was bought: one of
// the channels, only on such a purchase, and a distributor's code exactly
// when it was bought from a distributor (whether it is on file is the
// registry's to say, resolveLine).
func (l OpenLine) validBoughtFrom(field string) error {
	switch {
	case l.BoughtFrom == "" && l.DistributorCode == "":
		return nil
	case l.SKU == "" || l.PurchasedOn.IsZero():
		f := ".bought_from"
		if l.BoughtFrom == "" {
			f = ".distributor_code"
		}
		return invalid(field+f, "only a purchase made elsewhere (sku, purchased_on, proof_document) says where it was bought; an order on file has its own channel")
	case l.BoughtFrom != "" && !l.BoughtFrom.Valid():
		return invalid(field+".bought_from", "%q is not one of %s, %s, %s", l.BoughtFrom,
			aftersale.Direct, aftersale.AuthorizedDistributor, aftersale.UnauthorizedReseller)
	case l.BoughtFrom == aftersale.AuthorizedDistributor && strings.TrimSpace(l.DistributorCode) == "":
		return invalid(field+".distributor_code", "name the authorised distributor it was bought from")
	case l.BoughtFrom != aftersale.AuthorizedDistributor && l.DistributorCode != "":
		return invalid(field+".distributor_code", "only a purchase from an authorised distributor names its distributor")
	}
	return nil
}

// respondBy is the first answer's deadline for a claim complete on day d (A2).
func (s *Claims) respondBy(d date.Date) date.Date {
	v, err := s.Policy.VersionOn(d)
	if err != nil {
		v = s.Policy.Versions[len(s.Policy.Versions)-1]
	}
	return d.AddDays(v.Answer.Days)
}

func applicantOf(a aftersale.Actor) aftersale.ApplicantKind {
	switch a.Role {
	case aftersale.RoleDistributor:
		return aftersale.ApplicantDistributor
	case aftersale.RoleCustomer:
		return aftersale.ApplicantCustomer
	}
	return aftersale.ApplicantStaff
}

func summary(c aftersale.Claim) string {
	parts := make([]string, 0, len(c.Lines))
	for _, l := range c.Lines {
		id := l.SKU
		if l.Serial != "" {
			id += " " + l.Serial
		}
		parts = append(parts, fmt.Sprintf("%s: %s", id, l.Decision.Outcome))
	}
	return c.Request + "; " + strings.Join(parts, "; ")
}

// summaryData is summary's facts: the request, and each line's article
// ("item.1") and outcome ("outcome.1").
func summaryData(c aftersale.Claim) map[string]string {
	data := map[string]string{"request": c.Request, "lines": strconv.Itoa(len(c.Lines))}
	for i, l := range c.Lines {
		n := strconv.Itoa(i + 1)
		data["item."+n] = strings.TrimSpace(l.SKU + " " + l.Serial)
		data["outcome."+n] = l.Decision.Outcome
	}
	return data
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
