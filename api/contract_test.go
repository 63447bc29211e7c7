package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale/api"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/blob"
	"github.com/aftersale/aftersale/internal/fixture"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/workflow"
)

// TestEveryOperationRefuses sends each operation of the document an
// anonymous request with a malformed body, a request from a caller who may
// not (a distributor on another distributor's claim, an agent where a
// manager is needed) and a malformed request from one who may: each answer
// has its expected status and is a problem (documented() checks the
// document describes it). A protected operation answers 401 before it
// looks at the body. The table must name every operation of the document.
func TestEveryOperationRefuses(t *testing.T) {
	env := newTestEnv(t)
	blobs, err := blob.NewDir(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	claims := env.claims()
	ev := &workflow.Evidence{InTx: env.db.InEvidenceTx, Read: env.db, Blobs: blobs, Sniff: blob.Sniff, Now: env.now}
	srv, _ := env.serveMux(t, api.WithClaims(claims), api.WithEvidence(ev),
		api.WithParcels(&workflow.Parcels{Service: env.svc, InTx: env.db.InParcelTx, Read: env.db}),
		api.WithImports(&workflow.Imports{Run: fixture.ImportRunner(env.db, policy.Default())}),
		api.WithSessions(env.db, auth.NewLimiter(1000, time.Millisecond, env.now), env.now))
	c, err := claimOf(claims.Open(t.Context(), env.actors["eu"], workflow.OpenClaimInput{Request: "defect",
		Lines: []workflow.OpenLine{{Serial: "SV-20"}}}, ""))
	if err != nil {
		t.Fatal(err)
	}
	e, err := ev.AddEvidence(t.Context(), env.actors["eu"], c.Number, "a.jpg", bytes.NewReader(jpeg))
	if err != nil {
		t.Fatal(err)
	}
	claim := "/api/v1/claims/" + c.Number
	const bad = `{"request":` // not JSON
	type call struct {
		who    string // a testUsers name; "" anonymous
		status int
		body   string
		header []string
		path   string // instead of the operation's
	}
	tests := []struct {
		op, method, path, ctype string
		anon, wrong, malformed  call
	}{
		{"decide-eligibility", "POST", "/api/v1/eligibility", "application/json",
			call{"", 400, bad, nil, ""}, call{"", 415, "a,b", []string{"Content-Type", "text/csv"}, ""}, call{"agent", 422, `{"request":"return"}`, nil, ""}},
		{"lookup-warranty", "GET", "/api/v1/warranty?serial=SV-20&order=X", "",
			call{"", 422, "", nil, ""}, call{"", 404, "", nil, "/api/v1/warranty?serial=NOPE-1"}, call{"agent", 422, "", nil, ""}},
		{"sign-in", "POST", "/api/v1/session", "application/json",
			call{"", 400, bad, nil, ""}, call{"", 401, `{"email":"agent@shop.test","password":"wrong"}`, nil, ""}, call{"", 422, `{"email":42}`, nil, ""}},
		{"sign-out", "DELETE", "/api/v1/session", "",
			call{"", 204, "", nil, ""}, call{"", 401, "", []string{"Authorization", "Basic x"}, ""}, call{"agent", 204, "", nil, ""}},
		{"get-me", "GET", "/api/v1/me", "",
			call{"", 401, "", nil, ""}, call{"", 401, "", []string{"Authorization", "Bearer nonsense"}, ""}, call{"agent", 401, "", []string{"Authorization", "Bearer as_bad"}, ""}},
		{"import-registry", "POST", "/api/v1/imports/products", "text/csv",
			call{"", 401, "\"", nil, ""}, call{"agent", 403, "sku\n", nil, ""}, call{"manager", 422, "sku,name,category\n\"x", nil, ""}},
		{"list-claims", "GET", "/api/v1/claims?status=lost", "",
			call{"", 401, "", nil, ""}, call{"", 401, "", []string{"Authorization", "Bearer as_bad"}, ""}, call{"agent", 422, "", nil, ""}},
		{"open-claim", "POST", "/api/v1/claims", "application/json",
			call{"", 401, bad, nil, ""}, call{"inspector", 403, `{"request":"defect","lines":[{"serial":"SV-20"}]}`, nil, ""}, call{"agent", 400, bad, nil, ""}},
		{"get-claim", "GET", claim, "",
			call{"", 401, "", nil, ""}, call{"asia", 404, "", nil, ""}, call{"agent", 404, "", nil, ""}},
		{"act-on-claim", "POST", claim + "/actions", "application/json",
			call{"", 401, bad, nil, ""}, call{"asia", 404, `{"action":"start_review","version":1}`, nil, ""}, call{"agent", 422, `{"action":"fly","version":1}`, nil, ""}},
		{"claim-events", "GET", claim + "/events", "",
			call{"", 401, "", nil, ""}, call{"asia", 404, "", nil, ""}, call{"agent", 404, "", nil, ""}},
		{"list-evidence", "GET", claim + "/evidence", "",
			call{"", 401, "", nil, ""}, call{"asia", 404, "", nil, ""}, call{"agent", 404, "", nil, ""}},
		{"add-evidence", "POST", claim + "/evidence", "image/jpeg",
			call{"", 401, "not a file", nil, ""}, call{"asia", 404, string(jpeg), nil, ""}, call{"eu", 415, "<html>not a file</html>", nil, ""}},
		{"get-evidence", "GET", claim + "/evidence/" + strconv.FormatInt(e.ID, 10), "",
			call{"", 401, "", nil, ""}, call{"asia", 404, "", nil, ""}, call{"eu", 416, "", []string{"Range", "bytes=999999-"}, ""}},
		{"post-message", "POST", claim + "/messages", "application/json",
			call{"", 401, bad, nil, ""}, call{"asia", 404, `{"body":"hello"}`, nil, ""}, call{"agent", 422, `{"body":""}`, nil, ""}},
		{"list-messages", "GET", claim + "/messages", "",
			call{"", 401, "", nil, ""}, call{"asia", 404, "", nil, ""}, call{"agent", 404, "", nil, ""}},
		{"add-shipment", "POST", claim + "/shipments", "application/json",
			call{"", 401, bad, nil, ""}, call{"asia", 404, `{"direction":"inbound","carrier":"DHL","tracking_number":"1"}`, nil, ""}, call{"agent", 422, `{"direction":"sideways","carrier":"DHL","tracking_number":"1"}`, nil, ""}},
		{"list-shipments", "GET", claim + "/shipments", "",
			call{"", 401, "", nil, ""}, call{"asia", 404, "", nil, ""}, call{"agent", 404, "", nil, ""}},
		{"shipment-delivered", "POST", claim + "/shipments/1/delivered", "application/json",
			call{"", 401, bad, nil, ""}, call{"asia", 404, `{}`, nil, ""}, call{"agent", 422, `{"delivered_on":"yesterday"}`, nil, ""}},
		{"add-refund", "POST", claim + "/refunds", "application/json",
			call{"", 401, bad, nil, ""}, call{"agent", 403, `{"amount":100,"currency":"EUR","reference":"r"}`, nil, ""}, call{"manager", 422, `{"amount":0,"currency":"EUR","reference":"r"}`, nil, ""}},
		{"list-refunds", "GET", claim + "/refunds", "",
			call{"", 401, "", nil, ""}, call{"asia", 404, "", nil, ""}, call{"agent", 404, "", nil, ""}},
		{"add-replacement", "POST", claim + "/replacements", "application/json",
			call{"", 401, bad, nil, ""}, call{"asia", 404, `{"line":1,"kind":"repair"}`, nil, ""}, call{"agent", 422, `{"line":0,"kind":"repair"}`, nil, ""}},
		{"list-replacements", "GET", claim + "/replacements", "",
			call{"", 401, "", nil, ""}, call{"asia", 404, "", nil, ""}, call{"agent", 404, "", nil, ""}},
	}
	// Calls that succeed for the caller who may: the agent on a claim that
	// does not exist is a 404 (the malformed request of a read).
	for i := range tests {
		if tests[i].malformed.status == 404 {
			tests[i].path = strings.Replace(tests[i].path, c.Number, "RMA-1999-000001", 1)
		}
	}
	named := map[string]bool{}
	for _, tt := range tests {
		named[tt.op] = true
		for _, k := range []struct {
			kind string
			call call
		}{{"anonymous", tt.anon}, {"wrong caller", tt.wrong}, {"malformed", tt.malformed}} {
			t.Run(tt.op+"/"+k.kind, func(t *testing.T) {
				path := tt.path
				if k.kind != "malformed" {
					path = strings.Replace(path, "RMA-1999-000001", c.Number, 1)
				}
				if k.call.path != "" {
					path = k.call.path
				}
				req, err := http.NewRequest(tt.method, srv.URL+path, strings.NewReader(k.call.body))
				if err != nil {
					t.Fatal(err)
				}
				if tt.ctype != "" {
					req.Header.Set("Content-Type", tt.ctype)
				}
				if k.call.who != "" {
					req.Header.Set("Authorization", "Bearer "+env.tokens[k.call.who])
				}
				for i := 0; i+1 < len(k.call.header); i += 2 {
					req.Header.Set(k.call.header[i], k.call.header[i+1])
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != k.call.status {
					t.Fatalf("%d, want %d: %s", resp.StatusCode, k.call.status, b)
				}
				if resp.StatusCode < 400 {
					return
				}
				var p struct {
					Status int    `json:"status"`
					Title  string `json:"title"`
				}
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") || json.Unmarshal(b, &p) != nil ||
					p.Status != resp.StatusCode || p.Title == "" {
					t.Errorf("not a problem (%s): %s", ct, b)
				}
			})
		}
	}
	for _, item := range env.documentOperations(t, srv.URL) {
		if !named[item] {
			t.Errorf("operation %s is not in the table", item)
		}
	}
}

// documentOperations lists the operationIds of the served document.
func (e *testEnv) documentOperations(t *testing.T, base string) []string {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, item := range doc.Paths {
		for _, op := range item {
			ids = append(ids, op.OperationID)
		}
	}
	return ids
}

// TestUnknownAPIPaths: a path under /api/v1 that no operation serves is a
// 404 problem, a method the path does not take a 405 problem with Allow.
func TestUnknownAPIPaths(t *testing.T) {
	s := newClaimsServer(t)
	for _, tt := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/api/v1/no-such-thing", 404, ""},
		{"GET", "/api/v1/claims/RMA-2026-000001/nonsense", 404, ""},
		{"PUT", "/api/v1/me", 405, "GET, HEAD"},
		{"DELETE", "/api/v1/claims", 405, "GET, POST, HEAD"},
	} {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			st, h, out := s.do(t, "agent", tt.method, tt.path, "", nil)
			if st != tt.status || !strings.HasPrefix(h.Get("Content-Type"), "application/problem+json") || out["status"] != float64(tt.status) {
				t.Errorf("%d %s %v, want a %d problem", st, h.Get("Content-Type"), out, tt.status)
			}
			if h.Get("Allow") != tt.allow {
				t.Errorf("Allow %q, want %q", h.Get("Allow"), tt.allow)
			}
		})
	}
}

// TestImportLabel: an import file labelled as the other format than
// format says is refused with 415, not read as it.
func TestImportLabel(t *testing.T) {
	env := newTestEnv(t)
	s := &claimsServer{env.serve(t, api.WithImports(&workflow.Imports{Run: fixture.ImportRunner(env.db, policy.Default())})), env.tokens}
	csv := "sku,name,category\nSV-NEW,Servo,servo_motor\n"
	for _, tt := range []struct {
		query, ctype string
		status       int
	}{
		{"", "application/json", 415},
		{"", "application/x-ndjson", 415},
		{"?format=jsonl", "text/csv", 415},
		{"", "text/csv; charset=utf-8", 200},
		{"", "application/octet-stream", 200},
	} {
		t.Run(tt.query+" "+tt.ctype, func(t *testing.T) {
			st, _, out := s.do(t, "manager", "POST", "/api/v1/imports/products"+tt.query, csv, map[string]string{"Content-Type": tt.ctype})
			if st != tt.status || (st == 415 && fieldOf(out) != "Content-Type") {
				t.Errorf("%d %v, want %d", st, out, tt.status)
			}
		})
	}
}
