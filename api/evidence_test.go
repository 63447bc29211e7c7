package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/api"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/blob"
	"github.com/aftersale/aftersale/workflow"
)

// evidenceServer is the real API over a real SQLite store and blob
// directory, with a claim of DIST-EU's customer.
type evidenceServer struct {
	*httptest.Server
	mux    *http.ServeMux
	tokens map[string]string
	blobs  string
	number string
	eu     aftersale.Actor // DIST-EU's user, whose customer's claim it is
}

func newEvidenceServer(t *testing.T) *evidenceServer {
	t.Helper()
	env := newTestEnv(t)
	dir := filepath.Join(t.TempDir(), "blobs")
	blobs, err := blob.NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	claims := env.claims()
	ev := &workflow.Evidence{InTx: env.db.InEvidenceTx, Read: env.db, Blobs: blobs, Sniff: blob.Sniff, Verify: blob.Verify, Now: env.now}
	s := &evidenceServer{tokens: env.tokens, blobs: dir, eu: env.actors["eu"]}
	s.Server, s.mux = env.serveMux(t, api.WithClaims(claims), api.WithEvidence(ev))
	c, err := claimOf(claims.Open(t.Context(), s.eu, workflow.OpenClaimInput{Request: "defect", Lines: []workflow.OpenLine{{Serial: "SV-20"}}}, ""))
	if err != nil {
		t.Fatal(err)
	}
	s.number = c.Number
	return s
}

// send makes a request as who ("" for anonymous) and returns the status,
// the headers and the body.
func (s *evidenceServer) send(t *testing.T, who, method, path string, body io.Reader, header ...string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+s.tokens[who])
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

func (s *evidenceServer) blobCount(t *testing.T) int {
	t.Helper()
	n := 0
	filepath.WalkDir(s.blobs, func(_ string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return err
	})
	return n
}

var (
	jpeg = append([]byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), bytes.Repeat([]byte{7}, 3000)...)
	pdf  = []byte("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n")
)

func TestEvidenceUploadAndDownload(t *testing.T) {
	s := newEvidenceServer(t)
	base := "/api/v1/claims/" + s.number + "/evidence"
	tests := []struct {
		name, path                     string
		body                           []byte
		header                         []string
		kind, contentType, disposition string
	}{
		{"photo named by query", base + "?name=" + "Foto%20Schaden.jpg", jpeg, []string{"Content-Type", "text/html"},
			"photo", "image/jpeg", `inline; filename="Foto Schaden.jpg"`},
		{"pdf named by Content-Disposition", base, pdf, []string{"Content-Disposition", `attachment; filename="receipt.pdf"`},
			"document", "application/pdf", `attachment; filename=receipt.pdf`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, b := s.send(t, "eu", http.MethodPost, tt.path, bytes.NewReader(tt.body), tt.header...)
			var e api.EvidenceJSON
			if status != http.StatusCreated || json.Unmarshal(b, &e) != nil {
				t.Fatalf("upload: %d %s", status, b)
			}
			if e.Kind != tt.kind || e.ContentType != tt.contentType || e.Size != int64(len(tt.body)) || len(e.SHA256) != 64 ||
				h.Get("Location") != e.URL || e.UploadedBy != "eu@dist.test (token \"test\")" {
				t.Errorf("evidence %+v, Location %q", e, h.Get("Location"))
			}
			status, h, got := s.send(t, "agent", http.MethodGet, e.URL, nil)
			if status != http.StatusOK || !bytes.Equal(got, tt.body) {
				t.Fatalf("download: %d, %d bytes", status, len(got))
			}
			want := map[string]string{"Content-Type": tt.contentType, "X-Content-Type-Options": "nosniff",
				"Content-Security-Policy": "sandbox; default-src 'none'", "Content-Disposition": tt.disposition,
				"Cache-Control": "private"}
			for k, v := range want {
				if h.Get(k) != v {
					t.Errorf("%s: %q, want %q", k, h.Get(k), v)
				}
			}
		})
	}
	status, _, b := s.send(t, "eu", http.MethodGet, base, nil)
	var list struct{ Evidence []api.EvidenceJSON }
	if status != http.StatusOK || json.Unmarshal(b, &list) != nil || len(list.Evidence) != 2 {
		t.Errorf("list: %d %s", status, b)
	}
	// A range, as a browser's video player asks.
	status, _, b = s.send(t, "eu", http.MethodGet, list.Evidence[0].URL, nil, "Range", "bytes=0-3")
	if status != http.StatusPartialContent || !bytes.Equal(b, jpeg[:4]) {
		t.Errorf("range: %d %q", status, b)
	}
}

