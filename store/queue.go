package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/workflow"
)

// The store imports workflow for the queue's Query and Page: the store is
// the outer layer that implements workflow's ports, so this edge points
// the right way (workflow never imports the store), and one definition of
// the query beats a copy here and a conversion there.

// Queue limits.
const (
	defaultQueueLimit = 50
	maxQueueLimit     = 200
)

// These conditions repeat the WHERE clauses of the partial indexes
// claims_open_queue and claims_unanswered_queue word for word: SQLite uses
// a partial index only when the query's WHERE clause contains its terms.
const (
	openCondition       = `c.status NOT IN ('closed', 'rejected', 'referred')`
	unansweredCondition = `c.status NOT IN ('closed', 'rejected', 'referred', 'resolved')
	AND c.first_answer_on IS NULL AND c.awaiting_since IS NULL`
)

// Queue lists claims for the staff queue in (respond_by, number) order, one
// page at a time, each claim with its lines. Pages are keyset pages: the
// cursor holds the last claim's (respond_by, number), so a page costs the
// same however deep it is, and claims added meanwhile are not skipped or
// repeated.
//
// Text longer than workflow.MaxQueryText characters, or a filter longer
// than workflow.MaxFilterLength, is refused as Invalid before any query,
// whoever calls: the trigram search's work and memory grow with every
// character of the text. A phrase of n characters is n-2 trigrams, and
// FTS5 (SQLite) reads and merges each trigram's whole list of rows and
// positions, holding them all at once, to find the phrase; pg_trgm
// (PostgreSQL) likewise scans the GIN entries of every trigram of the
// LIKE pattern, then rechecks each candidate; the scan modes test the text
// against every claim with instr or strpos. 66,000 characters made SQLite
// grow past 12 GB; 200 keep every way to a bounded cost.
func (db *DB) Queue(ctx context.Context, q workflow.Query) (workflow.Page, error) {
	if err := q.Check(); err != nil {
		return workflow.Page{}, err
	}
	mode, matches, err := db.textMode(ctx, q.Text)
	if err != nil {
		return workflow.Page{}, err
	}
	only := matches // nil: any claim
	if q.Category != "" {
		ids, err := db.categoryMatches(ctx, q.Category)
		if err != nil {
			return workflow.Page{}, err
		}
		if ids != nil {
			only = narrow(only, ids)
		}
	}
	query, args, limit, err := queueSQL(db.engine, q, mode, only)
	if err != nil {
		return workflow.Page{}, err
	}
	if only != nil && len(only) == 0 {
		return workflow.Page{}, nil
	}
	rows, err := db.reader.QueryContext(ctx, query, args...)
	if err != nil {
		return workflow.Page{}, fmt.Errorf("claims queue: %w", err)
	}
	defer rows.Close()
	var page workflow.Page
	for rows.Next() {
		c, err := scanClaim(rows)
		if err != nil {
			return workflow.Page{}, fmt.Errorf("claims queue: %w", err)
		}
		page.Claims = append(page.Claims, c)
	}
	if err := rows.Err(); err != nil {
		return workflow.Page{}, fmt.Errorf("claims queue: %w", err)
	}
	rows.Close()
	if len(page.Claims) > limit {
		page.Claims = page.Claims[:limit]
		last := page.Claims[limit-1]
		page.Next = encodeCursor(last.RespondBy, last.Number)
	}
	ids := make([]int64, len(page.Claims))
	for i, c := range page.Claims {
		ids[i] = c.ID
	}
	lines, err := readLines(ctx, db.reader, ids)
	if err != nil {
		return workflow.Page{}, fmt.Errorf("claims queue: %w", err)
	}
	for i := range page.Claims {
		page.Claims[i].Lines = lines[page.Claims[i].ID]
	}
	return page, nil
}

