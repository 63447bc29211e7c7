package api_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/api"
	"github.com/aftersale/aftersale/policy"
)

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	api.New(mux, policy.Default(), nil, "test", slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func post(t *testing.T, url, contentType, body string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Post(url, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestEligibilityExample(t *testing.T) {
	srv := newServer(t)
	const example = `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28",
         "delivered_on":"2026-01-31","reported_on":"2026-04-30","proof_of_purchase":true}`
	// curl -d sends a form content type; the facts are JSON whatever it says.
	for _, ct := range []string{"application/json", "application/x-www-form-urlencoded", ""} {
		resp, body := post(t, srv.URL+"/api/v1/eligibility", ct, example)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("content type %q: status %d: %s", ct, resp.StatusCode, body)
		}
		if got := resp.Header.Get("Content-Type"); got != "application/json" {
			t.Errorf("Content-Type %q", got)
		}
		var d map[string]any
		if err := json.Unmarshal(body, &d); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{
			"outcome": "eligible", "remedies": []any{"free_repair"}, "shipping_paid_by": "seller", "missing": []any{},
			"respond_by": "2026-05-03", "clauses": []any{"2", "3.3", "5.4", "6.2"}, "policy_version": "2026.1",
			"warranty": map[string]any{"covered": true, "starts_on": "2026-01-31", "ends_on": "2026-04-30"},
		}
		for k, v := range want {
			if got, _ := json.Marshal(d[k]); string(got) != mustJSON(t, v) {
				t.Errorf("%s = %s, want %s", k, got, mustJSON(t, v))
			}
		}
		if _, ok := d["$schema"]; ok {
			t.Error("the decision carries a $schema field")
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEligibilityProblems(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		name   string
		body   string
		status int
		fields string
	}{
		{"not JSON", `request=defect`, 400, "body"},
		{"truncated JSON", `{"request":"defect"`, 400, "body"},
		{"empty body", ``, 400, "body"},
		{"an array", `[]`, 422, "body"},
		{"a boolean as a string", `{"request":"defect","category":"battery","purchased_on":"2026-01-28","reported_on":"2026-02-02","proof_of_purchase":"false"}`, 422, "proof_of_purchase"},
		{"missing and unknown", `{"category":"robot","purchased_on":"2026-02-30","colour":"red"}`, 422, "request purchased_on colour reported_on"},
		{"dates out of order", `{"request":"defect","category":"battery","purchased_on":"2026-01-28","delivered_on":"2026-01-20","reported_on":"2026-01-10"}`, 422, "delivered_on reported_on"},
		{"too big", `{"sku":"` + strings.Repeat("x", 70<<10) + `"}`, 413, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := post(t, srv.URL+"/api/v1/eligibility", "application/json", tt.body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q, want application/problem+json", ct)
			}
			var p api.Problem
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			if p.Status != tt.status || p.Title == "" || p.Detail == "" {
				t.Errorf("problem %+v lacks status, title or detail", p)
			}
			var fields []string
			for _, e := range p.Errors {
				fields = append(fields, e.Field)
				if e.Message == "" {
					t.Errorf("field %s has no message", e.Field)
				}
			}
			if tt.fields != "" && strings.Join(fields, " ") != tt.fields {
				t.Errorf("fields %q, want %q", strings.Join(fields, " "), tt.fields)
			}
		})
	}
}

func TestOpenAPIDocument(t *testing.T) {
	srv := newServer(t)
	resp, err := http.Get(srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Ref string `json:"$ref"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
			Responses map[string]json.RawMessage `json:"responses"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	op, ok := doc.Paths["/api/v1/eligibility"]["post"]
	if !ok {
		t.Fatal("POST /api/v1/eligibility is not documented")
	}
	if ref := op.RequestBody.Content["application/json"].Schema.Ref; ref != "#/components/schemas/Facts" {
		t.Errorf("request body schema %q, want the Facts schema", ref)
	}
	for _, status := range []string{"200", "400", "422"} {
		if _, ok := op.Responses[status]; !ok {
			t.Errorf("response %s is not documented", status)
		}
	}
	for _, name := range []string{"Facts", "DecisionJSON", "Problem"} {
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("schema %s is missing", name)
		}
	}
	if resp, err := http.Get(srv.URL + "/docs"); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("/docs answers %d: the CDN docs page must be off", resp.StatusCode)
		}
	}
}