func TestEvidenceRefusedOverHTTP(t *testing.T) {
	big := append(append([]byte{}, jpeg[:12]...), make([]byte, workflow.MaxPhotoSize+1-12)...)
	tests := []struct {
		name   string
		who    string
		body   []byte
		header []string
		status int
		detail string
	}{
		{"html named and typed as a jpeg", "eu", []byte("<!doctype html><script>alert(1)</script>"),
			[]string{"Content-Type", "image/jpeg", "Content-Disposition", `attachment; filename="photo.jpg"`}, http.StatusUnsupportedMediaType, "not a file we accept"},
		{"svg", "eu", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), nil, http.StatusUnsupportedMediaType, "not a file we accept"},
		{"photo one byte over the limit", "eu", big, nil, http.StatusRequestEntityTooLarge, "a photo may be at most 20 MiB"},
		{"empty", "eu", nil, nil, http.StatusUnprocessableEntity, "empty"},
		{"another distributor", "asia", jpeg, nil, http.StatusNotFound, "not on file"},
		{"anonymous", "", jpeg, nil, http.StatusUnauthorized, "sign in"},
	}
	s := newEvidenceServer(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, b := s.send(t, tt.who, http.MethodPost, "/api/v1/claims/"+s.number+"/evidence", bytes.NewReader(tt.body), tt.header...)
			var p api.Problem
			if status != tt.status || h.Get("Content-Type") != "application/problem+json" || json.Unmarshal(b, &p) != nil ||
				!strings.Contains(p.Detail, tt.detail) {
				t.Errorf("%d %s %s; want %d with %q", status, h.Get("Content-Type"), b, tt.status, tt.detail)
			}
		})
	}
	if n := s.blobCount(t); n != 0 {
		t.Errorf("%d blobs left after refusals", n)
	}
}

// TestEvidenceDeclaredTooLarge: a body declared larger than any file may
// be is refused before a byte is read.
func TestEvidenceDeclaredTooLarge(t *testing.T) {
	s := newEvidenceServer(t)
	req := httptest.NewRequest(http.MethodPost, "/api/v1/claims/"+s.number+"/evidence", bytes.NewReader(jpeg))
	req.ContentLength = workflow.MaxUploadSize + 1
	req = req.WithContext(auth.WithActor(req.Context(), s.eu))
	w := httptest.NewRecorder()
	s.mux.ServeHTTP(w, req)
	if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "200 MiB") {
		t.Errorf("%d %s", w.Code, w.Body)
	}
}

// TestEvidenceVisibility: another distributor, or nobody, reaches nothing
// of the claim through any of its routes.
func TestEvidenceVisibility(t *testing.T) {
	s := newEvidenceServer(t)
	base := "/api/v1/claims/" + s.number
	status, _, b := s.send(t, "eu", http.MethodPost, base+"/evidence", bytes.NewReader(jpeg))
	var e api.EvidenceJSON
	if status != http.StatusCreated || json.Unmarshal(b, &e) != nil {
		t.Fatalf("upload: %d %s", status, b)
	}
	routes := []struct{ method, path, body string }{
		{http.MethodGet, base + "/evidence", ""},
		{http.MethodGet, e.URL, ""},
		{http.MethodGet, base + "/messages", ""},
		{http.MethodPost, base + "/messages", `{"body":"hello"}`},
		{http.MethodPost, base + "/evidence", string(jpeg)},
	}
	for _, r := range routes {
		for who, want := range map[string]int{"asia": http.StatusNotFound, "": http.StatusUnauthorized} {
			status, h, b := s.send(t, who, r.method, r.path, strings.NewReader(r.body), "Content-Type", "application/json")
			if status != want || !strings.HasPrefix(h.Get("Content-Type"), "application/problem+json") || bytes.Contains(b, jpeg[:4]) {
				t.Errorf("%s %s as %q: %d %s %s, want %d", r.method, r.path, who, status, h.Get("Content-Type"), b, want)
			}
		}
	}
	if status, _, _ := s.send(t, "eu", http.MethodGet, base+"/evidence/999", nil); status != http.StatusNotFound {
		t.Errorf("unknown evidence: %d", status)
	}
	if status, _, _ := s.send(t, "eu", http.MethodGet, base+"/evidence/abc", nil); status != http.StatusNotFound {
		t.Errorf("evidence id abc: %d", status)
	}
}

