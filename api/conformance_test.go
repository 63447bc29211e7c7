package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aftersale/aftersale/api"
	"github.com/danielgtaylor/huma/v2"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// documented wraps the API so that every answer a test receives is checked
// against the OpenAPI document the API serves: a response whose status,
// Content-Type, headers or body the document does not describe fails the
// test, and so does an error that is not a problem. So the document cannot
// drift from what the handlers really send. Every API test serves through
// it (testEnv.serve), on SQLite and on PostgreSQL alike.
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
		for _, problem := range undocumented(&mu, v, s, r, res, body) {
			t.Errorf("%s %s answered %d, not as the OpenAPI document says: %s\n%s", r.Method, r.URL.Path, res.StatusCode, problem, body)
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

// undocumented lists what in the answer res (with body) to r the document
// does not describe: its status, its Content-Type, its headers, its body;
// a request outside the document's operations must get a 404 or 405
// problem.
func undocumented(mu *sync.Mutex, v validator.Validator, s *api.Server, r *http.Request, res *http.Response, body []byte) []string {
	res.Body = io.NopCloser(bytes.NewReader(body))
	mu.Lock()
	ok, verrs := v.ValidateHttpResponse(r, res)
	mu.Unlock()
	var out []string
	ct := res.Header.Get("Content-Type")
	for _, e := range verrs {
		if e.IsPathMissingError() || e.IsOperationMissingError() {
			if (res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusMethodNotAllowed) ||
				!strings.HasPrefix(ct, "application/problem+json") {
				out = append(out, "a request outside the document's operations must be a 404 or 405 problem")
			}
			return out
		}
	}
	if !ok {
		for _, e := range verrs {
			detail := e.Reason
			for _, se := range e.SchemaValidationErrors {
				detail += "; " + se.FieldPath + ": " + se.Reason
			}
			out = append(out, e.Message+" ("+detail+")")
		}
	}
	// The validator skips a response the document gives no content: it
	// must then have neither body nor Content-Type (a 204, a 304).
	if resp := documentedResponse(s, r, res.StatusCode); resp != nil && len(resp.Content) == 0 && (ct != "" || len(body) > 0) {
		out = append(out, fmt.Sprintf("the document gives %d no content, the answer has Content-Type %q and %d bytes", res.StatusCode, ct, len(body)))
	}
	if res.StatusCode >= 400 && !strings.HasPrefix(ct, "application/problem+json") {
		out = append(out, "an error that is not application/problem+json: "+ct)
	}
	return out
}

// documentedResponse is the response the document gives r's operation for
// status, nil when there is none.
func documentedResponse(s *api.Server, r *http.Request, status int) *huma.Response {
	for path, item := range s.OpenAPI().Paths {
		if !pathMatches(path, r.URL.Path) {
			continue
		}
		var op *huma.Operation
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			op = item.Get
		case http.MethodPost:
			op = item.Post
		case http.MethodPut:
			op = item.Put
		case http.MethodPatch:
			op = item.Patch
		case http.MethodDelete:
			op = item.Delete
		}
		if op != nil {
			return op.Responses[strconv.Itoa(status)]
		}
	}
	return nil
}

// pathMatches reports whether a document's path template (with {number})
// matches a request's path.
func pathMatches(template, path string) bool {
	ts, ps := strings.Split(template, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if ts[i] != ps[i] && !(strings.HasPrefix(ts[i], "{") && ps[i] != "") {
			return false
		}
	}
	return true
}
