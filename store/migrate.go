package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrations holds one folder of goose SQL files per engine, with the same
// version numbers in both (TestMigrationParity checks it).
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// versionTable records applied migrations.
const versionTable = "schema_migrations"

// Migrate applies the pending migrations. Several processes may call it at
// once: PostgreSQL serialises them with a session-level advisory lock, SQLite
// with an exclusive lock on a file next to the database. The second process
// then finds nothing left to do.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", db.engine, err)
	}
	for _, r := range results {
		db.log.InfoContext(ctx, "migration applied", "engine", db.engine,
			"version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration)
	}
	return nil
}

// SchemaVersion returns the applied schema version and the newest one this
// program knows.
func (db *DB) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	p, err := db.provider()
	if err != nil {
		return 0, 0, err
	}
	current, latest, err = p.GetVersions(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("schema version: %w", err)
	}
	return current, latest, nil
}

func (db *DB) provider() (*goose.Provider, error) {
	dir, err := fs.Sub(migrations, "migrations/"+db.engine)
	if err != nil {
		return nil, fmt.Errorf("migrations for %s: %w", db.engine, err)
	}
	opts := []goose.ProviderOption{
		goose.WithTableName(versionTable),
		goose.WithDisableGlobalRegistry(true),
	}
	dialect := goose.DialectSQLite3
	if db.engine == Postgres {
		dialect = goose.DialectPostgres
		// Retry every second for up to 5 minutes (the default polls every 5 s).
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	} else {
		opts = append(opts, goose.WithLocker(&fileLocker{path: db.dsn + ".migrate-lock"}))
	}
	p, err := goose.NewProvider(dialect, db.writer, dir, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations for %s: %w", db.engine, err)
	}
	return p, nil
}
