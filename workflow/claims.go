package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/policy"
)

// ClaimTx is what a claim use case needs of the store inside its one write
// transaction: the registry, the claim rows and their history.
type ClaimTx interface {
	Registry
	CustomerTx
	// NextClaimNumber returns a new, unique RMA number for the year.
	NextClaimNumber(ctx context.Context, year int) (string, error)
	// CreateClaim stores a new claim with its lines, setting its ID and
	// Version 1.
	CreateClaim(ctx context.Context, c *aftersale.Claim) error
	// ClaimForUpdate reads a claim and locks it until the transaction ends.
	ClaimForUpdate(ctx context.Context, number string) (aftersale.Claim, error)
	// UpdateClaim writes c if the stored version is still c.Version-1; else
	// a Conflict error (another change won).
	UpdateClaim(ctx context.Context, c *aftersale.Claim) error
	// AddEvents appends to the claims' history.
	AddEvents(ctx context.Context, events []aftersale.Event) error
	// IdempotentClaim returns the number of the claim an earlier request
	// with the same key (in the same scope: the caller) created.
	IdempotentClaim(ctx context.Context, scope, key string) (number string, found bool, err error)
	// RecordIdempotentClaim remembers that key created the claim; a second
	// record of the same scope and key is a Conflict error.
	RecordIdempotentClaim(ctx context.Context, scope, key, number string) error
}

// ClaimReader reads claims outside a transaction.
type ClaimReader interface {
	Claim(ctx context.Context, number string) (aftersale.Claim, error)
	Events(ctx context.Context, claimID int64) ([]aftersale.Event, error)
	// Queue lists claims for the staff queue: ordered by respond_by, then
	// by number, one page at a time.
	Queue(ctx context.Context, q Query) (Page, error)
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
	Text        string // in the number, description, customer e-mail, a serial or SKU
	After       string // the cursor of the previous page's last claim
	Limit       int    // 1 to 200
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
	InTx TxRunner
	Read ClaimReader
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
}

// OpenLine names one article: a serial, an order line (with the SKU of a kit
// component when the article is inside a kit), or a purchase made elsewhere.
type OpenLine struct {
	Serial      string
	OrderNumber string
	OrderLine   int
	SKU         string
	// For a purchase made elsewhere: its dates and the proof's reference.
	PurchasedOn   date.Date
	DeliveredOn   date.Date
	ProofDocument string
}

const maxClaimLines = 100

