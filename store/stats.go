package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/workflow"
)

// ClaimStats computes the dashboard's aggregates: counts over every claim,
// the monthly series from since on, and the managers' exceptions to the
// policy from since on. Each is one query on the reader pool (GROUP BY for
// the counts); over a million claims they take seconds, which is why
// workflow.Statistics keeps the result for a minute. Sums are cast to BIGINT
// because PostgreSQL sums BIGINTs as NUMERIC.
func (db *DB) ClaimStats(ctx context.Context, since date.Date) (workflow.StatsRows, error) {
	month := func(col string) string {
		if db.engine == Postgres {
			return "to_char(" + col + ", 'YYYY-MM')"
		}
		return "substr(" + col + ", 1, 7)"
	}
	var r workflow.StatsRows
	// The figures leave out the claims waiting for their customer to
	// confirm the e-mail address (migration 00015). The counts over every
	// claim subtract them, counted apart through the partial index
	// claims_unconfirmed, instead of testing confirm_by on every claim: a
	// count by status reads the index claims_status_queue alone, and a
	// filter on the row would make it read a million rows as well. A
	// waiting claim has no cause yet (that comes with an inspection).
	counts := []struct {
		into           *[]workflow.Count
		query, waiting string
	}{
		{&r.ByStatus, `SELECT status, COUNT(*) FROM claims GROUP BY status`,
			`SELECT status, COUNT(*) FROM claims WHERE confirm_by IS NOT NULL GROUP BY status`},
		{&r.ByRequest, `SELECT request, COUNT(*) FROM claims GROUP BY request`,
			`SELECT request, COUNT(*) FROM claims WHERE confirm_by IS NOT NULL GROUP BY request`},
		{&r.ByCategory, `SELECT p.category, COUNT(DISTINCT l.claim_id) FROM claim_lines l
			JOIN products p ON p.sku = l.sku GROUP BY p.category`,
			`SELECT p.category, COUNT(DISTINCT l.claim_id) FROM claims c JOIN claim_lines l ON l.claim_id = c.id
			JOIN products p ON p.sku = l.sku WHERE c.confirm_by IS NOT NULL GROUP BY p.category`},
		{&r.ByCause, `SELECT cause, COUNT(*) FROM claim_lines WHERE cause <> '' GROUP BY cause`, ""},
	}
	for _, c := range counts {
		waiting := map[string]int64{}
		if c.waiting != "" {
			err := db.statsRows(ctx, c.waiting, nil, func(rows *sql.Rows) error {
				var x workflow.Count
				err := rows.Scan(&x.Key, &x.N)
				waiting[x.Key] = x.N
				return err
			})
			if err != nil {
				return r, err
			}
		}
		err := db.statsRows(ctx, c.query, nil, func(rows *sql.Rows) error {
			var x workflow.Count
			err := rows.Scan(&x.Key, &x.N)
			if x.N -= waiting[x.Key]; x.N > 0 {
				*c.into = append(*c.into, x)
			}
			return err
		})
		if err != nil {
			return r, err
		}
	}
	err := db.statsRows(ctx, defectsSQL, nil, func(rows *sql.Rows) error {
		var d workflow.DefectRate
		err := rows.Scan(&d.SKU, &d.Name, &d.Claims, &d.Sold)
		r.Defects = append(r.Defects, d)
		return err
	})
	if err != nil {
		return r, err
	}
	args := []any{dateArg(since)}
	err = db.statsRows(ctx, `SELECT `+month("reported_on")+` AS m,
		CAST(SUM(CASE WHEN first_answer_on <= respond_by THEN 1 ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN first_answer_on > respond_by THEN 1 ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN first_answer_on IS NULL THEN 1 ELSE 0 END) AS BIGINT)
		FROM claims WHERE reported_on >= $1 AND confirm_by IS NULL GROUP BY m ORDER BY m`, args, func(rows *sql.Rows) error {
		var a workflow.AnswerMonth
		err := rows.Scan(&a.Month, &a.OnTime, &a.Late, &a.Unanswered)
		r.Answers = append(r.Answers, a)
		return err
	})
	if err != nil {
		return r, err
	}
	err = db.statsRows(ctx, strings.NewReplacer("{refunded}", month("refunded_on"), "{shipped}", month("r.shipped_on")).Replace(costsSQL),
		args, func(rows *sql.Rows) error {
			var c workflow.CostRow
			err := rows.Scan(&c.Month, &c.Currency, &c.Refunds, &c.RefundCount, &c.Replacements, &c.ReplacedUnits)
			r.Costs = append(r.Costs, c)
			return err
		})
	if err != nil {
		return r, err
	}
	monthly := []struct {
		into  *[]workflow.MonthCount
		query string
	}{
		{&r.KitParts, `SELECT ` + month("shipped_on") + ` AS m, COUNT(*) FROM replacement_units
			WHERE kind = 'replacement' AND kit_sku <> '' AND shipped_on >= $1 GROUP BY m ORDER BY m`},
		{&r.SellerShipments, `SELECT ` + month("shipped_on") + ` AS m, COUNT(*) FROM claim_shipments
			WHERE paid_by = 'seller' AND shipped_on >= $1 GROUP BY m ORDER BY m`},
	}
	for _, q := range monthly {
		err := db.statsRows(ctx, q.query, args, func(rows *sql.Rows) error {
			var x workflow.MonthCount
			err := rows.Scan(&x.Month, &x.N)
			*q.into = append(*q.into, x)
			return err
		})
		if err != nil {
			return r, err
		}
	}
	if err := db.exceptionStats(ctx, since, &r); err != nil {
		return r, err
	}
	return r, nil
}