// queueSQL builds the queue's query: one more row than the page, to learn
// whether there is a next page. A non-nil only restricts the page to those
// claims, found by a probe (categoryMatches, textMatches): they are read by
// id, then filtered and sorted, instead of walking the whole queue in order
// testing each claim.
func queueSQL(engine string, q workflow.Query, mode textMode, only []int64) (string, []any, int, error) {
	limit, err := queueLimit(q.Limit)
	if err != nil {
		return "", nil, 0, err
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if err := statusFilter(q, &where, arg); err != nil {
		return "", nil, 0, err
	}
	// A claim waiting for its customer to confirm the e-mail address
	// (migration 00015) is in no queue: nobody may work on it yet.
	where = append(where, "c.confirm_by IS NULL")
	if q.Distributor != "" {
		where = append(where, "c.distributor_code = "+arg(q.Distributor))
	}
	if q.Category != "" {
		// On the index entry: the queue's indexes hold claims.categories
		// (migration 00009).
		find := "instr"
		if engine == Postgres {
			find = "strpos"
		}
		where = append(where, find+"(c.categories, "+arg(","+q.Category+",")+") > 0")
	}
	if q.Channel != "" {
		where = append(where, `EXISTS (SELECT 1 FROM claim_lines l JOIN orders o ON o.number = l.order_number
			WHERE l.claim_id = c.id AND o.channel = `+arg(q.Channel)+`)`)
	}
	from := "FROM claims c"
	if text := strings.ToLower(strings.TrimSpace(q.Text)); text != "" {
		switch mode {
		case textExact:
			where = append(where, exactFilter(text, arg))
		case textMatched: // only holds the matches
		default:
			where = append(where, textFilter(engine, mode, text, arg))
		}
	}
	if only != nil {
		if engine == Postgres {
			// OFFSET 0 keeps PostgreSQL from merging the subquery.
			from = "FROM (SELECT * FROM claims WHERE id = ANY(" + arg(only) + ") OFFSET 0) c"
		} else {
			where = append(where, "c.id IN (SELECT value FROM json_each("+arg(idsJSON(only))+"))")
		}
	}
	if q.After != "" {
		respondBy, number, err := decodeCursor(q.After)
		if err != nil {
			return "", nil, 0, err
		}
		where = append(where, "(c.respond_by, c.number) > ("+arg(respondBy.String())+", "+arg(number)+")")
	}
	var b strings.Builder
	b.WriteString(strings.Replace(claimSelect, "FROM claims c", from, 1))
	if len(where) > 0 {
		b.WriteString("\nWHERE ")
		b.WriteString(strings.Join(where, "\n  AND "))
	}
	fmt.Fprintf(&b, "\nORDER BY c.respond_by, c.number LIMIT %d", limit+1)
	return b.String(), args, limit, nil
}

func queueLimit(n int) (int, error) {
	switch {
	case n == 0:
		return defaultQueueLimit, nil
	case n < 1 || n > maxQueueLimit:
		return 0, userError(aftersale.Invalid, "limit", nil, "limit %d is out of range: 1 to %d", n, maxQueueLimit)
	}
	return n, nil
}

// statusFilter adds the status, open and overdue conditions. One status is
// an equality, which walks claims_status_queue in order.
func statusFilter(q workflow.Query, where *[]string, arg func(any) string) error {
	for _, s := range q.Statuses {
		if !s.Valid() {
			return userError(aftersale.Invalid, "status", nil, "%q is not a claim status", s)
		}
	}
	switch len(q.Statuses) {
	case 0:
	case 1:
		*where = append(*where, "c.status = "+arg(string(q.Statuses[0])))
	default:
		in := make([]string, len(q.Statuses))
		for i, s := range q.Statuses {
			in[i] = arg(string(s))
		}
		*where = append(*where, "c.status IN ("+strings.Join(in, ", ")+")")
	}
	if q.OnlyOpen {
		*where = append(*where, openCondition)
	}
	if q.Overdue {
		if q.Today.IsZero() {
			return userError(aftersale.Invalid, "today", nil, "the overdue filter needs today's date")
		}
		*where = append(*where, unansweredCondition, "c.respond_by < "+arg(q.Today.String()))
	}
	return nil
}

// defaultProbeLimit is the number of matches past which a text or a
// category is common enough that walking the queue in order and testing
// each claim finds a page sooner than collecting every match and sorting
// them.
const defaultProbeLimit = 5000

// textMode is how the queue finds a text.
type textMode int

const (
	textScan    textMode = iota // instr or strpos on each claim, walking the queue in order
	textFTS                     // SQLite: the matches from the FTS5 trigram index, then sorted
	textMatched                 // PostgreSQL: the matches the probe found through pg_trgm, by id, then sorted
	textExact                   // a whole RMA number or e-mail address, by equality
)

// A whole RMA number or e-mail address (lower-cased) is looked up by
// equality, through the b-tree indexes on claims.number and
// claims.customer_email, instead of as text anywhere in the claim: among a
// million claims an e-mail's trigrams (example.com, digits) match tens of
// thousands of rows that the trigram index must recheck one by one (82 ms
// on PostgreSQL). So such a text finds the claim of that number, or the
// claims of that customer, and not the claims that merely mention it.
var (
	wholeNumber = regexp.MustCompile(`^rma-[0-9]{4}-[0-9]{6,}$`)
	wholeEmail  = regexp.MustCompile(`^[^\s@]+@[^\s@]+\.[^\s@.]+$`)
)

// exactFilter is the condition of a textExact text (lower-cased): RMA
// numbers are stored in capitals, e-mail addresses in lower case
// (aftersale.NormalizeEmail).
func exactFilter(text string, arg func(any) string) string {
	if wholeNumber.MatchString(text) {
		return "c.number = " + arg(strings.ToUpper(text))
	}
	return "c.customer_email = " + arg(text)
}

// textMode tells how the queue should look text up. A whole RMA number or
// e-mail address is an equality. Otherwise common text is cheaper to find
// by walking the queue in order, rare text through the trigram index;
// neither engine's planner tells the two apart reliably (SQLite's FTS5
// tables have no statistics; PostgreSQL walked the queue for a rare e-mail
// for seconds), so a capped probe of the trigram index decides. On
// PostgreSQL the probe returns the matches' ids, so that the page reads
// them by id instead of rechecking every row whose trigrams match a second
// time. Text of fewer than three characters has no trigrams.
func (db *DB) textMode(ctx context.Context, text string) (textMode, []int64, error) {
	text = strings.ToLower(strings.TrimSpace(text))
	switch {
	case wholeNumber.MatchString(text) || wholeEmail.MatchString(text):
		return textExact, nil, nil
	case utf8.RuneCountInString(text) < 3:
		return textScan, nil, nil
	}
	if common, err := db.commonSKU(ctx, text); err != nil || common {
		return textScan, nil, err
	}
	if db.engine == Postgres {
		ids, err := db.textMatches(ctx, text)
		if err != nil || len(ids) >= db.probeLimit {
			return textScan, nil, err
		}
		return textMatched, ids, nil
	}
	var n int
	err := db.reads.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM claims_search WHERE claims_search MATCH $1 LIMIT $2) m`,
		ftsPhrase(text), db.probeLimit).Scan(&n)
	if err != nil {
		return textScan, nil, fmt.Errorf("claims queue: text %q: %w", text, err)
	}
	if n < db.probeLimit {
		return textFTS, nil, nil
	}
	return textScan, nil, nil
}

// commonSKU reports whether text (lower-case) is the SKU of a product on
// probeLimit claim lines or more: such text is common, and the trigram
// probe would only confirm it slowly, since an SKU's trigrams are shared
// by many others ("sku-042": 12 of the 24 ms of a page of open claims with
// it, on either engine).
func (db *DB) commonSKU(ctx context.Context, text string) (bool, error) {
	ids, err := db.productClaims(ctx, "text "+strconv.Quote(text), "lower(p.sku) = $1", text)
	return err == nil && ids == nil, err
}

// categoryMatches returns the ids of the claims with a line of a product
// in category, or nil when the category is common (productClaims). A rare
// category's claims are cheaper to read by id and sort than to find by
// walking the queue: a category no claim has made the walk visit every
// claim, closed ones included, before answering an empty page (107 ms over
// a million). The page still tests claims.categories, the categories
// stored with each claim, so both ways show the same claims, unless a
// product has changed category since: then the probe misses its claims
// under the old one.
func (db *DB) categoryMatches(ctx context.Context, category string) ([]int64, error) {
	return db.productClaims(ctx, "category "+category, "p.category = $1", category)
}

// productClaims returns the ids of the claims with a line of the products
// that cond selects (with arg as $1), through claim_lines_sku, or nil when
// they are common: probeLimit lines or more. It counts lines, not claims
// (no DISTINCT, which sorted every line it read).
//
// A probe found common (what names it) is remembered and not run again:
// claims are never deleted (an update rewrites a claim's lines, seldom
// their products), so it stays common, and a stale verdict would only
// choose the slower way to the same page. The probe cost a common
// category's page 1.5 ms on SQLite and 7 ms on PostgreSQL.
func (db *DB) productClaims(ctx context.Context, what, cond string, arg any) ([]int64, error) {
	if _, common := db.commonProbes.Load(what); common {
		return nil, nil
	}
	lines, err := db.ids(ctx, what, `SELECT l.claim_id FROM claim_lines l
		WHERE l.sku IN (SELECT p.sku FROM products p WHERE `+cond+`) LIMIT $2`, arg, db.probeLimit)
	if err != nil {
		return nil, err
	}
	if len(lines) >= db.probeLimit {
		db.commonProbes.Store(what, true)
		return nil, nil
	}
	slices.Sort(lines)
	return slices.Compact(lines), nil
}

// narrow intersects two probes' ids; a nil probe is every claim. The
// result is non-nil when either is, even if empty.
func narrow(a, b []int64) []int64 {
	if a == nil {
		return b
	}
	in := make(map[int64]bool, len(b))
	for _, id := range b {
		in[id] = true
	}
	both := []int64{}
	for _, id := range a {
		if in[id] {
			both = append(both, id)
		}
	}
	return both
}

func idsJSON(ids []int64) string {
	b := make([]byte, 0, 1+8*len(ids))
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// textMatches returns the ids of up to probeLimit claims whose search text
// contains text, through pg_trgm's index.
func (db *DB) textMatches(ctx context.Context, text string) ([]int64, error) {
	return db.ids(ctx, "text "+strconv.Quote(text), `SELECT id FROM claims WHERE search LIKE $1 ESCAPE '\' LIMIT $2`,
		likePattern(text), db.probeLimit)
}

