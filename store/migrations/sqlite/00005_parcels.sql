-- A claim's parcels (the customer's return, what the seller ships back),
-- its refunds, and the units the seller shipped to settle it: replacements
-- with their own serial, and repaired units under their old one. A unit
-- here is found by serial (store.LookupSerial) with the original sale and
-- the day it was shipped, which restarts its cover (5.5).

-- +goose Up
-- override_reason: a manager's reason for a payer other than the decision's.
CREATE TABLE claim_shipments (
    id              INTEGER PRIMARY KEY,
    claim_id        INTEGER NOT NULL REFERENCES claims (id),
    direction       TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    carrier         TEXT NOT NULL CHECK (carrier <> ''),
    tracking_number TEXT NOT NULL CHECK (tracking_number <> ''),
    paid_by         TEXT NOT NULL CHECK (paid_by IN ('seller', 'customer')),
    override_reason TEXT NOT NULL DEFAULT '',
    shipped_on      TEXT CHECK (shipped_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    delivered_on    TEXT CHECK (delivered_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (claim_id, carrier, tracking_number)
) STRICT;

CREATE TABLE claim_refunds (
    id           INTEGER PRIMARY KEY,
    claim_id     INTEGER NOT NULL REFERENCES claims (id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency     TEXT NOT NULL CHECK (length(currency) = 3),
    reference    TEXT NOT NULL CHECK (reference <> ''),
    refunded_on  TEXT NOT NULL CHECK (refunded_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    refunded_by  TEXT NOT NULL,
    UNIQUE (claim_id, reference)
) STRICT;
CREATE INDEX claim_refunds_claim ON claim_refunds (claim_id, id);

-- One row per unit and claim: a unit repaired in two claims has two rows
-- (the lookup takes the latest shipped_on); a replacement serial is new, so
-- it is unique among replacements. order_number/order_line are the original
-- sale of the unit it replaces (claim_lines rows are rewritten on every
-- claim update, so they cannot be referenced).
CREATE TABLE replacement_units (
    serial          TEXT NOT NULL CHECK (serial <> ''),
    claim_id        INTEGER NOT NULL REFERENCES claims (id),
    claim_line      INTEGER NOT NULL CHECK (claim_line > 0),
    sku             TEXT NOT NULL REFERENCES products (sku) ON UPDATE CASCADE,
    replaces_serial TEXT NOT NULL DEFAULT '',
    order_number    TEXT NOT NULL,
    order_line      INTEGER NOT NULL,
    kit_sku         TEXT NOT NULL DEFAULT '',
    shipped_on      TEXT NOT NULL CHECK (shipped_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    kind            TEXT NOT NULL CHECK (kind IN ('replacement', 'repair')),
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (serial, claim_id),
    FOREIGN KEY (order_number, order_line) REFERENCES order_lines (order_number, line_number) ON UPDATE CASCADE,
    CHECK ((kind = 'repair') = (serial = replaces_serial))
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX replacement_units_new_serial ON replacement_units (serial) WHERE kind = 'replacement';
CREATE INDEX replacement_units_claim ON replacement_units (claim_id);

-- +goose Down
DROP TABLE replacement_units;
DROP TABLE claim_refunds;
DROP TABLE claim_shipments;
