package workflow

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/notify"
	"github.com/aftersale/aftersale/policy"
)

// Opening a claim, top to bottom: who may (Open for a signed-in actor,
// OpenAsBuyer for a buyer without an account, who proves the articles are
// his), then openClaim: the input checked, every line found in the
// registry or taken as a purchase made elsewhere and judged by the policy,
// the first events, and one durable write (Opener) of the claim, its
// customer's link and the e-mail that carries it.

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

// Opened is a claim just opened and its secret link: the link is shown
// this once (and e-mailed to the customer), never again.
type Opened struct {
	Claim        aftersale.Claim
	CustomerLink string // "" when an idempotent retry returned an earlier claim
}

// Open files a claim: every line is found in the registry, judged by the
// policy, and stored with its decision, a "created" event, a secret link for
// its customer and the e-mail that carries it, in one transaction. A claim
// without a customer e-mail takes the order's. A non-empty idempotency key
// makes a retry return the claim the first call made, without the link.
func (s *Claims) Open(ctx context.Context, actor aftersale.Actor, in OpenClaimInput, idempotencyKey string) (Opened, error) {
	if !actor.Can(aftersale.OpenClaims) {
		return Opened{}, forbidden(actor, "open claims")
	}
	return s.openClaim(ctx, actor, in, idempotencyKey)
}

// buyer is the actor of a buyer opening a claim: a customer named by his
// e-mail, with no claim yet.
func buyer(email string) aftersale.Actor {
	return aftersale.Actor{Role: aftersale.RoleCustomer, Email: email, CustomerEmail: email}
}

// OpenAsBuyer files a claim for a buyer without an account (see Open): the
// customer e-mail is required, and every article from the registry (a
// serial, an order line, a kit component) must be on an order of that
// address; a purchase made elsewhere needs its proof, and makes the claim
// wait for its customer to confirm the address (confirm.go). The applicant is the
// customer; the history names him "customer <email>". An idempotency key is
// scoped to the e-mail address.
func (s *Claims) OpenAsBuyer(ctx context.Context, in OpenClaimInput, idempotencyKey string) (Opened, error) {
	email, err := buyerEmail(in.CustomerEmail)
	if err != nil {
		return Opened{}, err
	}
	in.CustomerEmail = email
	if err := in.validate(); err != nil {
		return Opened{}, err
	}
	for i, l := range in.Lines {
		elsewhere, err := s.checkBuyer(ctx, i, l, email)
		if err != nil {
			return Opened{}, err
		}
		// The registry vouches for the address of an article found there;
		// a purchase made elsewhere could name anybody's (confirm.go).
		in.confirm = in.confirm || elsewhere
	}
	return s.openClaim(ctx, buyer(email), in, idempotencyKey)
}

// checkBuyer checks that line i names an article bought with email, or a
// purchase made elsewhere with its proof (elsewhere).
func (s *Claims) checkBuyer(ctx context.Context, i int, l OpenLine, email string) (elsewhere bool, err error) {
	err = s.checkLine(ctx, i, l, email, &elsewhere)
	return elsewhere, err
}

func (s *Claims) checkLine(ctx context.Context, i int, l OpenLine, email string, elsewhere *bool) error {
	field := fmt.Sprintf("lines[%d]", i)
	made := l.SKU != "" && !l.PurchasedOn.IsZero()
	switch {
	case l.Serial != "":
		item, err := s.Registry.LookupSerial(ctx, l.Serial)
		switch aftersale.KindOf(err) {
		case "":
			if aftersale.NormalizeEmail(item.Order.CustomerEmail) == email {
				return nil
			}
		case aftersale.NotFound:
			if made {
				*elsewhere = true
				return proofGiven(field, l)
			}
		default:
			return err
		}
		return notBuyers(field+".serial", "we found no serial %q on an order of %s", l.Serial, email)
	case l.OrderNumber != "":
		items, err := s.Registry.LookupOrder(ctx, l.OrderNumber)
		if err != nil && aftersale.KindOf(err) != aftersale.NotFound {
			return err
		}
		if len(items) == 0 || aftersale.NormalizeEmail(items[0].Order.CustomerEmail) != email {
			return notBuyers(field+".order_number", "we found no order %q for %s", l.OrderNumber, email)
		}
		return nil
	case made:
		*elsewhere = true
		return proofGiven(field, l)
	}
	return nil // the registry's own check names what is missing
}

func proofGiven(field string, l OpenLine) error {
	if strings.TrimSpace(l.ProofDocument) == "" {
		return invalid(field+".proof_document", "a purchase made elsewhere needs its proof of purchase")
	}
	return nil
}