// exceptionsSQL reads the managers' exceptions from $1 on: the history's
// "exception" events, found through the index claim_events_kind (migration
// 00011), so that the cost follows the exceptions, not the whole history.
// The facts are in data (JSON, migration 00010), read in Go as the engines
// spell JSON differently; an event recorded before 00010 has none, and its
// detail, in the workflow's words, says them instead.
const exceptionsSQL = `SELECT actor, data, CASE WHEN data = '' THEN detail ELSE '' END
	FROM claim_events WHERE kind = 'exception' AND at >= $1`

// latestExceptionsSQL reads the newest exceptions from $1 on, with their
// claims' numbers: the index, walked backwards.
var latestExceptionsSQL = fmt.Sprintf(`SELECT c.number, e.actor, e.at, e.data, CASE WHEN e.data = '' THEN e.detail ELSE '' END
	FROM claim_events e JOIN claims c ON c.id = e.claim_id
	WHERE e.kind = 'exception' AND e.at >= $1 ORDER BY e.at DESC, e.id DESC LIMIT %d`, workflow.LatestExceptionsShown)

// exceptionStats counts the exceptions per manager and remedy, and reads
// the newest. The events are recorded since 00:00 UTC of since.
func (db *DB) exceptionStats(ctx context.Context, since date.Date, r *workflow.StatsRows) error {
	y, m, d := since.Civil()
	args := []any{timeArg(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))}
	type key struct{ by, remedy string }
	counts := map[key]int64{}
	err := db.statsRows(ctx, exceptionsSQL, args, func(rows *sql.Rows) error {
		var by, data, detail string
		if err := rows.Scan(&by, &data, &detail); err != nil {
			return err
		}
		e, err := exceptionOf(data, detail)
		if err != nil {
			return err
		}
		counts[key{by, e.Remedy}]++
		return nil
	})
	if err != nil {
		return err
	}
	for k, n := range counts {
		r.Exceptions = append(r.Exceptions, workflow.ExceptionCount{By: k.by, Remedy: k.remedy, N: n})
	}
	slices.SortFunc(r.Exceptions, func(a, b workflow.ExceptionCount) int {
		return cmp.Or(cmp.Compare(a.By, b.By), cmp.Compare(a.Remedy, b.Remedy))
	})
	return db.statsRows(ctx, latestExceptionsSQL, args, func(rows *sql.Rows) error {
		var number, by, data, detail string
		var at time.Time
		if err := rows.Scan(&number, &by, timeDest{&at}, &data, &detail); err != nil {
			return err
		}
		e, err := exceptionOf(data, detail)
		if err != nil {
			return err
		}
		e.Claim, e.By, e.At = number, by, at
		r.LatestExceptions = append(r.LatestExceptions, e)
		return nil
	})
}

