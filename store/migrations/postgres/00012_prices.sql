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
-- Nullable columns without a default: adding them rewrites nothing, and
-- the checks hold for the existing rows (all NULL) without reading them
-- twice. Each pair is whole: both set or both NULL.

-- +goose Up
ALTER TABLE claim_lines
    ADD COLUMN price_minor BIGINT CHECK (price_minor > 0),
    ADD COLUMN price_currency TEXT CHECK (length(price_currency) = 3),
    ADD CONSTRAINT claim_lines_price_whole CHECK ((price_minor IS NULL) = (price_currency IS NULL));
ALTER TABLE replacement_units
    ADD COLUMN price_difference_minor BIGINT,
    ADD COLUMN price_difference_currency TEXT CHECK (length(price_difference_currency) = 3),
    ADD CONSTRAINT replacement_units_price_difference_whole
        CHECK ((price_difference_minor IS NULL) = (price_difference_currency IS NULL));

-- +goose Down
ALTER TABLE replacement_units
    DROP CONSTRAINT replacement_units_price_difference_whole,
    DROP COLUMN price_difference_currency,
    DROP COLUMN price_difference_minor;
ALTER TABLE claim_lines
    DROP CONSTRAINT claim_lines_price_whole,
    DROP COLUMN price_currency,
    DROP COLUMN price_minor;
