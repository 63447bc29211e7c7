-- Accounts: staff and distributor users, their API tokens and their
-- sign-in sessions. Timestamps are UTC TEXT 'YYYY-MM-DDTHH:MM:SS.ffffffZ',
-- which compares and sorts as text. Secrets are stored only as hex SHA-256
-- hashes; passwords as argon2id PHC strings.

-- +goose Up
CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    email            TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
    name             TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('agent', 'inspector', 'manager', 'admin', 'distributor')),
    distributor_code TEXT REFERENCES distributors (code) ON UPDATE CASCADE,
    password_hash    TEXT NOT NULL DEFAULT '',
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at       TEXT NOT NULL,
    CHECK ((role = 'distributor') = (distributor_code IS NOT NULL))
) STRICT;
CREATE INDEX users_distributor ON users (distributor_code);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE sessions (
    id_sha256  TEXT PRIMARY KEY CHECK (length(id_sha256) = 64),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

-- +goose Down
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE users;
