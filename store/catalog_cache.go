package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/aftersale/aftersale"
)

// The catalog (products and distributors) is small and read by every
// serial lookup; joining it there cost a quarter of the lookup's time on
// modernc's SQLite (two more B-trees, eleven more columns). Each DB keeps a
// copy in memory, tagged with the registry version it was read at: a
// counter in the database (registry_version, migration 00008) that triggers
// on products and distributors raise with every change, whichever process
// or instance makes it. The serial query reads the counter with the serial,
// in the same snapshot, so a lookup never uses a copy older than what it
// read.

// catalog is the products (without successors and components) and the
// distributors at one registry version. It is never modified once
// published; its values are copied out.
type catalog struct {
	version      int64
	products     map[string]aftersale.Product
	distributors map[string]aftersale.Distributor
}

// catalogCache holds the newest catalog read from committed data.
type catalogCache struct {
	cur  atomic.Pointer[catalog]
	load sync.Mutex // one reload at a time
}

// atLeast returns a catalog of version v or newer, reading it through db
// when the copy in memory is older.
func (c *catalogCache) atLeast(ctx context.Context, db *sql.DB, engine string, v int64) (*catalog, error) {
	if cat := c.cur.Load(); cat != nil && cat.version >= v {
		return cat, nil
	}
	c.load.Lock()
	defer c.load.Unlock()
	if cat := c.cur.Load(); cat != nil && cat.version >= v {
		return cat, nil
	}
	cat, err := readCatalog(ctx, db, engine)
	if err != nil {
		return nil, err
	}
	c.cur.Store(cat)
	return cat, nil
}

// readCatalog reads the version, products and distributors in one read-only
// transaction, so that all three come from one snapshot.
func readCatalog(ctx context.Context, db *sql.DB, engine string) (*catalog, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if engine == Postgres {
		opts.Isolation = sql.LevelRepeatableRead // one snapshot for the three queries
	}
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	defer tx.Rollback()
	cat := &catalog{products: map[string]aftersale.Product{}, distributors: map[string]aftersale.Distributor{}}
	if err := tx.QueryRowContext(ctx, `SELECT version FROM registry_version`).Scan(&cat.version); err != nil {
		return nil, fmt.Errorf("read catalog version: %w", err)
	}
	err = eachRow(ctx, tx, `SELECT sku, name, category, warranty_months, discontinued FROM products`, func(sc scanner) error {
		var p aftersale.Product
		var months *int64
		if err := sc.Scan(&p.SKU, &p.Name, &p.Category, &months, &p.Discontinued); err != nil {
			return err
		}
		p.WarrantyMonths = intPtr(months)
		cat.products[p.SKU] = p
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read catalog products: %w", err)
	}
	err = eachRow(ctx, tx, `SELECT code, name, authorised, email, phone, return_window_days,
		replacement_window_days FROM distributors`, func(sc scanner) error {
		var d aftersale.Distributor
		var ret, repl *int64
		if err := sc.Scan(&d.Code, &d.Name, &d.Authorised, &d.Email, &d.Phone, &ret, &repl); err != nil {
			return err
		}
		d.ReturnWindowDays, d.ReplacementWindowDays = intPtr(ret), intPtr(repl)
		cat.distributors[d.Code] = d
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read catalog distributors: %w", err)
	}
	return cat, nil
}

func eachRow(ctx context.Context, q querier, query string, fn func(scanner) error) error {
	return eachRowArgs(ctx, q, query, nil, fn)
}

// eachRowArgs runs fn on every row of query.
func eachRowArgs(ctx context.Context, q querier, query string, args []any, fn func(scanner) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// product returns a copy of the product sku, ok false when the catalog
// has none.
func (cat *catalog) product(sku string) (aftersale.Product, bool) {
	p, ok := cat.products[sku]
	p.WarrantyMonths = copyInt(p.WarrantyMonths)
	return p, ok
}

// distributor returns a copy of the distributor code, nil when the
// catalog has none.
func (cat *catalog) distributor(code string) *aftersale.Distributor {
	d, ok := cat.distributors[code]
	if !ok {
		return nil
	}
	d.ReturnWindowDays, d.ReplacementWindowDays = copyInt(d.ReturnWindowDays), copyInt(d.ReplacementWindowDays)
	return &d
}

func copyInt(p *int) *int {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// catalogFunc resolves a lookup's product and distributor at the registry
// version the lookup read.
type catalogFunc func(ctx context.Context, version int64, sku, distributor string) (aftersale.Product, *aftersale.Distributor, error)

// fromCache resolves through the DB's catalog, reading it again when the
// lookup saw a newer version.
func (db *DB) fromCache(ctx context.Context, version int64, sku, code string) (aftersale.Product, *aftersale.Distributor, error) {
	cat, err := db.catalog.atLeast(ctx, db.reader, db.engine, version)
	if err != nil {
		return aftersale.Product{}, nil, err
	}
	p, ok := cat.product(sku)
	if !ok {
		return p, nil, fmt.Errorf("product %q is not in the catalog of version %d", sku, cat.version)
	}
	var d *aftersale.Distributor
	if code != "" {
		if d = cat.distributor(code); d == nil {
			return p, nil, fmt.Errorf("distributor %q is not in the catalog of version %d", code, cat.version)
		}
	}
	return p, d, nil
}

// fromTx resolves inside a transaction: through the DB's catalog when it
// is exactly the version the transaction sees, else (the transaction wrote
// the catalog, or the copy is behind) by reading the two rows in the
// transaction. What a transaction sees may never commit, so it is not kept.
func (tx *Tx) fromTx(ctx context.Context, version int64, sku, code string) (aftersale.Product, *aftersale.Distributor, error) {
	if cat := tx.db.catalog.cur.Load(); cat != nil && cat.version == version {
		if p, ok := cat.product(sku); ok {
			if code == "" {
				return p, nil, nil
			}
			if d := cat.distributor(code); d != nil {
				return p, d, nil
			}
		}
	}
	p, err := productRow(ctx, tx.tx, sku)
	if err != nil {
		return p, nil, err
	}
	if code == "" {
		return p, nil, nil
	}
	d, err := tx.Distributor(ctx, code)
	if err != nil {
		return p, nil, err
	}
	return p, &d, nil
}
