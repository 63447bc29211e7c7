// Package importer reads the registry in bulk from CSV or JSON Lines files
// (`aftersale import KIND FILE`) and writes it through the store.
//
// A file holds one kind of record. Import it in this order on a fresh
// database, since each kind may refer to the ones before it: products,
// kits, distributors, customers, orders, deliveries. FORMATS.md in this
// directory describes the same columns with examples.
//
// # Files
//
// CSV files start with a header row naming their columns, in any order; an
// unknown column, a column named twice or a missing required column refuses
// the file. JSON Lines files (.jsonl, .ndjson) hold one object per line whose
// keys are the same column names; numbers and booleans may be JSON values,
// and list columns may be JSON arrays of strings. Lists in CSV are separated
// by ";". Amounts are integer minor units (cents) of the order's currency.
// Dates are YYYY-MM-DD and may not be after today (in the policy's time
// zone). Booleans are true/false, yes/no or 1/0; empty is false.
//
// # Columns (* = required)
//
//	products:     sku*, name*, category*, warranty_months, successors, discontinued
//	kits:         kit_sku*, component_sku*, quantity*
//	distributors: code*, name*, authorised*, email, phone, return_window_days, replacement_window_days
//	customers:    email*, name, phone, country, language
//	orders:       order_number*, purchase_date*, channel*, distributor, customer_email,
//	              proof_of_purchase, proof_document, currency*, total,
//	              line*, sku*, quantity*, unit_price*, serials
//	deliveries:   order_number*, line, carrier, tracking_number*, signed_for
//
// products: category must be one of the policy's categories; warranty_months
// is a product-specific warranty (empty: the category's); successors are the
// SKUs that may replace it, in order of preference. A product keeps the bill
// of materials a kits file gave it.
//
// kits: one row per component; the rows of a kit are consecutive and replace
// its bill of materials. The kit itself must already be a product; a kit
// may not contain itself, directly or through another kit.
//
// orders: one row per order line; the rows of an order are consecutive and
// repeat (or leave empty) the order's columns. channel is direct,
// authorized_distributor or unauthorized_reseller; distributor is the
// distributor's code. serials lists the line's serial numbers; on a kit line,
// SKU:SERIAL gives a component's serial. total defaults to the sum of
// quantity * unit_price. A serial sold twice, in the file or already in the
// database on another line, is refused.
//
// deliveries: line 0 or empty is a parcel holding the whole order;
// signed_for empty means not yet delivered, and may not be before the
// purchase date.
//
// # Bad rows
//
// Every bad row is reported as FILE:LINE: column NAME: reason. By default one
// bad row refuses the whole file (the first 100 are listed, the rest counted,
// and nothing is stored); a row of more than MaxColumns columns or
// MaxRecordBytes bytes is refused as it streams in; with Options.SkipInvalid the good rows are applied and the bad
// ones written to a rejects CSV with their line and reason. An order or a kit
// is applied whole or refused whole. A key repeated later in the file (a
// product, an order) updates the earlier row, as a second import would.
// Re-importing a file changes nothing.
package importer
