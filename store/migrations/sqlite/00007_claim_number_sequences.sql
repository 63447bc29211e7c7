-- PostgreSQL's 00007 takes RMA numbers from a sequence per year. SQLite
-- keeps the claim_numbers counter: its one writer serialises the claim
-- transactions anyway, and the counter gives a rolled-back number back.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