func TestMessagesOverHTTP(t *testing.T) {
	s := newEvidenceServer(t)
	path := "/api/v1/claims/" + s.number + "/messages"
	posts := []struct {
		who, body string
		status    int
	}{
		{"eu", `{"body":"The servo buzzes."}`, http.StatusCreated},
		{"agent", `{"body":"Third case from this shop.","internal":true}`, http.StatusCreated},
		{"agent", `{"body":"Please send a video."}`, http.StatusCreated},
		{"eu", `{"body":"secret","internal":true}`, http.StatusForbidden},
		{"agent", `{"body":""}`, http.StatusUnprocessableEntity},
	}
	for _, p := range posts {
		status, _, b := s.send(t, p.who, http.MethodPost, path, strings.NewReader(p.body), "Content-Type", "application/json")
		if status != p.status {
			t.Errorf("post %s as %s: %d %s, want %d", p.body, p.who, status, b, p.status)
		}
	}
	for who, want := range map[string]string{
		"agent": "The servo buzzes.|Third case from this shop.|Please send a video.",
		"eu":    "The servo buzzes.|Please send a video.",
	} {
		status, _, b := s.send(t, who, http.MethodGet, path, nil)
		var out struct{ Messages []api.MessageJSON }
		if status != http.StatusOK || json.Unmarshal(b, &out) != nil {
			t.Fatalf("list as %s: %d %s", who, status, b)
		}
		var bodies []string
		for _, m := range out.Messages {
			bodies = append(bodies, m.Body)
		}
		if got := strings.Join(bodies, "|"); got != want {
			t.Errorf("%s sees %q, want %q", who, got, want)
		}
	}
}

// TestEvidenceInDocument: the plain upload and download handlers are in
// the OpenAPI document with their bodies and problems.
func TestEvidenceInDocument(t *testing.T) {
	s := newEvidenceServer(t)
	status, _, b := s.send(t, "", http.MethodGet, "/api/v1/openapi.json", nil)
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
			RequestBody struct {
				Content map[string]struct {
					Schema struct{ Type, Format string }
				}
			} `json:"requestBody"`
			Responses map[string]struct {
				Content map[string]any
			}
			Security []map[string][]string
		}
	}
	if status != http.StatusOK || json.Unmarshal(b, &doc) != nil {
		t.Fatalf("%d %.200s", status, b)
	}
	up := doc.Paths["/api/v1/claims/{number}/evidence"]["post"]
	if up.OperationID != "add-evidence" || up.RequestBody.Content["application/octet-stream"].Schema.Format != "binary" ||
		up.Responses["201"].Content["application/json"] == nil || up.Responses["413"].Content["application/problem+json"] == nil ||
		up.Responses["415"].Content == nil || len(up.Security) == 0 {
		t.Errorf("upload operation: %+v", up)
	}
	down := doc.Paths["/api/v1/claims/{number}/evidence/{id}"]["get"]
	if down.OperationID != "get-evidence" || down.Responses["200"].Content["image/jpeg"] == nil || down.Responses["200"].Content["text/html"] != nil {
		t.Errorf("download operation: %+v", down)
	}
	for _, op := range []string{"list-evidence", "post-message", "list-messages"} {
		if !bytes.Contains(b, []byte(`"operationId":"`+op+`"`)) {
			t.Errorf("%s is not documented", op)
		}
	}
}
