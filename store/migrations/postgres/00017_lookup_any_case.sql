-- A serial or an order number is found whatever its letters' case ("sv-30"
-- finds "SV-30"): when the exact spelling is not on file, the lookup
-- compares upper(...) on both sides (store/lookup.go), through these
-- indexes rather than a scan of the registry. SQLite's upper() folds ASCII
-- letters only, PostgreSQL's the database's; both sides go through the same.

-- +goose Up
CREATE INDEX serials_upper ON serials (upper(serial));
CREATE INDEX orders_upper ON orders (upper(number));
CREATE INDEX replacement_units_upper ON replacement_units (upper(serial)) WHERE kind = 'replacement';

-- +goose Down
DROP INDEX replacement_units_upper;
DROP INDEX orders_upper;
DROP INDEX serials_upper;
