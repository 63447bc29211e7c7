-- claim_events.data: the facts of an event's detail as a JSON object of
-- strings (aftersale.Event.Data), for pages in other languages than the
-- detail's English; '' when there are none. Adding a column with a
-- constant default rewrites nothing, and fires no update trigger.

-- +goose Up
ALTER TABLE claim_events ADD COLUMN data TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE claim_events DROP COLUMN data;
