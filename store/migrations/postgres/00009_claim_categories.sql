-- claims.categories holds the product categories of a claim's lines between
-- commas (",servo_motor,battery,"), and the queue's indexes hold it too: a
-- category filter is then tested on each index entry as the queue is
-- walked in respond_by order, instead of looking up each claim's lines and
-- their products (a category no open claim has made the walk visit every
-- open claim that way: 100 ms over a million claims). The store writes it
-- when a claim is created (store/claims.go categoriesOf).

-- +goose Up
ALTER TABLE claims ADD COLUMN categories TEXT NOT NULL DEFAULT '';
UPDATE claims SET categories = COALESCE(',' || (SELECT string_agg(DISTINCT p.category, ',')
    FROM claim_lines l JOIN products p ON p.sku = l.sku WHERE l.claim_id = claims.id) || ',', '');
DROP INDEX claims_queue;
CREATE INDEX claims_queue ON claims (respond_by, number, categories);
DROP INDEX claims_open_queue;
CREATE INDEX claims_open_queue ON claims (respond_by, number, categories)
    WHERE status NOT IN ('closed', 'rejected', 'referred');
DROP INDEX claims_unanswered_queue;
CREATE INDEX claims_unanswered_queue ON claims (respond_by, number, categories)
    WHERE status NOT IN ('closed', 'rejected', 'referred', 'resolved')
      AND first_answer_on IS NULL AND awaiting_since IS NULL;

-- +goose Down
DROP INDEX claims_queue;
CREATE INDEX claims_queue ON claims (respond_by, number);
DROP INDEX claims_open_queue;
CREATE INDEX claims_open_queue ON claims (respond_by, number)
    WHERE status NOT IN ('closed', 'rejected', 'referred');
DROP INDEX claims_unanswered_queue;
CREATE INDEX claims_unanswered_queue ON claims (respond_by, number)
    WHERE status NOT IN ('closed', 'rejected', 'referred', 'resolved')
      AND first_answer_on IS NULL AND awaiting_since IS NULL;
ALTER TABLE claims DROP COLUMN categories;
