// Package storetest is the conformance suite every store engine must pass.
// The store package runs it against SQLite and PostgreSQL:
//
//	storetest.Run(t, func(t *testing.T) *store.DB { ... a fresh, migrated store ... })
package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/store"
)

// Open returns a fresh, empty, migrated store for one test, whose clock is
// testday.Now (store.WithClock): the suite checks what the store stamps and
// what expires against that clock, so a store that reads the machine's clock
// fails it on a test day other than the machine's. The test closes the store
// (or Open registers the close with t.Cleanup).
type Open func(t *testing.T) *store.DB

// Run runs every conformance test, each on its own fresh store.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, db *store.DB)
	}{
		{"ProductsRoundTrip", testProductsRoundTrip},
		{"PartiesRoundTrip", testPartiesRoundTrip},
		{"OrdersRoundTrip", testOrdersRoundTrip},
		{"ReimportChangesNothing", testReimportChangesNothing},
		{"Refusals", testRefusals},
		{"FailedBatchLeavesNothing", testFailedBatchLeavesNothing},
		{"ErrorInLaterChunkNamesRow", testErrorInLaterChunk},
		{"InTxRollsBack", testInTxRollsBack},
		{"LookupSerial", testLookupSerial},
		{"NeverClaimed", testNeverClaimed},
		{"CatalogChanges", testCatalogChanges},
		{"LookupOrder", testLookupOrder},
		{"LookupOrderNestedKits", testNestedKits},
		{"LookupAnyCase", testLookupAnyCase},
		{"NotFound", testNotFound},
		{"UsersRoundTrip", testUsersRoundTrip},
		{"FirstUser", testFirstUser},
		{"UserRefusals", testUserRefusals},
		{"RolesAndLastAdmin", testRolesAndLastAdmin},
		{"Tokens", testTokens},
		{"Sessions", testSessions},
		{"SignInLimits", testSignInLimits},
		{"ClaimRoundTrip", testClaimRoundTrip},
		{"UnreadableDatesRefused", testUnreadableDatesRefused},
		{"ClaimNumbers", testClaimNumbers},
		{"CreateClaim", testCreateClaim},
		{"OpenClaim", testOpenClaim},
		{"OpenClaimRace", testOpenClaimRace},
		{"UnconfirmedClaims", testUnconfirmedClaims},
		{"OutboxTwoSecrets", testTwoSecrets},
		{"ClaimUpdate", testClaimUpdate},
		{"ClaimEvents", testClaimEvents},
		{"ClaimIdempotency", testIdempotency},
		{"FailedClaimTxLeavesNothing", testFailedClaimTx},
		{"ClaimQueue", testClaimQueue},
		{"Evidence", testEvidence},
		{"EvidenceRefusals", testEvidenceRefusals},
		{"FailedEvidenceTxLeavesNothing", testFailedEvidenceTx},
		{"Messages", testMessages},
		{"Shipments", testShipments},
		{"Refunds", testRefunds},
		{"ReplacementUnits", testReplacementUnits},
		{"Prices", testPrices},
		{"BoughtFrom", testBoughtFrom},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, open(t))
		})
	}
}

// Queue runs the queue's conformance test alone, for a store opened with
// other options (store.WithProbeLimit).
func Queue(t *testing.T, db *store.DB) { testClaimQueue(t, db) }

func ctx(t *testing.T) context.Context { return t.Context() }

func months(n int) *int { return &n }

// Catalog is the seed data of most tests: a servo kit (which nests
// nothing), a bigger kit that nests it, and a product with its own warranty.
func catalog() []aftersale.Product {
	return []aftersale.Product{
		{SKU: "ESC-1", Name: "Speed controller", Category: "electronic_module", Successors: []string{"ESC-2", "ESC-3"}, Discontinued: true},
		{SKU: "ESC-2", Name: "Speed controller v2", Category: "electronic_module"},
		{SKU: "SERVO-9G", Name: "9 g servo", Category: "servo_motor"},
		{SKU: "SCREW-M3", Name: "M3 screws", Category: "consumable"},
		{SKU: "PSU-1", Name: "Power supply", Category: "power_module", WarrantyMonths: months(6)},
		{SKU: "KIT-ARM", Name: "Robot arm kit", Category: "other", Components: []aftersale.KitComponent{
			{SKU: "SCREW-M3", Quantity: 10}, {SKU: "SERVO-9G", Quantity: 2}}},
		{SKU: "KIT-BOT", Name: "Robot kit", Category: "other", Components: []aftersale.KitComponent{
			{SKU: "ESC-2", Quantity: 1}, {SKU: "KIT-ARM", Quantity: 2}}},
	}
}