// exceptionOf reads an exception event's line, remedy, outcome and reason
// from its data or, without data (an event recorded before migration
// 00010), from its detail: "line 1: free_repair granted against
// not_eligible: the reason", or with "(clauses 3.1, 4.2)" after the outcome.
func exceptionOf(data, detail string) (workflow.ExceptionEvent, error) {
	var e workflow.ExceptionEvent
	if data != "" {
		var d map[string]string
		if err := json.Unmarshal([]byte(data), &d); err != nil {
			return e, fmt.Errorf("an exception event's data: %w", err)
		}
		e.Line, _ = strconv.Atoi(d["line"])
		e.Remedy, e.Outcome, e.Reason = d["remedy"], d["outcome"], d["reason"]
		return e, nil
	}
	rest, _ := strings.CutPrefix(detail, "line ")
	line, rest, _ := strings.Cut(rest, ": ")
	e.Line, _ = strconv.Atoi(line)
	e.Remedy, rest, _ = strings.Cut(rest, " granted against ")
	outcome, reason, _ := strings.Cut(rest, ": ")
	e.Outcome, _, _ = strings.Cut(outcome, " (clauses ")
	e.Reason = reason
	return e, nil
}

// defectsSQL counts, per product, the claims for a defect naming it and the
// units sold: on order lines of the product, and inside kits sold (one level
// of kit: a kit's components as the bill of materials lists them).
const defectsSQL = `WITH d AS (
	SELECT l.sku, COUNT(DISTINCT l.claim_id) AS n FROM claim_lines l
	JOIN claims c ON c.id = l.claim_id WHERE c.request = 'defect' AND c.confirm_by IS NULL GROUP BY l.sku
), sold AS (
	SELECT ol.sku, ol.quantity AS units FROM order_lines ol WHERE ol.sku IN (SELECT sku FROM d)
	UNION ALL
	SELECT k.component_sku, ol.quantity * k.quantity FROM order_lines ol
	JOIN kit_components k ON k.kit_sku = ol.sku WHERE k.component_sku IN (SELECT sku FROM d)
)
SELECT d.sku, p.name, d.n, CAST(COALESCE((SELECT SUM(s.units) FROM sold s WHERE s.sku = d.sku), 0) AS BIGINT)
FROM d JOIN products p ON p.sku = d.sku ORDER BY d.sku`

// costsSQL sums, per month and currency, the refunds paid and the order
// line's unit price of each replacement unit shipped (a kit's part has the
// kit's price on its line, so it is counted apart, in KitParts).
const costsSQL = `SELECT m, currency, CAST(SUM(refunds) AS BIGINT), CAST(SUM(nrefunds) AS BIGINT),
	CAST(SUM(replaced) AS BIGINT), CAST(SUM(nreplaced) AS BIGINT) FROM (
	SELECT {refunded} AS m, currency, amount_minor AS refunds, 1 AS nrefunds, 0 AS replaced, 0 AS nreplaced
	FROM claim_refunds WHERE refunded_on >= $1
	UNION ALL
	SELECT {shipped}, o.currency, 0, 0, ol.unit_price_minor, 1 FROM replacement_units r
	JOIN order_lines ol ON ol.order_number = r.order_number AND ol.line_number = r.order_line
	JOIN orders o ON o.number = r.order_number
	WHERE r.kind = 'replacement' AND r.kit_sku = '' AND r.shipped_on >= $1
) x GROUP BY m, currency ORDER BY m, currency`

// statsRows runs query on the reader pool and hands each row to scan.
func (db *DB) statsRows(ctx context.Context, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := db.reader.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("claim statistics: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("claim statistics: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("claim statistics: %w", err)
	}
	return nil
}
