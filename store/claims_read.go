package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aftersale/aftersale"
)

// claimSelect lists a claim's columns for scanClaim, from claims c.
const claimSelect = `SELECT c.id, c.number, c.status, c.resolution, c.request, c.description, c.applicant,
	c.customer_email, COALESCE(c.distributor_code, ''), c.distributor_unreachable, c.opened_by,
	c.approved_remedy, c.return_waived, c.quote, c.received_on, c.reported_on, c.respond_by, c.awaiting_since,
	c.first_answer_on, c.version, c.created_at, c.updated_at, c.confirm_by
FROM claims c`

const claimByNumber = claimSelect + ` WHERE c.number = $1`

func scanClaim(sc scanner) (aftersale.Claim, error) {
	var c aftersale.Claim
	var quote []byte
	err := sc.Scan(&c.ID, &c.Number, &c.Status, &c.Resolution, &c.Request, &c.Description, &c.Applicant,
		&c.CustomerEmail, &c.DistributorCode, &c.DistributorUnreachable, &c.OpenedBy,
		&c.ApprovedRemedy, &c.ReturnWaived, &quote, dateDest{&c.ReceivedOn}, dateDest{&c.ReportedOn}, dateDest{&c.RespondBy},
		dateDest{&c.AwaitingSince}, dateDest{&c.FirstAnswerOn}, &c.Version, timeDest{&c.CreatedAt},
		timeDest{&c.UpdatedAt}, timeDest{&c.ConfirmBy})
	if err != nil {
		return c, err
	}
	if c.Quote, err = decodeQuote(quote); err != nil {
		return c, fmt.Errorf("claim %s: %w", c.Number, err)
	}
	return c, nil
}

// readClaim runs query (claimByNumber, perhaps locking) and loads the lines.
func readClaim(ctx context.Context, q querier, query, number string) (aftersale.Claim, error) {
	c, err := scanClaim(q.QueryRowContext(ctx, query, number))
	if errors.Is(err, sql.ErrNoRows) {
		return c, userError(aftersale.NotFound, "number", err, "claim %s is not on file", number)
	}
	if err != nil {
		return c, fmt.Errorf("read claim %s: %w", number, err)
	}
	lines, err := readLines(ctx, q, []int64{c.ID})
	if err != nil {
		return c, fmt.Errorf("read claim %s: %w", number, err)
	}
	c.Lines = lines[c.ID]
	return c, nil
}

// Claim returns a claim with its lines, or a NotFound error naming number.
func (db *DB) Claim(ctx context.Context, number string) (aftersale.Claim, error) {
	return readClaim(ctx, db.reads, claimByNumber, number)
}

const lineSelect = `SELECT claim_id, line, serial, sku, COALESCE(order_number, ''), order_line, kit_sku,
	purchased_on, delivered_on, reshipped_on, proof_document, cause, resellable, findings, decision, exception,
	price_minor, price_currency, COALESCE(bought_from, '')
FROM claim_lines`

// readLines returns the lines of the claims ids, by claim, in line order:
// one query for a whole page of claims.
func readLines(ctx context.Context, q querier, ids []int64) (map[int64][]aftersale.ClaimLine, error) {
	out := make(map[int64][]aftersale.ClaimLine, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var query string
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	if len(ids) == 1 {
		query = lineSelect + ` WHERE claim_id = $1 ORDER BY line`
	} else {
		query = lineSelect + ` WHERE claim_id IN (` + inList(len(ids)) + `) ORDER BY claim_id, line`
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("claim lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		l, err := scanLine(rows, &id)
		if err != nil {
			return nil, err
		}
		out[id] = append(out[id], l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim lines: %w", err)
	}
	return out, nil
}

func scanLine(sc scanner, claimID *int64) (aftersale.ClaimLine, error) {
	var l aftersale.ClaimLine
	var decision, exception []byte
	price := moneyDest{m: &l.Price}
	priceMinor, priceCurrency := price.dests()
	err := sc.Scan(claimID, &l.Line, &l.Serial, &l.SKU, &l.OrderNumber, &l.OrderLine, &l.KitSKU,
		dateDest{&l.PurchasedOn}, dateDest{&l.DeliveredOn}, dateDest{&l.ReshippedOn}, &l.ProofDocument,
		&l.Cause, &l.Resellable, &l.Findings, &decision, &exception, priceMinor, priceCurrency, &l.BoughtFrom)
	if err != nil {
		return l, fmt.Errorf("claim lines: %w", err)
	}
	price.set()
	if l.Decision, err = decodeDecision(decision); err != nil {
		return l, fmt.Errorf("claim line %d: %w", l.Line, err)
	}
	if l.Exception, err = decodeException(exception); err != nil {
		return l, fmt.Errorf("claim line %d: %w", l.Line, err)
	}
	return l, nil
}

// inList returns "$1, $2, ..., $n": few enough parameters that SQLite's
// named-parameter lookup stays cheap, and the same text on both engines.
func inList(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", i)
	}
	return b.String()
}

// Events returns a claim's history, oldest first.
func (db *DB) Events(ctx context.Context, claimID int64) ([]aftersale.Event, error) {
	rows, err := db.reads.QueryContext(ctx, `SELECT id, claim_id, at, actor, kind, from_status, to_status, detail, data
		FROM claim_events WHERE claim_id = $1 ORDER BY id`, claimID)
	if err != nil {
		return nil, fmt.Errorf("events of claim %d: %w", claimID, err)
	}
	defer rows.Close()
	var out []aftersale.Event
	for rows.Next() {
		var e aftersale.Event
		var data string
		if err := rows.Scan(&e.ID, &e.ClaimID, timeDest{&e.At}, &e.Actor, &e.Kind, &e.From, &e.To, &e.Detail, &data); err != nil {
			return nil, fmt.Errorf("events of claim %d: %w", claimID, err)
		}
		if data != "" {
			if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
				return nil, fmt.Errorf("events of claim %d: event %d's data: %w", claimID, e.ID, err)
			}
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events of claim %d: %w", claimID, err)
	}
	return out, nil
}
