package store_test

import (
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/notify"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

// BenchmarkQueueFirstPage loads a million claims (one line each; 5% open)
// and measures the staff queue's first page of 50 under each filter.
// AFTERSALE_BENCH_CLAIMS changes the size; -short loads 20,000.
//
//	AFTERSALE_REQUIRE_POSTGRES=1 go test ./store -run '^$' -bench QueueFirstPage -benchtime 200x
func BenchmarkQueueFirstPage(b *testing.B) {
	n := benchClaims(b)
	today := date.MustParse("2025-06-01")
	queries := []struct {
		name string
		q    workflow.Query
	}{
		{"all", workflow.Query{}},
		{"open", workflow.Query{OnlyOpen: true}},
		{"overdue", workflow.Query{Overdue: true, Today: today}},
		{"status", workflow.Query{Statuses: []aftersale.Status{aftersale.StatusSubmitted}}},
		{"statuses", workflow.Query{Statuses: []aftersale.Status{aftersale.StatusInReview, aftersale.StatusApproved}}},
		{"distributor", workflow.Query{Distributor: "D07"}},
		{"open_distributor", workflow.Query{Distributor: "D07", OnlyOpen: true}},
		{"category", workflow.Query{Category: "cat3"}},
		{"open_category", workflow.Query{Category: "cat3", OnlyOpen: true}},
		{"channel", workflow.Query{Channel: "unauthorized_reseller"}},
		{"text_serial", workflow.Query{Text: "sn-123457"}},
		{"text_email", workflow.Query{Text: "c4242@example.com"}},
		{"text_common", workflow.Query{Text: "fault"}},
		{"open_text_sku", workflow.Query{Text: "sku-042", OnlyOpen: true}},
		{"second_page", workflow.Query{OnlyOpen: true}},
	}
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			db := open(b, e.dsn(b))
			start := time.Now()
			if err := store.SeedClaimsForBenchmark(b.Context(), db, n); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: loaded %d claims in %s", e.name, n, time.Since(start).Round(time.Millisecond))
			for _, qq := range queries {
				b.Run(qq.name, func(b *testing.B) {
					q := qq.q
					if qq.name == "second_page" {
						p, err := db.Queue(b.Context(), q)
						if err != nil {
							b.Fatal(err)
						}
						q.After = p.Next
					}
					for b.Loop() {
						if _, err := db.Queue(b.Context(), q); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

func benchClaims(b *testing.B) int {
	if s := os.Getenv("AFTERSALE_BENCH_CLAIMS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("AFTERSALE_BENCH_CLAIMS=%q: want a positive number", s)
		}
		return n
	}
	if testing.Short() {
		return 20000
	}
	return 1000000
}

// BenchmarkCreateClaim opens claims from 32 goroutines, each one durable
// change (store.OpenClaim: a claim numbered by the store, two lines, its
// "created" event, its customer's link and e-mail), as the workflow's
// OpenClaim writes them, and reports claims/s; "baseline" is a bare one-row
// durable INSERT per transaction on the same engine, outside the store (so
// on SQLite without its grouped commits).
//
//	AFTERSALE_REQUIRE_POSTGRES=1 go test ./store -run '^$' -bench CreateClaim -benchtime 3000x
func BenchmarkCreateClaim(b *testing.B) {
	for _, e := range engines {
		b.Run(e.name+"/claim", func(b *testing.B) {
			db := open(b, e.dsn(b))
			seedProducts(b, db)
			parallel(b, func() error {
				c := benchClaim()
				_, err := db.OpenClaim(b.Context(), workflow.ClaimOpening{Claim: &c,
					Events:  []aftersale.Event{{At: c.CreatedAt, Actor: c.OpenedBy, Kind: "created", To: c.Status, Detail: "defect; SKU-001: eligible"}},
					Compose: benchExtras})
				return err
			}, "claims/s")
		})
		// The bare baseline commits one INSERT per transaction through its
		// own database/sql pool, with the store's settings, as an
		// application without the store's grouped commits would.
		b.Run(e.name+"/baseline", func(b *testing.B) {
			dsn, driver := e.dsn(b), "pgx"
			if e.name == store.SQLite {
				db := open(b, dsn) // creates the file, in WAL mode
				db.Close()
				dsn, driver = store.SQLiteWriterDSN(dsn), "sqlite"
			}
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer raw.Close()
			if e.name == store.SQLite {
				raw.SetMaxOpenConns(1) // SQLite has one writer
			}
			if _, err := raw.ExecContext(b.Context(), `CREATE TABLE bench_rows (v TEXT NOT NULL)`); err != nil {
				b.Fatal(err)
			}
			parallel(b, func() error {
				tx, err := raw.BeginTx(b.Context(), nil)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(b.Context(), `INSERT INTO bench_rows (v) VALUES ($1)`, "a row"); err != nil {
					tx.Rollback()
					return err
				}
				return tx.Commit()
			}, "inserts/s")
		})
	}
}

// parallel runs fn b.N times from 32 goroutines and reports the rate of
// a steady state: each goroutine first runs fn twice, untimed, so that the
// pool's connections are open and their statements prepared, as in a
// server that has been up for a while.
func parallel(b *testing.B, fn func() error, unit string) {
	const clients = 32
	var warm sync.WaitGroup
	for range clients {
		warm.Add(1)
		go func() {
			defer warm.Done()
			for range 2 {
				if err := fn(); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	warm.Wait()
	b.SetParallelism(max(1, clients/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := fn(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), unit)
}

// benchExtras is a claim's link and e-mail, of the workflow's sizes.
func benchExtras(c aftersale.Claim) (workflow.ClaimExtras, error) {
	secret := make([]byte, 32)
	rand.Read(secret)
	sum := sha256.Sum256(secret)
	body := "Your claim " + c.Number + " is received.\n\nFollow it at https://rma.example.com/claims/" + c.Number +
		"?access=" + hex.EncodeToString(secret) + "\n" + strings.Repeat("We answer within three days. ", 12)
	return workflow.ClaimExtras{AccessHash: hex.EncodeToString(sum[:]), AccessExpires: c.CreatedAt.Add(90 * 24 * time.Hour),
		Messages: []notify.Message{{To: c.CustomerEmail, Subject: "Your claim " + c.Number + " is received", Body: body}}}, nil
}

func benchClaim() aftersale.Claim {
	now := time.Now().UTC()
	day := date.FromTime(now)
	d := aftersale.Decision{Outcome: "eligible", Remedies: []string{"free_replacement"}, Clauses: []string{"3.1"},
		Covered: true, StartsOn: day.AddDays(-100), EndsOn: day.AddDays(600), PolicyVersion: "2026-01"}
	return aftersale.Claim{Status: aftersale.StatusSubmitted, Request: "defect", Description: "Stops after ten minutes",
		Applicant: aftersale.ApplicantStaff, CustomerEmail: "alice@example.com", OpenedBy: "agent@example.com",
		ReportedOn: day, RespondBy: day.AddDays(14), CreatedAt: now, UpdatedAt: now,
		Lines: []aftersale.ClaimLine{
			{Line: 1, SKU: "SKU-001", PurchasedOn: day.AddDays(-100), ProofDocument: "r.pdf", Decision: d},
			{Line: 2, SKU: "SKU-002", PurchasedOn: day.AddDays(-100), ProofDocument: "r.pdf", Decision: d},
		}}
}