// ids runs a probe that returns claim ids; what names it in errors. The
// result is non-nil, even when empty.
func (db *DB) ids(ctx context.Context, what, query string, args ...any) ([]int64, error) {
	rows, err := db.reads.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("claims queue: %s: %w", what, err)
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("claims queue: %s: %w", what, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claims queue: %s: %w", what, err)
	}
	return ids, nil
}

func ftsPhrase(text string) string { return `"` + strings.ReplaceAll(text, `"`, `""`) + `"` }

// textFilter finds text anywhere in claims.search: through SQLite's trigram
// index in the FTS modes; else on each claim the walk visits, with instr or
// strpos (claims.search and text are both lower-case, so this is LIKE
// '%text%' without its pattern matching: twice as fast per claim).
func textFilter(engine string, mode textMode, text string, arg func(any) string) string {
	switch {
	case mode == textFTS:
		return "c.id IN (SELECT rowid FROM claims_search WHERE claims_search MATCH " + arg(ftsPhrase(text)) + ")"
	case engine == Postgres:
		return "strpos(c.search, " + arg(text) + ") > 0"
	}
	return "instr(c.search, " + arg(text) + ") > 0"
}

// likePattern finds text anywhere, its LIKE wildcards escaped.
func likePattern(text string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(text) + "%"
}

// The cursor is the last claim's respond_by and number, base64url-encoded:
// opaque to callers, checked when it comes back.
func encodeCursor(respondBy date.Date, number string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(respondBy.String() + "/" + number))
}

func decodeCursor(s string) (date.Date, string, error) {
	bad := userError(aftersale.Invalid, "after", nil, "cursor %q is not one this server gave out", s)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return date.Date{}, "", bad
	}
	day, number, ok := strings.Cut(string(raw), "/")
	if !ok || number == "" {
		return date.Date{}, "", bad
	}
	d, err := date.Parse(day)
	if err != nil {
		return date.Date{}, "", bad
	}
	return d, number, nil
}
