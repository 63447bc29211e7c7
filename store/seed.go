package store

import (
	"context"
	"fmt"
)

// SeedClaimsForBenchmark fills an empty store with n generated claims (one
// line each) and the registry they point to, in one transaction, with SQL
// that generates the rows in the database: 100 products in 8 categories,
// 20 distributors, 1,000 orders, 5% of the claims open, respond_by spread
// over 2024-2025. It then refreshes the planner's statistics.
func SeedClaimsForBenchmark(ctx context.Context, db *DB, n int) error {
	stmts := seedSQLite
	if db.engine == Postgres {
		stmts = seedPostgres
	}
	err := db.InTx(ctx, func(tx *Tx) error {
		for _, s := range stmts {
			if _, err := tx.tx.ExecContext(ctx, s, n); err != nil {
				return fmt.Errorf("seed claims: %w\n%s", err, s)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := db.writer.ExecContext(ctx, "ANALYZE"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

// The open claims cycle through five statuses; of the rest, a tenth are
// rejected, a twentieth resolved, the others closed.
const seedStatus = `CASE WHEN i % 20 = 0 THEN
	CASE (i / 20) % 5 WHEN 0 THEN 'submitted' WHEN 1 THEN 'in_review' WHEN 2 THEN 'awaiting_customer'
	WHEN 3 THEN 'approved' ELSE 'awaiting_return' END
	WHEN i % 20 IN (1, 2) THEN 'rejected' WHEN i % 20 = 3 THEN 'resolved' ELSE 'closed' END`

var seedSQLite = []string{
	`INSERT INTO products (sku, name, category)
	 WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 99)
	 SELECT printf('SKU-%03d', i), 'Product', 'cat' || (i % 8) FROM s WHERE $1 > 0`,
	`INSERT INTO distributors (code, name, authorised)
	 WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 19)
	 SELECT printf('D%02d', i), 'Distributor', i % 2 FROM s WHERE $1 > 0`,
	`INSERT INTO orders (number, purchase_date, channel, distributor_code, proof_of_purchase, currency, total_minor)
	 WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 999)
	 SELECT printf('O-%04d', i), '2024-01-01',
	        CASE i % 3 WHEN 0 THEN 'direct' WHEN 1 THEN 'authorized_distributor' ELSE 'unauthorized_reseller' END,
	        CASE WHEN i % 3 = 0 THEN NULL ELSE printf('D%02d', i % 20) END, 1, 'EUR', 1000 FROM s WHERE $1 > 0`,
	`INSERT INTO claims (id, number, status, request, description, applicant, customer_email, distributor_code,
	    opened_by, reported_on, respond_by, awaiting_since, first_answer_on, search, version, created_at, updated_at, categories)
	 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $1),
	 g AS (SELECT i, printf('RMA-%04d-%06d', 2020 + i / 1000000, i % 1000000) AS number, ` + seedStatus + ` AS status,
	    date('2024-01-01', '+' || ((i * 7919) % 730) || ' days') AS respond_by,
	    'c' || (i % 100000) || '@example.com' AS email, 'unit ' || i || ' fault' AS description FROM s)
	 SELECT i, number, status, 'defect', description, 'staff', email,
	    CASE WHEN i % 3 = 0 THEN NULL ELSE printf('D%02d', (i / 3) % 20) END, 'agent', date(respond_by, '-14 days'), respond_by,
	    CASE WHEN status = 'awaiting_customer' THEN date(respond_by, '-3 days') END,
	    CASE WHEN status NOT IN ('submitted', 'in_review', 'awaiting_customer') THEN date(respond_by, '-1 days') END,
	    lower(number || char(10) || email || char(10) || 'sn-' || i || char(10) || printf('sku-%03d', (i / 7) % 100) || char(10) || description),
	    1, '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z', ',cat' || (((i / 7) % 100) % 8) || ','
	 FROM g`,
	`INSERT INTO claim_lines (claim_id, line, serial, sku, order_number, decision)
	 SELECT id, 1, 'SN-' || id, printf('SKU-%03d', (id / 7) % 100),
	    CASE WHEN id % 4 = 0 THEN NULL ELSE printf('O-%04d', id % 1000) END, '{"outcome":"eligible"}'
	 FROM claims WHERE $1 > 0`,
}

var seedPostgres = []string{
	`INSERT INTO products (sku, name, category)
	 SELECT 'SKU-' || lpad(i::text, 3, '0'), 'Product', 'cat' || (i % 8) FROM generate_series(0, 99) i WHERE $1::int > 0`,
	`INSERT INTO distributors (code, name, authorised)
	 SELECT 'D' || lpad(i::text, 2, '0'), 'Distributor', i % 2 = 1 FROM generate_series(0, 19) i WHERE $1::int > 0`,
	`INSERT INTO orders (number, purchase_date, channel, distributor_code, proof_of_purchase, currency, total_minor)
	 SELECT 'O-' || lpad(i::text, 4, '0'), DATE '2024-01-01',
	        CASE i % 3 WHEN 0 THEN 'direct' WHEN 1 THEN 'authorized_distributor' ELSE 'unauthorized_reseller' END,
	        CASE WHEN i % 3 = 0 THEN NULL ELSE 'D' || lpad((i % 20)::text, 2, '0') END, TRUE, 'EUR', 1000
	 FROM generate_series(0, 999) i WHERE $1::int > 0`,
	`INSERT INTO claims (id, number, status, request, description, applicant, customer_email, distributor_code,
	    opened_by, reported_on, respond_by, awaiting_since, first_answer_on, search, version, created_at, updated_at, categories)
	 SELECT i, number, status, 'defect', description, 'staff', email,
	    CASE WHEN i % 3 = 0 THEN NULL ELSE 'D' || lpad(((i / 3) % 20)::text, 2, '0') END, 'agent', respond_by - 14, respond_by,
	    CASE WHEN status = 'awaiting_customer' THEN respond_by - 3 END,
	    CASE WHEN status NOT IN ('submitted', 'in_review', 'awaiting_customer') THEN respond_by - 1 END,
	    lower(number || E'\n' || email || E'\n' || 'sn-' || i || E'\n' || 'sku-' || lpad(((i / 7) % 100)::text, 3, '0') || E'\n' || description),
	    1, TIMESTAMPTZ '2025-01-01 00:00:00Z', TIMESTAMPTZ '2025-01-01 00:00:00Z', ',cat' || (((i / 7) % 100) % 8) || ','
	 FROM (SELECT i, 'RMA-' || (2020 + i / 1000000) || '-' || lpad((i % 1000000)::text, 6, '0') AS number,
	    ` + seedStatus + ` AS status, DATE '2024-01-01' + ((i::bigint * 7919) % 730)::int AS respond_by,
	    'c' || (i % 100000) || '@example.com' AS email, 'unit ' || i || ' fault' AS description
	    FROM generate_series(1, $1::int) i) g`,
	`INSERT INTO claim_lines (claim_id, line, serial, sku, order_number, decision)
	 SELECT id, 1, 'SN-' || id, 'SKU-' || lpad(((id / 7) % 100)::text, 3, '0'),
	    CASE WHEN id % 4 = 0 THEN NULL ELSE 'O-' || lpad((id % 1000)::text, 4, '0') END, '{"outcome":"eligible"}'
	 FROM claims WHERE $1::int > 0`,
	`SELECT setval(pg_get_serial_sequence('claims', 'id'), $1::int)`,
}
