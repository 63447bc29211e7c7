package aftersale_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

func TestMoneyString(t *testing.T) {
	tests := []struct {
		m    aftersale.Money
		want string
	}{
		{aftersale.Money{Minor: 12999, Currency: "EUR"}, "129.99 EUR"},
		{aftersale.Money{Minor: -5, Currency: "USD"}, "-0.05 USD"},
		{aftersale.Money{Minor: 5000, Currency: "JPY"}, "5000 JPY"},
		{aftersale.Money{Minor: 1234, Currency: "KWD"}, "1.234 KWD"},
	}
	for _, tc := range tests {
		if got := tc.m.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.m, got, tc.want)
		}
	}
}

func TestErrorKinds(t *testing.T) {
	e := aftersale.Errorf(aftersale.Conflict, "serial %q is already sold", "SN1")
	tests := []struct {
		err      error
		kind     aftersale.ErrorKind
		message  string
		internal bool
	}{
		{nil, "", "", false},
		{e, aftersale.Conflict, `serial "SN1" is already sold`, false},
		{fmt.Errorf("import: %w", e), aftersale.Conflict, `serial "SN1" is already sold`, false},
		{errors.New("pq: secret driver text"), aftersale.Internal, "internal error", true},
	}
	for _, tc := range tests {
		if got := aftersale.KindOf(tc.err); got != tc.kind {
			t.Errorf("KindOf(%v) = %q, want %q", tc.err, got, tc.kind)
		}
		if got := aftersale.MessageOf(tc.err); got != tc.message {
			t.Errorf("MessageOf(%v) = %q, want %q", tc.err, got, tc.message)
		}
	}
}

func TestValidate(t *testing.T) {
	good := aftersale.Order{Number: "A-1", PurchaseDate: date.MustParse("2026-01-01"), Channel: aftersale.Direct,
		Total: aftersale.Money{Currency: "EUR"}}
	tests := []struct {
		name  string
		err   error
		field string
	}{
		{"good order", good.Validate(), ""},
		{"order without date", func() error { o := good; o.PurchaseDate = date.Date{}; return o.Validate() }(), "purchase_date"},
		{"bad channel", func() error { o := good; o.Channel = "shop"; return o.Validate() }(), "channel"},
		{"distributor channel without distributor", func() error { o := good; o.Channel = aftersale.AuthorizedDistributor; return o.Validate() }(), "distributor"},
		{"bad currency", func() error { o := good; o.Total.Currency = "eur"; return o.Validate() }(), "currency"},
		{"kit in itself", aftersale.Product{SKU: "K", Name: "K", Category: "other", Components: []aftersale.KitComponent{{SKU: "K", Quantity: 1}}}.Validate(), "components"},
		{"negative warranty", func() error {
			m := -1
			return aftersale.Product{SKU: "P", Name: "P", Category: "x", WarrantyMonths: &m}.Validate()
		}(), "warranty_months"},
		{"customer without address", aftersale.Customer{Email: "nobody"}.Validate(), "email"},
		{"line without quantity", aftersale.OrderLine{OrderNumber: "A-1", Line: 1, SKU: "P"}.Validate(), "quantity"},
		{"delivery without tracking", aftersale.Delivery{OrderNumber: "A-1"}.Validate(), "tracking_number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var e *aftersale.Error
			switch {
			case tc.field == "" && tc.err != nil:
				t.Fatalf("unexpected error %v", tc.err)
			case tc.field == "":
			case !errors.As(tc.err, &e):
				t.Fatalf("got %v, want an *aftersale.Error on %s", tc.err, tc.field)
			case e.Kind != aftersale.Invalid || e.Field != tc.field:
				t.Errorf("got kind %s field %q, want invalid on %q", e.Kind, e.Field, tc.field)
			}
		})
	}
}

// TestValidCurrency: a currency is an ISO 4217 code in use, not three
// letters.
func TestValidCurrency(t *testing.T) {
	for _, tt := range []struct {
		code string
		want bool
	}{
		{"EUR", true}, {"USD", true}, {"CNY", true}, {"JPY", true}, {"KWD", true}, {"XOF", true},
		{"XYZ", false}, {"XTS", false}, {"XXX", false}, {"XAU", false}, {"eur", false}, {"EU", false}, {"EURO", false},
		{"", false}, {" EUR", false}, {"UR ", false},
	} {
		if got := aftersale.ValidCurrency(tt.code); got != tt.want {
			t.Errorf("ValidCurrency(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}
