-- Claims waiting for their customer to confirm the e-mail address: same
-- columns and table as the SQLite schema, which explains them.

-- +goose Up
ALTER TABLE claims ADD COLUMN confirm_by TIMESTAMPTZ;
CREATE INDEX claims_unconfirmed ON claims (confirm_by) WHERE confirm_by IS NOT NULL;
CREATE TABLE claim_confirmations (
    claim_id      BIGINT PRIMARY KEY REFERENCES claims (id),
    secret_sha256 TEXT NOT NULL UNIQUE CHECK (length(secret_sha256) = 64),
    created_at    TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE claim_confirmations;
DROP INDEX claims_unconfirmed;
ALTER TABLE claims DROP COLUMN confirm_by;
