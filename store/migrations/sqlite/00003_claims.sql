-- Claims (RMA cases), their lines, their append-only history, the RMA
-- number counters and the idempotency keys of claim creation. Dates are
-- TEXT 'YYYY-MM-DD', timestamps UTC TEXT 'YYYY-MM-DDTHH:MM:SS.ffffffZ'
-- (both sort as text), JSON columns TEXT checked by json_valid.

-- +goose Up
-- One row per year; the UPSERT that bumps it is the only writer.
CREATE TABLE claim_numbers (
    year INTEGER PRIMARY KEY CHECK (year BETWEEN 1 AND 9999),
    last INTEGER NOT NULL CHECK (last > 0)
) STRICT;

-- search is the lower-cased text the queue's text filter looks in (number,
-- e-mail, description, serials, SKUs); the store keeps it, the trigram
-- index claims_search below indexes it.
CREATE TABLE claims (
    id                      INTEGER PRIMARY KEY,
    number                  TEXT NOT NULL UNIQUE,
    status                  TEXT NOT NULL CHECK (status IN ('submitted', 'awaiting_customer', 'in_review',
                                'approved', 'rejected', 'referred', 'awaiting_return', 'received', 'inspected',
                                'quote_sent', 'quote_accepted', 'resolved', 'closed')),
    resolution              TEXT NOT NULL DEFAULT '',
    request                 TEXT NOT NULL,
    description             TEXT NOT NULL DEFAULT '',
    applicant               TEXT NOT NULL CHECK (applicant IN ('customer', 'distributor', 'staff')),
    customer_email          TEXT NOT NULL DEFAULT '',
    distributor_code        TEXT REFERENCES distributors (code) ON UPDATE CASCADE,
    distributor_unreachable INTEGER NOT NULL DEFAULT 0 CHECK (distributor_unreachable IN (0, 1)),
    opened_by               TEXT NOT NULL,
    approved_remedy         TEXT NOT NULL DEFAULT '',
    return_waived           INTEGER NOT NULL DEFAULT 0 CHECK (return_waived IN (0, 1)),
    quote                   TEXT CHECK (json_valid(quote)),
    received_on             TEXT CHECK (received_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    reported_on             TEXT NOT NULL CHECK (reported_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    respond_by              TEXT NOT NULL CHECK (respond_by GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    awaiting_since          TEXT CHECK (awaiting_since GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    first_answer_on         TEXT CHECK (first_answer_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    search                  TEXT NOT NULL DEFAULT '',
    version                 INTEGER NOT NULL CHECK (version > 0),
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
) STRICT;

-- The staff queue reads claims in (respond_by, number) order; each filter
-- that can stand alone has an index in that order, so a first page reads
-- about a page of index entries. The partial indexes hold the open and the
-- open-and-unanswered claims only: most claims are closed, and scanning
-- past them would cost more than the page. Their WHERE clauses must match
-- the queue's SQL word for word (store/queue.go).
CREATE INDEX claims_queue ON claims (respond_by, number);
CREATE INDEX claims_status_queue ON claims (status, respond_by, number);
CREATE INDEX claims_distributor_queue ON claims (distributor_code, respond_by, number);
CREATE INDEX claims_open_queue ON claims (respond_by, number)
    WHERE status NOT IN ('closed', 'rejected', 'referred');
CREATE INDEX claims_unanswered_queue ON claims (respond_by, number)
    WHERE status NOT IN ('closed', 'rejected', 'referred', 'resolved')
      AND first_answer_on IS NULL AND awaiting_since IS NULL;
CREATE INDEX claims_customer ON claims (customer_email);

-- A trigram full-text index over claims.search: substring search in a
-- million claims without reading them all. External content: the text
-- lives once, in claims; the triggers keep the index in step.
CREATE VIRTUAL TABLE claims_search USING fts5 (search, content = 'claims', content_rowid = 'id', tokenize = 'trigram');
-- +goose StatementBegin
CREATE TRIGGER claims_search_insert AFTER INSERT ON claims BEGIN
    INSERT INTO claims_search (rowid, search) VALUES (new.id, new.search);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER claims_search_update AFTER UPDATE OF search ON claims WHEN old.search IS NOT new.search BEGIN
    INSERT INTO claims_search (claims_search, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO claims_search (rowid, search) VALUES (new.id, new.search);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER claims_search_delete AFTER DELETE ON claims BEGIN
    INSERT INTO claims_search (claims_search, rowid, search) VALUES ('delete', old.id, old.search);
END;
-- +goose StatementEnd

-- A line's article: a SKU of the catalogue, from an order of the registry
-- or (order_number NULL) a purchase made elsewhere. decision and exception
-- are JSON (aftersale.Decision, the manager's exception).
CREATE TABLE claim_lines (
    claim_id       INTEGER NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    line           INTEGER NOT NULL CHECK (line > 0),
    serial         TEXT NOT NULL DEFAULT '',
    sku            TEXT NOT NULL REFERENCES products (sku) ON UPDATE CASCADE,
    order_number   TEXT REFERENCES orders (number) ON UPDATE CASCADE,
    order_line     INTEGER NOT NULL DEFAULT 0 CHECK (order_line >= 0),
    kit_sku        TEXT NOT NULL DEFAULT '',
    purchased_on   TEXT CHECK (purchased_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    delivered_on   TEXT CHECK (delivered_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    reshipped_on   TEXT CHECK (reshipped_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    proof_document TEXT NOT NULL DEFAULT '',
    cause          TEXT NOT NULL DEFAULT '',
    resellable     INTEGER CHECK (resellable IN (0, 1)),
    findings       TEXT NOT NULL DEFAULT '',
    decision       TEXT NOT NULL CHECK (json_valid(decision)),
    exception      TEXT CHECK (json_valid(exception)),
    PRIMARY KEY (claim_id, line)
) STRICT, WITHOUT ROWID;
CREATE INDEX claim_lines_sku ON claim_lines (sku);
CREATE INDEX claim_lines_order ON claim_lines (order_number);
CREATE INDEX claim_lines_serial ON claim_lines (serial) WHERE serial <> '';

-- The history: rows are added, never changed (the triggers refuse).
CREATE TABLE claim_events (
    id          INTEGER PRIMARY KEY,
    claim_id    INTEGER NOT NULL REFERENCES claims (id),
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX claim_events_claim ON claim_events (claim_id, id);
-- +goose StatementBegin
CREATE TRIGGER claim_events_no_update BEFORE UPDATE ON claim_events BEGIN
    SELECT RAISE(ABORT, 'claim_events is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER claim_events_no_delete BEFORE DELETE ON claim_events BEGIN
    SELECT RAISE(ABORT, 'claim_events is append-only');
END;
-- +goose StatementEnd

-- Which claim a caller's Idempotency-Key created, so a retried request
-- returns that claim instead of opening a second one.
CREATE TABLE idempotency_keys (
    scope           TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    claim_number    TEXT NOT NULL REFERENCES claims (number),
    created_at      TEXT NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX idempotency_keys_claim ON idempotency_keys (claim_number);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE claim_events;
DROP TABLE claim_lines;
DROP TABLE claims_search;
DROP TABLE claims;
DROP TABLE claim_numbers;
