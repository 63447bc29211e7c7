-- sign_in_limits: failed sign-ins per e-mail address, so that guessing one
-- account's password is slowed down whatever addresses the guesses come
-- from, and shared by every instance on the database (auth.SignIn). An
-- address without an account has a row too: the answer must not tell
-- which addresses have accounts. trusted_ip is the client address of the
-- account's last successful sign-in, which the account's wait does not hold
-- up ('' when there was none). Timestamps as in 00002.

-- +goose Up
CREATE TABLE sign_in_limits (
    email          TEXT PRIMARY KEY CHECK (length(email) <= 254),
    failures       INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    last_failed_at TEXT,
    locked_until   TEXT,
    trusted_ip     TEXT NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;
CREATE INDEX sign_in_limits_last_failed ON sign_in_limits (last_failed_at) WHERE trusted_ip = '';

-- +goose Down
DROP TABLE sign_in_limits;
