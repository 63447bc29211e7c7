-- The registry: what was sold, to whom, through which channel, and when it
-- arrived. STRICT tables refuse values of the wrong type. Dates are TEXT
-- 'YYYY-MM-DD' (ISO dates compare and sort as text), booleans INTEGER 0/1,
-- money integer minor units. Constraint names match the PostgreSQL schema.

-- +goose Up
CREATE TABLE products (
    sku             TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    category        TEXT NOT NULL,
    warranty_months INTEGER CHECK (warranty_months >= 0),
    discontinued    INTEGER NOT NULL DEFAULT 0 CHECK (discontinued IN (0, 1))
) STRICT, WITHOUT ROWID;

CREATE TABLE product_successors (
    sku           TEXT NOT NULL REFERENCES products (sku) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    successor_sku TEXT NOT NULL,
    PRIMARY KEY (sku, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE kit_components (
    kit_sku       TEXT NOT NULL REFERENCES products (sku) ON DELETE CASCADE,
    component_sku TEXT NOT NULL REFERENCES products (sku),
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (kit_sku, component_sku),
    CHECK (kit_sku <> component_sku)
) STRICT, WITHOUT ROWID;
CREATE INDEX kit_components_component ON kit_components (component_sku);

CREATE TABLE distributors (
    code                    TEXT PRIMARY KEY,
    name                    TEXT NOT NULL,
    authorised              INTEGER NOT NULL CHECK (authorised IN (0, 1)),
    email                   TEXT NOT NULL DEFAULT '',
    phone                   TEXT NOT NULL DEFAULT '',
    return_window_days      INTEGER CHECK (return_window_days >= 0),
    replacement_window_days INTEGER CHECK (replacement_window_days >= 0)
) STRICT, WITHOUT ROWID;

CREATE TABLE customers (
    email    TEXT PRIMARY KEY CHECK (email = lower(email)),
    name     TEXT NOT NULL DEFAULT '',
    phone    TEXT NOT NULL DEFAULT '',
    country  TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;

CREATE TABLE orders (
    number            TEXT PRIMARY KEY,
    purchase_date     TEXT NOT NULL CHECK (purchase_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    channel           TEXT NOT NULL CHECK (channel IN ('direct', 'authorized_distributor', 'unauthorized_reseller')),
    distributor_code  TEXT REFERENCES distributors (code) ON UPDATE CASCADE,
    customer_email    TEXT REFERENCES customers (email) ON UPDATE CASCADE,
    proof_of_purchase INTEGER NOT NULL CHECK (proof_of_purchase IN (0, 1)),
    proof_document    TEXT NOT NULL DEFAULT '',
    currency          TEXT NOT NULL CHECK (length(currency) = 3),
    total_minor       INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX orders_customer ON orders (customer_email);
CREATE INDEX orders_distributor ON orders (distributor_code);

CREATE TABLE order_lines (
    order_number     TEXT NOT NULL REFERENCES orders (number) ON UPDATE CASCADE,
    line_number      INTEGER NOT NULL CHECK (line_number > 0),
    sku              TEXT NOT NULL REFERENCES products (sku) ON UPDATE CASCADE,
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_minor INTEGER NOT NULL,
    PRIMARY KEY (order_number, line_number)
) STRICT, WITHOUT ROWID;
CREATE INDEX order_lines_sku ON order_lines (sku);

-- A serial is sold once: its primary key refuses a second sale. On a kit
-- line, sku is the component's SKU and the line is the kit's.
CREATE TABLE serials (
    serial       TEXT PRIMARY KEY,
    order_number TEXT NOT NULL,
    line_number  INTEGER NOT NULL,
    sku          TEXT NOT NULL REFERENCES products (sku) ON UPDATE CASCADE,
    FOREIGN KEY (order_number, line_number) REFERENCES order_lines (order_number, line_number) ON UPDATE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX serials_line ON serials (order_number, line_number);

-- line_number 0 is a parcel holding the whole order.
CREATE TABLE deliveries (
    order_number    TEXT NOT NULL REFERENCES orders (number) ON UPDATE CASCADE,
    tracking_number TEXT NOT NULL,
    line_number     INTEGER NOT NULL DEFAULT 0 CHECK (line_number >= 0),
    carrier         TEXT NOT NULL DEFAULT '',
    signed_for      TEXT CHECK (signed_for GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    PRIMARY KEY (order_number, tracking_number)
) STRICT, WITHOUT ROWID;

-- +goose Down
DROP TABLE deliveries;
DROP TABLE serials;
DROP TABLE order_lines;
DROP TABLE orders;
DROP TABLE customers;
DROP TABLE distributors;
DROP TABLE kit_components;
DROP TABLE product_successors;
DROP TABLE products;
