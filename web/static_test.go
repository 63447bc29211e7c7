package web_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// fetch sends a GET with the given headers and returns the response with
// its body read as sent (not decompressed).
func fetch(t *testing.T, u string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	// A transport of its own: setting Accept-Encoding by hand turns the
	// client's transparent decompression off, so the test sees the bytes.
	res, err := (&http.Transport{}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// The pages link their styles, scripts and icon under content-hashed names,
// served for a year as immutable, gzipped for who takes it; the plain names
// still answer, kept an hour; an unchanged file answers 304 to its ETag.
func TestStaticFiles(t *testing.T) {
	e := newEnv(t)
	home := e.browser("en").get("/").Body
	links := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(home, -1)
	byName := map[string]string{}
	for _, l := range links {
		byName[l[1]] = l[1]
	}
	for _, want := range []string{`/static/app\.[0-9a-f]{10}\.css`, `/static/print\.[0-9a-f]{10}\.css`, `/static/icon\.[0-9a-f]{10}\.svg`, `/static/errors\.[0-9a-f]{10}\.js`} {
		found := false
		for n := range byName {
			found = found || regexp.MustCompile("^"+want+"$").MatchString(n)
		}
		if !found {
			t.Errorf("the start page links no %s; it links %v", want, byName)
		}
	}
	css := regexp.MustCompile(`/static/app\.[0-9a-f]{10}\.css`).FindString(home)
	tests := []struct {
		name, path, encoding string
		status               int
		cache, ctype, gzip   string // gzip: "gzip" when the body must come compressed
	}{
		{"hashed, gzip", css, "gzip, br", 200, "public, max-age=31536000, immutable", "text/css", "gzip"},
		{"hashed, plain", css, "", 200, "public, max-age=31536000, immutable", "text/css", ""},
		{"gzip refused", css, "gzip;q=0, identity", 200, "public, max-age=31536000, immutable", "text/css", ""},
		{"plain name", "/static/app.css", "gzip", 200, "public, max-age=3600", "text/css", "gzip"},
		{"svg", "/static/icon.svg", "gzip", 200, "public, max-age=3600", "image/svg+xml", "gzip"},
		{"unknown", "/static/nope.css", "gzip", 404, "", "", ""},
		{"a wrong hash", "/static/app.0000000000.css", "gzip", 404, "", "", ""},
		{"the folder", "/static/", "gzip", 404, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := fetch(t, e.srv.URL+tt.path, "Accept-Encoding", tt.encoding)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			if tt.status != 200 {
				return
			}
			if got := res.Header.Get("Cache-Control"); got != tt.cache {
				t.Errorf("Cache-Control %q, want %q", got, tt.cache)
			}
			if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, tt.ctype) {
				t.Errorf("Content-Type %q, want %s", got, tt.ctype)
			}
			if got := res.Header.Get("Content-Encoding"); got != tt.gzip {
				t.Fatalf("Content-Encoding %q, want %q", got, tt.gzip)
			}
			text := string(body)
			if tt.gzip != "" {
				text = gunzip(t, body)
			}
			if len(text) < 100 {
				t.Errorf("body of %d bytes", len(text))
			}
			etag := res.Header.Get("ETag")
			again, _ := fetch(t, e.srv.URL+tt.path, "If-None-Match", etag)
			if etag == "" || again.StatusCode != http.StatusNotModified {
				t.Errorf("ETag %q answered %d, want 304", etag, again.StatusCode)
			}
		})
	}
}

// Pages come gzipped to a reader that takes gzip, and whole to one that
// does not; they say what varies.
func TestPagesCompressed(t *testing.T) {
	e := newEnv(t)
	for _, enc := range []string{"gzip", ""} {
		res, body := fetch(t, e.srv.URL+"/", "Accept-Encoding", enc, "Accept-Language", "en")
		page := string(body)
		if enc != "" {
			if res.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("Accept-Encoding %q: Content-Encoding %q", enc, res.Header.Get("Content-Encoding"))
			}
			page = gunzip(t, body)
			if len(body)*2 > len(page) {
				t.Errorf("gzip: %d bytes for a page of %d", len(body), len(page))
			}
		} else if res.Header.Get("Content-Encoding") != "" {
			t.Errorf("no Accept-Encoding: Content-Encoding %q", res.Header.Get("Content-Encoding"))
		}
		if !strings.Contains(page, "</html>") {
			t.Errorf("Accept-Encoding %q: not the whole page", enc)
		}
		if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("Vary %q", res.Header.Get("Vary"))
		}
		if l := res.Header.Get("Link"); !regexp.MustCompile(`^</static/app\.[0-9a-f]{10}\.css>; rel=preload; as=style$`).MatchString(l) {
			t.Errorf("Link %q, want the stylesheet's preload", l)
		}
	}
}

// Every public page describes itself to search engines, in the reader's
// language.
func TestMetaDescription(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct{ lang, path, want string }{
		{"en", "/", `<meta name="description" content="Check the warranty of a product`},
		{"zh", "/", `<meta name="description" content="查询所购产品的保修`},
		{"en", "/warranty?q=SV-30", `<meta name="description" content="`},
		{"en", "/claim/new", `<meta name="description" content="`},
		{"en", "/login", `<meta name="description" content="`},
	} {
		if p := e.browser(tt.lang).get(tt.path); !strings.Contains(p.Body, tt.want) {
			t.Errorf("%s %s lacks %q", tt.lang, tt.path, tt.want)
		}
	}
}

// A form sent back with errors says so in its title; its fields in error
// are marked. A page without errors has its plain title.
func TestRefusedFormTitle(t *testing.T) {
	e := newEnv(t)
	title := regexp.MustCompile(`<title>([^<]*)</title>`)
	tests := []struct {
		name, lang string
		send       func(b *browser) page
		want       string
		fields     []string
	}{
		{"sign-in form", "en", func(b *browser) page { return b.get("/login") }, "Sign in", nil},
		{"wrong password", "en", func(b *browser) page {
			return b.post("/login", url.Values{"email": {users["agent"].Email}, "password": {"nope"}})
		}, "Error: Sign in", []string{`id="email"`, `id="password"`}},
		{"wrong password zh", "zh", func(b *browser) page {
			return b.post("/login", url.Values{"email": {users["agent"].Email}, "password": {"nope"}})
		}, "错误：", []string{`id="email"`, `id="password"`}},
		{"claim without an order", "en", func(b *browser) page {
			return b.post("/claim/new", url.Values{"order": {""}, "email": {""}})
		}, "Error: ", []string{`id="order"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.send(e.browser(tt.lang))
			m := title.FindStringSubmatch(p.Body)
			if m == nil || !strings.HasPrefix(m[1], tt.want) {
				t.Fatalf("title %q, want it to start with %q", m, tt.want)
			}
			if tt.fields == nil && strings.Contains(m[1], "Error") {
				t.Errorf("title %q of a page without errors", m[1])
			}
			for _, f := range tt.fields {
				if !regexp.MustCompile(`<[a-z]+ ` + f + `[^>]*aria-invalid="true"`).MatchString(p.Body) {
					t.Errorf("the field %s is not marked aria-invalid", f)
				}
			}
		})
	}
}
