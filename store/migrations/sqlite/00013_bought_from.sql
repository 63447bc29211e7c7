-- claim_lines.bought_from: where a purchase made elsewhere was bought, as
-- its applicant says, so that the line is judged again after inspection
-- by the same channel: 'direct' (the seller's own shop),
-- 'authorized_distributor' (a distributor on file, the claim's
-- distributor_code) or 'unauthorized_reseller' (another shop, 5.6).
-- NULL for an article of an order on file (its order has the channel), and
-- for the lines opened before it was asked, which were judged as the
-- seller's own sales.
--
-- A nullable column without a default: adding it rewrites nothing, and its
-- CHECK holds for the existing rows (all NULL).

-- +goose Up
ALTER TABLE claim_lines ADD COLUMN bought_from TEXT
    CHECK (bought_from IN ('direct', 'authorized_distributor', 'unauthorized_reseller'));

-- +goose Down
ALTER TABLE claim_lines DROP COLUMN bought_from;
