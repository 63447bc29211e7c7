package store

// The "pgx" database/sql driver: Open uses it for postgres:// URLs. It is
// imported here, by the store itself, so that the binary has it and not
// only the tests (which import it through internal/pgtest).
import _ "github.com/jackc/pgx/v5/stdlib"