// openClaim files a claim: every line is found in the registry (or taken as
// a purchase made elsewhere), judged by the policy, and stored with its
// decision, a "created" event, its customer's secret link (returned, ""
// when an idempotent retry returned an earlier claim) and the e-mail that
// carries it, as one durable change (Opener). Whether the actor may is the
// caller's check: a signed-in actor's permission (Open), a buyer's
// ownership of the articles (OpenAsBuyer).
func (s *Claims) openClaim(ctx context.Context, actor aftersale.Actor, in OpenClaimInput, idempotencyKey string) (Opened, error) {
	if err := in.validate(); err != nil {
		return Opened{}, err
	}
	var hash string
	if idempotencyKey != "" {
		done, ok := s.start(idempotencyScope(actor), idempotencyKey)
		if !ok {
			return Opened{}, errIdempotencyKeyRunning(idempotencyKey)
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
		return Opened{}, fmt.Errorf("open claim: %w", err)
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
		return Opened{}, fmt.Errorf("open claim: %w", err)
	}
	if earlier != "" {
		c, err := s.Read.Claim(ctx, earlier)
		return Opened{Claim: c}, err
	}
	return Opened{Claim: c, CustomerLink: link}, nil
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

// newLine is a new claim's line as the registry knows it: the article, its
// facts for the policy, who sold it and the order's customer e-mail.
type newLine struct {
	line        aftersale.ClaimLine
	facts       policy.Facts
	distributor string
	email       string
}

// resolveLine finds the article of one line in the registry.
func (s *Claims) resolveLine(ctx context.Context, tx Registry, i int, l OpenLine) (newLine, error) {
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
			return newLine{}, fieldOf(err, field+".serial")
		}
		if replacedOn(found, s.Today()) {
			// The unit is the seller's since the replacement shipped (3.1):
			// a fault is claimed on the replacement, with its own cover (5.5).
			return newLine{}, invalid(field+".serial", "serial %s was replaced by %s on %s: claim the replacement",
				l.Serial, found.ReplacedBy, found.ReplacedOn)
		}
		item = found
	case l.OrderNumber != "":
		items, err := tx.LookupOrder(ctx, l.OrderNumber)
		if err != nil {
			return newLine{}, fieldOf(err, field+".order_number")
		}
		found, ok := pickItem(items, l.OrderLine, l.SKU, s.Today())
		if !ok {
			return newLine{}, invalid(field, "order %s has no line %d with SKU %q", l.OrderNumber, l.OrderLine, l.SKU)
		}
		if replacedOn(found, s.Today()) {
			// Every unit the line holds of the article was replaced.
			return newLine{}, invalid(field+".order_line", "serial %s of order %s line %d was replaced by %s on %s: claim the replacement",
				found.Serials[0], l.OrderNumber, l.OrderLine, found.ReplacedBy, found.ReplacedOn)
		}
		item = found
	case elsewhere:
		return s.elsewhereLine(ctx, tx, field, l)
	default:
		return newLine{}, invalid(field, "give a serial, an order number and line, or a SKU with its purchase date and proof")
	}
	line := aftersale.ClaimLine{SKU: item.Product.SKU, OrderNumber: item.Order.Number, OrderLine: item.Line,
		KitSKU: item.KitSKU, PurchasedOn: item.Order.PurchaseDate, DeliveredOn: item.DeliveredOn,
		ReshippedOn: item.ReshippedOn} // a repaired or replaced unit: its 5.5 cover
	if l.Serial != "" {
		line.Serial = item.Serials[0] // as on file, whatever the case it was typed in
	}
	return newLine{line: line, facts: FactsOfSale(item), distributor: item.Order.DistributorCode,
		email: item.Order.CustomerEmail}, nil
}

