-- claim_lines.price_minor, price_currency: what a purchase made elsewhere
-- cost, as its proof shows (minor units of an ISO 4217 currency), so that
-- refunds are capped by it as by an order line's price; both NULL when the
-- applicant did not give it, and for an article of an order on file.
--
-- replacement_units.price_difference_minor, price_difference_currency: a
-- change-of-mind exchange for another product, what the customer pays on
-- top (positive) or gets back (negative), in the order's currency; both
-- NULL for the same product or a successor shipped under warranty.
--
-- Nullable columns without a default: adding them rewrites nothing. A
-- column's CHECK keeps the pair whole (both set or both NULL); SQLite
-- drops a column only with the CHECK it carries, so each pair's second
-- column carries it and goes first.

-- +goose Up
ALTER TABLE claim_lines ADD COLUMN price_minor INTEGER CHECK (price_minor > 0);
ALTER TABLE claim_lines ADD COLUMN price_currency TEXT
    CHECK ((price_currency IS NULL) = (price_minor IS NULL) AND (price_currency IS NULL OR length(price_currency) = 3));
ALTER TABLE replacement_units ADD COLUMN price_difference_minor INTEGER;
ALTER TABLE replacement_units ADD COLUMN price_difference_currency TEXT
    CHECK ((price_difference_currency IS NULL) = (price_difference_minor IS NULL)
        AND (price_difference_currency IS NULL OR length(price_difference_currency) = 3));

-- +goose Down
ALTER TABLE replacement_units DROP COLUMN price_difference_currency;
ALTER TABLE replacement_units DROP COLUMN price_difference_minor;
ALTER TABLE claim_lines DROP COLUMN price_currency;
ALTER TABLE claim_lines DROP COLUMN price_minor;
