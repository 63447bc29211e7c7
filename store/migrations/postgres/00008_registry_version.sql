-- registry_version counts the changes to products and distributors, so that
-- every instance can keep the catalogue in memory and tell, inside the very
-- query that reads a serial, whether its copy is still current (another
-- instance, an import, may have written). Statement triggers keep it: a
-- writer cannot forget. The row lock they take serialises catalogue writes
-- until commit, which are rare and short.
--
-- replacement_units_order finds the units shipped for an order's lines, for
-- the order lookup.

-- +goose Up
CREATE TABLE registry_version (
    id      integer PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO registry_version (id, version) VALUES (1, 1);

-- +goose StatementBegin
CREATE FUNCTION bump_registry_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE registry_version SET version = version + 1;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER products_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products
    FOR EACH STATEMENT EXECUTE FUNCTION bump_registry_version();
CREATE TRIGGER distributors_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON distributors
    FOR EACH STATEMENT EXECUTE FUNCTION bump_registry_version();

CREATE INDEX replacement_units_order ON replacement_units (order_number, order_line);

-- +goose Down
DROP INDEX replacement_units_order;
DROP TRIGGER distributors_version ON distributors;
DROP TRIGGER products_version ON products;
DROP FUNCTION bump_registry_version();
DROP TABLE registry_version;
