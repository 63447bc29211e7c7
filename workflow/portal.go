package workflow

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aftersale/aftersale"
)

// A buyer without an account opens a claim on what the registry says he
// bought: the order's customer e-mail is his proof. A wrong e-mail and an
// unknown order get the same answer, so that nobody learns which orders
// exist; the web counts those answers against the client (ErrNotBuyers).

// ErrNotBuyers marks a refused ownership check: the order or serial is
// unknown, or not on an order of that e-mail address. The error that wraps
// it says which, never.
var ErrNotBuyers = errors.New("no such article bought with this e-mail address")

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
	return s.open(ctx, buyer(email), in, idempotencyKey)
}

// Articles returns the articles of the order named by number (an order
// number, or a serial on it) that the actor may open a claim on, with
// their cover: a signed-in actor who opens claims gets the orders it sees
// (a distributor's users only their own customers'); anybody else must
// give the order's e-mail address. Any refusal is ErrNotBuyers.
func (s *Claims) Articles(ctx context.Context, actor aftersale.Actor, number, email string) ([]WarrantyStatus, error) {
	number = strings.TrimSpace(number)
	if number == "" {
		return nil, invalid("order_number", "is required: the order number or a serial number")
	}
	if err := aftersale.CheckText("order_number", number, maxKeyText); err != nil {
		return nil, err
	}
	signedIn := actor.Can(aftersale.OpenClaims) && actor.Role != aftersale.RoleCustomer
	if !signedIn {
		var err error
		if email, err = buyerEmail(email); err != nil {
			return nil, err
		}
	}
	order := number
	if item, err := s.Registry.LookupSerial(ctx, number); err == nil {
		order = item.Order.Number
	} else if aftersale.KindOf(err) != aftersale.NotFound {
		return nil, err
	}
	items, err := s.Registry.LookupOrder(ctx, order)
	if err != nil && aftersale.KindOf(err) != aftersale.NotFound {
		return nil, err
	}
	refused := notBuyers("order_number", "we found no order or serial %q for %s", number, email)
	switch {
	case len(items) == 0:
		return nil, refused
	case signedIn && !actor.SeesDistributor(items[0].Order.DistributorCode):
		return nil, notBuyers("order_number", "we found no order or serial %q among your customers'", number)
	case !signedIn && aftersale.NormalizeEmail(items[0].Order.CustomerEmail) != email:
		return nil, refused
	}
	return s.WarrantyByOrder(ctx, actor, order)
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

func buyerEmail(s string) (string, error) {
	email := aftersale.NormalizeEmail(s)
	if email == "" {
		return "", invalid("customer_email", "is required: the e-mail address of the order")
	}
	if !aftersale.ValidEmail(email) {
		return "", invalid("customer_email", "%q is not an e-mail address", email)
	}
	return email, nil
}

func notBuyers(field, format string, args ...any) error {
	return &aftersale.Error{Kind: aftersale.Invalid, Field: field, Err: ErrNotBuyers,
		Message: field + ": " + fmt.Sprintf(format, args...)}
}

// idempotencyScope keeps one caller's idempotency keys apart from
// another's: a user's, or a buyer's e-mail address.
func idempotencyScope(a aftersale.Actor) string {
	if a.UserID == 0 && a.Role == aftersale.RoleCustomer {
		return "customer:" + a.Email
	}
	return "user:" + fmt.Sprint(a.UserID)
}
