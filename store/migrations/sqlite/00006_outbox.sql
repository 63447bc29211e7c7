-- Customers' secret links to their claims, and the outbox of e-mail.
--
-- claim_access keeps only the SHA-256 of a link's secret: one row reaches one
-- claim until expires_at (or revoked_at).
--
-- outbox rows are written in the same transaction as the change they tell of,
-- so a rolled-back change sends nothing. A worker claims due rows by pushing
-- next_attempt_at past a lease, sends them, and sets sent_at; a failure sets
-- last_error and a later next_attempt_at; NULL next_attempt_at with no
-- sent_at means it gave up. secret is the link the body carries until it is
-- sent: then it is cut out of the body and cleared.

-- +goose Up
CREATE TABLE claim_access (
    id            INTEGER PRIMARY KEY,
    claim_id      INTEGER NOT NULL REFERENCES claims (id),
    secret_sha256 TEXT NOT NULL UNIQUE CHECK (length(secret_sha256) = 64),
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    revoked_at    TEXT
) STRICT;
CREATE INDEX claim_access_claim ON claim_access (claim_id);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    recipient       TEXT NOT NULL CHECK (recipient <> ''),
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    secret          TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    sent_at         TEXT,
    last_error      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL;

-- +goose Down
DROP TABLE outbox;
DROP TABLE claim_access;
