-- registry_version counts the changes to products and distributors, so that
-- every process can keep the catalogue in memory and tell, inside the very
-- query that reads a serial, whether its copy is still current (another
-- process, an import, may have written). Triggers keep it: a writer cannot
-- forget. SQLite's triggers run per row; an upsert that changes nothing
-- updates no row and leaves the version alone.
--
-- replacement_units_order finds the units shipped for an order's lines, for
-- the order lookup.

-- +goose Up
CREATE TABLE registry_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;
INSERT INTO registry_version (id, version) VALUES (1, 1);

-- +goose StatementBegin
CREATE TRIGGER products_version_insert AFTER INSERT ON products
BEGIN UPDATE registry_version SET version = version + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER products_version_update AFTER UPDATE ON products
BEGIN UPDATE registry_version SET version = version + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER products_version_delete AFTER DELETE ON products
BEGIN UPDATE registry_version SET version = version + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER distributors_version_insert AFTER INSERT ON distributors
BEGIN UPDATE registry_version SET version = version + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER distributors_version_update AFTER UPDATE ON distributors
BEGIN UPDATE registry_version SET version = version + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER distributors_version_delete AFTER DELETE ON distributors
BEGIN UPDATE registry_version SET version = version + 1; END;
-- +goose StatementEnd

CREATE INDEX replacement_units_order ON replacement_units (order_number, order_line);

-- +goose Down
DROP INDEX replacement_units_order;
DROP TRIGGER distributors_version_delete;
DROP TRIGGER distributors_version_update;
DROP TRIGGER distributors_version_insert;
DROP TRIGGER products_version_delete;
DROP TRIGGER products_version_update;
DROP TRIGGER products_version_insert;
DROP TABLE registry_version;
