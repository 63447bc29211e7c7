package api_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aftersale/aftersale/api"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/blob"
	"github.com/aftersale/aftersale/workflow"
)

var update = flag.Bool("update", false, "rewrite testdata/openapi.json from the served document")

// TestOpenAPIGolden keeps the API's document in testdata/openapi.json: a
// change of the public API shows in review as a change of that file
// (go test ./api -run OpenAPIGolden -update rewrites it).
func TestOpenAPIGolden(t *testing.T) {
	env := newTestEnv(t)
	blobs, err := blob.NewDir(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	srv := env.serve(t, api.WithClaims(env.claims()),
		api.WithEvidence(&workflow.Evidence{InTx: env.db.InEvidenceTx, Read: env.db, Blobs: blobs, Sniff: blob.Sniff, Verify: blob.Verify, Now: env.now}),
		api.WithParcels(&workflow.Parcels{Service: env.svc, InTx: env.db.InParcelTx, Read: env.db}),
		api.WithImports(&workflow.Imports{}),
		api.WithSessions(env.db, auth.NewLimiter(10, time.Second, env.now), env.now))
	resp, err := http.Get(srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	const golden = "testdata/openapi.json"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./api -run OpenAPIGolden -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the served OpenAPI document differs from %s: review the API change, then go test ./api -run OpenAPIGolden -update", golden)
	}
}
