package main

import (
	"fmt"

	"github.com/aftersale/aftersale/store"
)

type migrateCmd struct{}

func (migrateCmd) Run(a *app) error {
	db, err := a.openStore(store.WithoutMigrate())
	if err != nil {
		return err
	}
	defer db.Close()
	before, _, err := db.SchemaVersion(a.ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := db.Migrate(a.ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	after, latest, err := db.SchemaVersion(a.ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	_, err = fmt.Fprintf(a.stdout, "%s database at schema version %d (was %d, latest %d)\n", db.Engine(), after, before, latest)
	return err
}
