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
