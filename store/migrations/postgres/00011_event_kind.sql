-- claim_events_kind finds the events of one kind in a span of time without
-- reading the whole history: the dashboard counts the managers' exceptions
-- to the policy (kind 'exception') of the last twelve months and lists the
-- newest (store/stats.go). The history grows by several events per claim;
-- exceptions are a few of them.

-- +goose Up
CREATE INDEX claim_events_kind ON claim_events (kind, at);

-- +goose Down
DROP INDEX claim_events_kind;
