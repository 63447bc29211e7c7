-- idempotency_keys.request_hash: the SHA-256 of the request an
-- Idempotency-Key was first used with, so that the same key with another
-- request is refused instead of answered with the first one's claim.
-- Keys recorded before it have '' and match any request, as they did.
-- A key is kept 24 hours (workflow.IdempotencyKeyLifetime): an older one is
-- deleted when its key is used again.

-- +goose Up
ALTER TABLE idempotency_keys ADD COLUMN request_hash TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN request_hash;