func distributors() []aftersale.Distributor {
	return []aftersale.Distributor{
		{Code: "DIST-DE", Name: "Robots GmbH", Authorised: true, Email: "service@robots.de", Phone: "+49 30 1234", ReturnWindowDays: months(14)},
		{Code: "SHOP-X", Name: "Grey market shop", Authorised: false},
	}
}

func customers() []aftersale.Customer {
	return []aftersale.Customer{
		{Email: "Alice@Example.com", Name: "Alice", Phone: "+44 20 7946 0000", Country: "GB", Language: "en"},
		{Email: "bob@example.de", Name: "Bob", Country: "DE", Language: "de"},
	}
}

func orders() []aftersale.Order {
	return []aftersale.Order{
		{Number: "A-1001", PurchaseDate: date.MustParse("2026-01-10"), Channel: aftersale.Direct,
			CustomerEmail: "alice@example.com", ProofOfPurchase: true, ProofDocument: "INV-1001",
			Total: aftersale.Money{Minor: 12999, Currency: "EUR"},
			Lines: []aftersale.OrderLine{
				{Line: 1, SKU: "ESC-1", Quantity: 1, UnitPrice: 2999, Serials: []aftersale.Serial{{Number: "SN-ESC-1"}}},
				{Line: 2, SKU: "KIT-ARM", Quantity: 1, UnitPrice: 10000, Serials: []aftersale.Serial{
					{Number: "SN-ARM-1"},
					{Number: "SN-SERVO-1", SKU: "SERVO-9G"},
					{Number: "SN-SERVO-2", SKU: "SERVO-9G"}}},
			}},
		{Number: "B-2001", PurchaseDate: date.MustParse("2026-02-01"), Channel: aftersale.AuthorizedDistributor,
			DistributorCode: "DIST-DE", CustomerEmail: "BOB@example.de",
			Total: aftersale.Money{Minor: 5000, Currency: "JPY"},
			Lines: []aftersale.OrderLine{
				{Line: 1, SKU: "KIT-BOT", Quantity: 2, UnitPrice: 2500},
			}},
		{Number: "C-3001", PurchaseDate: date.MustParse("2026-03-01"), Channel: aftersale.UnauthorizedReseller,
			DistributorCode: "SHOP-X", Total: aftersale.Money{Minor: 100, Currency: "USD"},
			Lines: []aftersale.OrderLine{{Line: 1, SKU: "SCREW-M3", Quantity: 50, UnitPrice: 2}}},
	}
}

func deliveries() []aftersale.Delivery {
	return []aftersale.Delivery{
		{OrderNumber: "A-1001", TrackingNumber: "DHL-1", Carrier: "DHL", SignedFor: date.MustParse("2026-01-13")},
		{OrderNumber: "A-1001", TrackingNumber: "DHL-2", Carrier: "DHL", Line: 2, SignedFor: date.MustParse("2026-01-15")},
		{OrderNumber: "B-2001", TrackingNumber: "UPS-9", Carrier: "UPS"},
	}
}

// seed writes the whole fixture, as an import would, in one transaction.
func seed(t *testing.T, db *store.DB) {
	t.Helper()
	err := db.InTx(ctx(t), func(tx *store.Tx) error {
		if err := tx.UpsertProducts(ctx(t), catalog()); err != nil {
			return err
		}
		if err := tx.UpsertDistributors(ctx(t), distributors()); err != nil {
			return err
		}
		if err := tx.UpsertCustomers(ctx(t), customers()); err != nil {
			return err
		}
		if err := tx.UpsertOrders(ctx(t), orders()); err != nil {
			return err
		}
		return tx.UpsertDeliveries(ctx(t), deliveries())
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
}

// wantError checks that err is an *aftersale.Error of kind whose message
// contains every one of parts.
func wantError(t *testing.T, err error, kind aftersale.ErrorKind, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s error containing %q", kind, parts)
	}
	var e *aftersale.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %T %v, want an *aftersale.Error", err, err)
	}
	if e.Kind != kind {
		t.Errorf("kind = %s, want %s (message %q)", e.Kind, kind, e.Message)
	}
	for _, p := range parts {
		if !strings.Contains(e.Message, p) {
			t.Errorf("message %q does not contain %q", e.Message, p)
		}
	}
	for _, raw := range []string{"SQLSTATE", "constraint failed", "violates"} {
		if strings.Contains(e.Message, raw) {
			t.Errorf("message %q leaks the driver's text", e.Message)
		}
	}
}