// openClaim files a claim (Open): every line is found in the registry (or
// taken as a purchase made elsewhere), judged by the policy, and stored with
// its decision, a "created" event and its customer's link (in g), in one
// transaction.
func (s *Claims) openClaim(ctx context.Context, actor aftersale.Actor, in OpenClaimInput, idempotencyKey string, g *grant) (aftersale.Claim, error) {
	if !actor.Can(aftersale.OpenClaims) {
		return aftersale.Claim{}, forbidden(actor, "open claims")
	}
	if err := in.validate(); err != nil {
		return aftersale.Claim{}, err
	}
	today, now := s.Today(), s.Now().UTC()
	c := aftersale.Claim{
		Status: aftersale.StatusSubmitted, Request: in.Request, Description: strings.TrimSpace(in.Description),
		Applicant: applicantOf(actor), CustomerEmail: aftersale.NormalizeEmail(in.CustomerEmail),
		OpenedBy: actor.String(), ReportedOn: today, CreatedAt: now, UpdatedAt: now,
		DistributorUnreachable: in.DistributorUnreachable,
	}
	c.RespondBy = s.respondBy(today)
	scope := "user:" + fmt.Sprint(actor.UserID)
	var earlier string
	// The registry is read and the lines judged before the write
	// transaction, through the reader pool: SQLite has one writer, and reads
	// inside its transactions made every claim wait for the others' reads.
	if err := s.judgeNewLines(ctx, actor, &c, in.Lines); err != nil {
		return aftersale.Claim{}, fmt.Errorf("open claim: %w", err)
	}
	err := s.InTx(ctx, func(tx ClaimTx) error {
		if idempotencyKey != "" {
			number, found, err := tx.IdempotentClaim(ctx, scope, idempotencyKey)
			if err != nil || found {
				earlier = number
				return err
			}
		}
		number, err := tx.NextClaimNumber(ctx, today.Year())
		if err != nil {
			return err
		}
		c.Number = number
		if err := tx.CreateClaim(ctx, &c); err != nil {
			return err
		}
		if err := s.grantAccess(ctx, tx, c, g); err != nil {
			return err
		}
		if idempotencyKey != "" {
			if err := tx.RecordIdempotentClaim(ctx, scope, idempotencyKey, c.Number); err != nil {
				return err
			}
		}
		return tx.AddEvents(ctx, []aftersale.Event{{ClaimID: c.ID, At: now, Actor: actor.String(), Kind: "created",
			To: c.Status, Detail: summary(c)}})
	})
	var ae *aftersale.Error
	if errors.As(err, &ae) && ae.Kind == aftersale.Conflict && ae.Field == "idempotency_key" {
		// A concurrent request with the same key won the race: its claim is
		// the answer to this one too.
		err = s.InTx(ctx, func(tx ClaimTx) error {
			var found bool
			earlier, found, err = tx.IdempotentClaim(ctx, scope, idempotencyKey)
			if err == nil && !found {
				err = fmt.Errorf("idempotency key %q vanished", idempotencyKey)
			}
			return err
		})
	}
	if err != nil {
		return aftersale.Claim{}, fmt.Errorf("open claim: %w", err)
	}
	if earlier != "" {
		return s.Read.Claim(ctx, earlier)
	}
	return c, nil
}

// judgeNewLines finds a new claim's articles in the registry, checks they
// come from one seller the actor may act for, and judges them.
func (s *Claims) judgeNewLines(ctx context.Context, actor aftersale.Actor, c *aftersale.Claim, lines []OpenLine) error {
	for i, l := range lines {
		line, distributor, err := s.resolveLine(ctx, s.Registry, i, l)
		if err != nil {
			return err
		}
		if i == 0 {
			c.DistributorCode = distributor
		} else if distributor != c.DistributorCode {
			return invalid(fmt.Sprintf("lines[%d]", i), "every article of a claim must come from the same seller: this one was sold by %q, the first by %q", distributor, c.DistributorCode)
		}
		if !actor.SeesDistributor(distributor) && actor.Role == aftersale.RoleDistributor {
			return forbidden(actor, "open claims for another distributor's customers")
		}
		line.Line = i + 1
		c.Lines = append(c.Lines, line)
	}
	if err := s.decideAll(ctx, s.Registry, c); err != nil {
		return err
	}
	return customerEmail(ctx, s.Registry, c)
}

