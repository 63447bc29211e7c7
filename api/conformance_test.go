package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aftersale/aftersale/api"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// documented wraps the API so that every answer a test receives is checked
// against the OpenAPI document the API serves: a response whose status,
// headers or body the document does not describe fails the test. So the
// document cannot drift from what the handlers really send.
func documented(t *testing.T, s *api.Server, next http.Handler) http.Handler {
	t.Helper()
	spec, err := json.Marshal(s.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	doc, err := libopenapi.NewDocument(spec)
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("OpenAPI validator: %v", errs)
	}
	var mu sync.Mutex // the validator is not documented as safe for concurrent use
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/v1/") || r.URL.Path == "/api/v1/openapi.json" {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		res := rec.Result()
		body := rec.Body.Bytes()
		if documentedBody(res.Header.Get("Content-Type")) {
			res.Body = io.NopCloser(bytes.NewReader(body))
			mu.Lock()
			ok, verrs := v.ValidateHttpResponse(r, res)
			mu.Unlock()
			if !ok {
				for _, e := range verrs {
					detail := e.Reason
					for _, se := range e.SchemaValidationErrors {
						detail += "; " + se.FieldPath + ": " + se.Reason
					}
					t.Errorf("%s %s answered %d, not as the OpenAPI document says: %s (%s)\n%s",
						r.Method, r.URL.Path, res.StatusCode, e.Message, detail, body)
				}
			}
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

// documentedBody reports whether the validator can check a body of this
// type: JSON documents; evidence files are bytes of their own type.
func documentedBody(contentType string) bool {
	return strings.HasPrefix(contentType, "application/json") || strings.HasPrefix(contentType, "application/problem+json")
}
