-- A claim opened without signing in for a purchase made elsewhere waits
-- for its customer to confirm the e-mail address through a link in the
-- claim's first e-mail. claims.confirm_by is set while it waits (UTC
-- timestamp; past it, the claim has expired) and NULL for every other
-- claim: the queue, the dashboard's figures and the repeat-claim warnings
-- leave out the claims where it is set. claim_confirmations keeps the
-- SHA-256 of the confirmation link's secret (never the secret), one per
-- claim.
--
-- A nullable column without a default: adding it rewrites nothing.
-- claims_unconfirmed holds only the waiting claims, a few against all
-- claims, so that the dashboard finds them without reading the others.

-- +goose Up
ALTER TABLE claims ADD COLUMN confirm_by TEXT;
CREATE INDEX claims_unconfirmed ON claims (confirm_by) WHERE confirm_by IS NOT NULL;
CREATE TABLE claim_confirmations (
    claim_id      INTEGER PRIMARY KEY REFERENCES claims (id),
    secret_sha256 TEXT NOT NULL UNIQUE CHECK (length(secret_sha256) = 64),
    created_at    TEXT NOT NULL
) STRICT;

-- +goose Down
DROP TABLE claim_confirmations;
DROP INDEX claims_unconfirmed;
ALTER TABLE claims DROP COLUMN confirm_by;
