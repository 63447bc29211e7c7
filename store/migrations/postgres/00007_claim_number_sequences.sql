-- RMA numbers from one sequence per year instead of the row-locked
-- claim_numbers counter. The counter's row lock was held until commit, so
-- every claim transaction in every process waited for the previous one's
-- durable commit (about 450 claims/s at most). nextval() takes no lock
-- that lasts the transaction, at a price: a number taken by a transaction
-- that rolls back is not given back, so the numbers of a year may have
-- gaps (they stay unique, in the order taken, and readable:
-- RMA-2026-000123). SQLite keeps the counter table (its one writer
-- serialises claim transactions anyway, and gives numbers back).

-- +goose Up
-- next_claim_number returns the next RMA number of year y, RMA-2026-000123,
-- from the sequence claim_number_<y>, creating it the first time the year
-- is seen (the store formats SQLite's numbers the same way). When two
-- transactions create the same year's sequence at once, the second waits
-- for the first to commit and then uses the first's sequence (the
-- catalogue's unique_violation is that case).
-- +goose StatementBegin
CREATE FUNCTION next_claim_number(y integer) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    seq text := 'claim_number_' || y;
    n   bigint;
BEGIN
    IF y NOT BETWEEN 1 AND 9999 THEN
        RAISE EXCEPTION 'year % is out of range', y USING ERRCODE = 'check_violation';
    END IF;
    IF to_regclass(seq) IS NULL THEN
        BEGIN
            EXECUTE format('CREATE SEQUENCE %I AS bigint', seq);
        EXCEPTION WHEN duplicate_table OR unique_violation THEN
            NULL;
        END;
    END IF;
    n := nextval(seq);
    RETURN 'RMA-' || lpad(y::text, 4, '0') || '-' || lpad(n::text, greatest(6, length(n::text)), '0');
END;
$$;
-- +goose StatementEnd

-- The years counted so far go on from where their counters stopped.
-- +goose StatementBegin
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT year, last FROM claim_numbers LOOP
        EXECUTE format('CREATE SEQUENCE %I AS bigint START %s', 'claim_number_' || r.year, r.last + 1);
    END LOOP;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT sequencename, last_value FROM pg_sequences
             WHERE schemaname = current_schema() AND sequencename ~ '^claim_number_[0-9]+$' LOOP
        IF r.last_value IS NOT NULL THEN
            INSERT INTO claim_numbers (year, last) VALUES (substr(r.sequencename, 14)::integer, r.last_value)
                ON CONFLICT (year) DO UPDATE SET last = GREATEST(claim_numbers.last, excluded.last);
        END IF;
        EXECUTE format('DROP SEQUENCE %I', r.sequencename);
    END LOOP;
END;
$$;
-- +goose StatementEnd
DROP FUNCTION next_claim_number(integer);