// Get returns a claim the actor may see; another party's claim is "not
// found", so that nobody learns it exists.
func (s *Claims) Get(ctx context.Context, actor aftersale.Actor, number string) (aftersale.Claim, error) {
	if !actor.Can(aftersale.ViewClaims) {
		return aftersale.Claim{}, forbidden(actor, "see claims")
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

// History returns a claim's events, oldest first. Internal notes are staff
// business: nobody else learns that one was written.
func (s *Claims) History(ctx context.Context, actor aftersale.Actor, number string) ([]aftersale.Event, error) {
	c, err := s.Get(ctx, actor, number)
	if err != nil {
		return nil, err
	}
	events, err := s.Read.Events(ctx, c.ID)
	if err != nil || actor.Can(aftersale.WorkClaims) || actor.Can(aftersale.Inspect) {
		return events, err
	}
	return slices.DeleteFunc(events, func(e aftersale.Event) bool { return e.Kind == "note" }), nil
}

// List returns a page of the claims the actor may see, ordered by what is
// due first. A distributor's users see their own customers' claims only.
func (s *Claims) List(ctx context.Context, actor aftersale.Actor, q Query) (Page, error) {
	if !actor.Can(aftersale.ViewClaims) {
		return Page{}, forbidden(actor, "see claims")
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
	return s.Read.Queue(ctx, q)
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
	if len(in.Description) > 10000 {
		return invalid("description", "at most 10,000 characters")
	}
	return nil
}

// resolveLine finds the article of one line in the registry.
func (s *Claims) resolveLine(ctx context.Context, tx Registry, i int, l OpenLine) (aftersale.ClaimLine, string, error) {
	field := fmt.Sprintf("lines[%d]", i)
	var item aftersale.SoldItem
	elsewhere := l.SKU != "" && !l.PurchasedOn.IsZero()
	switch {
	case l.Serial != "":
		found, err := tx.LookupSerial(ctx, l.Serial)
		if aftersale.KindOf(err) == aftersale.NotFound && elsewhere {
			// A unit the seller did not sell, bought elsewhere: staff are warned.
			return s.elsewhereLine(ctx, tx, field, l)
		}
		if err != nil {
			return aftersale.ClaimLine{}, "", fieldOf(err, field+".serial")
		}
		item = found
	case l.OrderNumber != "":
		items, err := tx.LookupOrder(ctx, l.OrderNumber)
		if err != nil {
			return aftersale.ClaimLine{}, "", fieldOf(err, field+".order_number")
		}
		found, ok := pickItem(items, l.OrderLine, l.SKU)
		if !ok {
			return aftersale.ClaimLine{}, "", invalid(field, "order %s has no line %d with SKU %q", l.OrderNumber, l.OrderLine, l.SKU)
		}
		item = found
	case elsewhere:
		return s.elsewhereLine(ctx, tx, field, l)
	default:
		return aftersale.ClaimLine{}, "", invalid(field, "give a serial, an order number and line, or a SKU with its purchase date and proof")
	}
	line := aftersale.ClaimLine{SKU: item.Product.SKU, OrderNumber: item.Order.Number, OrderLine: item.Line,
		KitSKU: item.KitSKU, PurchasedOn: item.Order.PurchaseDate, DeliveredOn: item.DeliveredOn,
		ReshippedOn: item.ReshippedOn} // a repaired or replaced unit: its 5.5 cover
	if l.Serial != "" {
		line.Serial = l.Serial
	}
	return line, item.Order.DistributorCode, nil
}

// elsewhereLine is a purchase made elsewhere: the product must be the
// seller's, the proof of purchase is required.
func (s *Claims) elsewhereLine(ctx context.Context, tx Registry, field string, l OpenLine) (aftersale.ClaimLine, string, error) {
	p, err := tx.Product(ctx, l.SKU)
	if err != nil {
		return aftersale.ClaimLine{}, "", fieldOf(err, field+".sku")
	}
	if l.ProofDocument == "" {
		return aftersale.ClaimLine{}, "", invalid(field+".proof_document", "a purchase made elsewhere needs its proof of purchase")
	}
	return aftersale.ClaimLine{Serial: l.Serial, SKU: p.SKU, PurchasedOn: l.PurchasedOn, DeliveredOn: l.DeliveredOn,
		ProofDocument: l.ProofDocument}, "", nil
}

// pickItem finds the article of an order: the line itself, or the kit
// component with sku on that line.
func pickItem(items []aftersale.SoldItem, line int, sku string) (aftersale.SoldItem, bool) {
	for _, it := range items {
		if it.Line == line && (sku == "" && it.KitSKU == "" || sku != "" && it.Product.SKU == sku) {
			return it, true
		}
	}
	return aftersale.SoldItem{}, false
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
	if a.Role == aftersale.RoleDistributor {
		return aftersale.ApplicantDistributor
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

// decideAll judges every line by the policy with what the registry and the
// claim know now; the inspection's findings re-judge through it too.
func (s *Claims) decideAll(ctx context.Context, tx Registry, c *aftersale.Claim) error {
	for i := range c.Lines {
		l := &c.Lines[i]
		field := fmt.Sprintf("lines[%d]", i)
		f, err := s.saleFacts(ctx, tx, l)
		if err != nil {
			return fieldOf(err, field)
		}
		applyClaimFacts(&f, c, l)
		d, err := s.Policy.Decide(&f)
		if err != nil {
			return fieldOf(err, field)
		}
		l.Decision = storedDecision(d)
	}
	return nil
}

// saleFacts are the registry's facts of a line's article.
func (s *Claims) saleFacts(ctx context.Context, tx Registry, l *aftersale.ClaimLine) (policy.Facts, error) {
	switch {
	case l.Serial != "" && l.OrderNumber != "":
		item, err := tx.LookupSerial(ctx, l.Serial)
		if err != nil {
			return policy.Facts{}, err
		}
		return FactsOfSale(item), nil
	case l.OrderNumber != "":
		items, err := tx.LookupOrder(ctx, l.OrderNumber)
		if err != nil {
			return policy.Facts{}, err
		}
		sku := l.SKU
		if l.KitSKU == "" {
			sku = ""
		}
		item, ok := pickItem(items, l.OrderLine, sku)
		if !ok {
			return policy.Facts{}, &aftersale.Error{Kind: aftersale.NotFound,
				Message: fmt.Sprintf("order %s line %d no longer holds %s", l.OrderNumber, l.OrderLine, l.SKU)}
		}
		return FactsOfSale(item), nil
	}
	p, err := tx.Product(ctx, l.SKU)
	if err != nil {
		return policy.Facts{}, err
	}
	f := policy.Facts{SKU: p.SKU, PurchasedOn: l.PurchasedOn, DeliveredOn: l.DeliveredOn,
		ProofOfPurchase: l.ProofDocument != "", Catalog: &policy.CatalogEntry{SKU: p.SKU, Category: string(p.Category)}}
	if p.WarrantyMonths != nil {
		f.Catalog.HasTerm, f.Catalog.WarrantyMonths = true, *p.WarrantyMonths
	}
	return f, nil
}

// causes are the eligibility contract's causes, in policy.Cause order.
var causes = []string{"unknown", "quality_defect", "environment", "external_event", "misuse",
	"not_following_instructions", "unauthorized_modification", "return_shipping_damage", "not_quality_related"}

// applyClaimFacts adds what the claim knows to the sale's facts: the
// request, the report date, the applicant and the inspection's findings.
func applyClaimFacts(f *policy.Facts, c *aftersale.Claim, l *aftersale.ClaimLine) {
	f.Request = map[string]policy.Request{"return": policy.RequestReturn, "defect": policy.RequestDefect,
		"missing_parts": policy.RequestMissingParts, "damaged_on_arrival": policy.RequestDamagedOnArrival}[c.Request]
	f.ReportedOn = date.Max(c.ReportedOn, date.Max(f.PurchasedOn, f.DeliveredOn))
	f.ReshippedOn = l.ReshippedOn
	f.DistributorUnreachable = c.DistributorUnreachable
	switch c.Applicant {
	case aftersale.ApplicantDistributor:
		f.Applicant = policy.ApplicantDistributor
	case aftersale.ApplicantStaff:
		f.Applicant = policy.ApplicantStaff
	}
	for i, name := range causes {
		if l.Cause == name {
			f.Cause = policy.Cause(i)
		}
	}
	if l.Resellable != nil {
		f.Resellable = policy.VerdictNotResellable
		if *l.Resellable {
			f.Resellable = policy.VerdictResellable
		}
	}
}

func storedDecision(d policy.Decision) aftersale.Decision {
	j := d.JSON()
	out := aftersale.Decision{Outcome: j.Outcome, Remedies: j.Remedies, Missing: j.Missing, Clauses: j.Clauses,
		Reasons: j.Reasons, Covered: d.Warranty.Covered, StartsOn: d.Warranty.StartsOn, EndsOn: d.Warranty.EndsOn,
		PolicyVersion: j.PolicyVersion}
	if j.ShippingPaidBy != nil {
		out.ShippingPaidBy = *j.ShippingPaidBy
	}
	return out
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