// elsewhereLine is a purchase made elsewhere: the product must be the
// seller's, the proof of purchase is required.
func (s *Claims) elsewhereLine(ctx context.Context, tx Registry, field string, l OpenLine) (newLine, error) {
	p, err := tx.Product(ctx, l.SKU)
	if err != nil {
		return newLine{}, fieldOf(err, field+".sku")
	}
	if l.ProofDocument == "" {
		return newLine{}, invalid(field+".proof_document", "a purchase made elsewhere needs its proof of purchase")
	}
	// The applicant's dates: in order, and not after today (the claim's
	// report date), which the policy would otherwise take them for.
	today := s.Today()
	switch {
	case !l.PurchasedOn.IsZero() && !l.PurchasedOn.InRange():
		return newLine{}, invalid(field+".purchased_on", "%s is not a year from %d to %d", l.PurchasedOn, date.MinYear, date.MaxYear)
	case !l.DeliveredOn.IsZero() && !l.DeliveredOn.InRange():
		return newLine{}, invalid(field+".delivered_on", "%s is not a year from %d to %d", l.DeliveredOn, date.MinYear, date.MaxYear)
	case l.PurchasedOn.After(today):
		return newLine{}, invalid(field+".purchased_on", "%s is after today, %s", l.PurchasedOn, today)
	case !l.DeliveredOn.IsZero() && l.DeliveredOn.Before(l.PurchasedOn):
		return newLine{}, invalid(field+".delivered_on", "%s is before purchased_on %s", l.DeliveredOn, l.PurchasedOn)
	case l.DeliveredOn.After(today):
		return newLine{}, invalid(field+".delivered_on", "%s is after today, %s", l.DeliveredOn, today)
	}
	// Where it was bought: the seller's own shop unless the applicant says
	// otherwise; a distributor must be on file.
	from := l.BoughtFrom
	if from == "" {
		from = aftersale.Direct
	}
	var dist *aftersale.Distributor
	if from == aftersale.AuthorizedDistributor {
		d, err := tx.Distributor(ctx, strings.TrimSpace(l.DistributorCode))
		if err != nil {
			return newLine{}, fieldOf(err, field+".distributor_code")
		}
		dist = &d
	}
	line := aftersale.ClaimLine{Serial: l.Serial, SKU: p.SKU, PurchasedOn: l.PurchasedOn, DeliveredOn: l.DeliveredOn,
		ProofDocument: l.ProofDocument, BoughtFrom: from}
	n := newLine{line: line, facts: productFacts(p, &line, dist)}
	if dist != nil {
		// Its distributor sees the claim, and is referred to (5.3).
		n.distributor = dist.Code
	}
	return n, nil
}

// pickItem finds the article of an order: the line itself, or the kit
// component with sku on that line. A unit replaced on or before day is
// picked only when the line holds no other: the seller owns it. The zero
// day counts no unit as replaced.
func pickItem(items []aftersale.SoldItem, line int, sku string, day date.Date) (aftersale.SoldItem, bool) {
	var replaced *aftersale.SoldItem
	for i, it := range items {
		if it.Line == line && (sku == "" && it.KitSKU == "" || sku != "" && it.Product.SKU == sku) {
			if !replacedOn(it, day) {
				return it, true
			}
			if replaced == nil {
				replaced = &items[i]
			}
		}
	}
	if replaced != nil {
		return *replaced, true
	}
	return aftersale.SoldItem{}, false
}

// customerLink makes the claim's secret link (32 random bytes, kept as a
// SHA-256 only, like API tokens) and the e-mail that carries it, for a
// claim that has its number; a claim that waits for its customer's
// confirmation gets its confirmation link in the same e-mail.
func (s *Claims) customerLink(c aftersale.Claim) (ClaimExtras, string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return ClaimExtras{}, "", fmt.Errorf("claim link: %w", err)
	}
	secret := aftersale.ClaimLinkPrefix + base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(secret))
	life := s.Links.Lifetime
	if life <= 0 {
		life = aftersale.ClaimLinkLifetime
	}
	extras := ClaimExtras{AccessHash: hex.EncodeToString(sum[:]), AccessExpires: s.Now().UTC().Add(life)}
	// The link leads to the claim's page; API clients send the secret as a
	// bearer token instead.
	link := strings.TrimRight(s.Links.BaseURL, "/") + "/claims/" + url.PathEscape(c.Number) + "?access=" + secret
	if c.CustomerEmail == "" {
		return extras, link, nil
	}
	if c.AwaitingConfirmation() {
		hash, confirmSecret, confirmLink, err := s.confirmLink(c)
		if err != nil {
			return ClaimExtras{}, "", err
		}
		m, err := notify.ClaimToConfirm(c, link, secret, confirmLink, confirmSecret)
		if err != nil {
			return ClaimExtras{}, "", err
		}
		extras.ConfirmHash, extras.Messages = hash, []notify.Message{m}
		return extras, link, nil
	}
	m, err := notify.ClaimOpened(c, link, secret)
	if err != nil {
		return ClaimExtras{}, "", err
	}
	extras.Messages = []notify.Message{m}
	return extras, link, nil
}

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

// idempotencyScope keeps one caller's idempotency keys apart from
// another's: a user's, or a buyer's e-mail address.
func idempotencyScope(a aftersale.Actor) string {
	if a.UserID == 0 && a.Role == aftersale.RoleCustomer {
		return "customer:" + a.Email
	}
	return "user:" + fmt.Sprint(a.UserID)
}
