-- A claim's evidence (photos, videos, proof of purchase documents) and its
-- message thread. The files live in the blob store under blob_key; a row
-- records what the content was recognised as, its size and its SHA-256.

-- +goose Up
CREATE TABLE claim_evidence (
    id            INTEGER PRIMARY KEY,
    claim_id      INTEGER NOT NULL REFERENCES claims (id),
    kind          TEXT NOT NULL CHECK (kind IN ('photo', 'video', 'document')),
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL CHECK (size >= 0),
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    blob_key      TEXT NOT NULL UNIQUE,
    original_name TEXT NOT NULL DEFAULT '',
    uploaded_by   TEXT NOT NULL,
    uploaded_at   TEXT NOT NULL
) STRICT;
CREATE INDEX claim_evidence_claim ON claim_evidence (claim_id, id);

-- internal: a staff note the customer and the distributor never see.
CREATE TABLE claim_messages (
    id       INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims (id),
    author   TEXT NOT NULL,
    body     TEXT NOT NULL CHECK (body <> ''),
    internal INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
    at       TEXT NOT NULL
) STRICT;
CREATE INDEX claim_messages_claim ON claim_messages (claim_id, id);

-- +goose Down
DROP TABLE claim_messages;
DROP TABLE claim_evidence;
