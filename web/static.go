package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
)

// staticFile is one embedded file of static/: its bytes, gzipped too when
// that pays, and its name with the first hex digits of its SHA-256 in it
// (app.css: app.1a2b3c4d5e.css). Pages link the hashed name, which changes
// whenever the file does, so browsers may keep it for good.
type staticFile struct {
	hashed string // e.g. app.1a2b3c4d5e.css
	etag   string
	ctype  string
	body   []byte
	gz     []byte // nil: not worth compressing (images already are)
}

// statics are the embedded static files by plain and by hashed name.
var statics = must(loadStatics(files, "static"))

func loadStatics(fsys fs.FS, dir string) (map[string]*staticFile, error) {
	names, err := fs.Glob(fsys, dir+"/*")
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	m := map[string]*staticFile{}
	for _, n := range names {
		body, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("web: static file %s: %w", n, err)
		}
		base := path.Base(n)
		sum := sha256.Sum256(body)
		h := hex.EncodeToString(sum[:])[:10]
		ext := path.Ext(base)
		f := &staticFile{hashed: strings.TrimSuffix(base, ext) + "." + h + ext, etag: `"` + h + `"`,
			ctype: mime.TypeByExtension(ext), body: body}
		if f.ctype == "" {
			f.ctype = "application/octet-stream"
		}
		if compressible(f.ctype) {
			f.gz = gzipBytes(body)
		}
		m[base], m[f.hashed] = f, f
	}
	return m, nil
}

// staticURL is the address of the static file name (as in static/) under
// its hashed name; the templates call it as {{static "app.css"}}.
func staticURL(name string) (string, error) {
	f, ok := statics[name]
	if !ok {
		return "", fmt.Errorf("web: no static file %q", name)
	}
	return "/static/" + f.hashed, nil
}

// staticHandler serves the embedded styles, scripts and icons, gzipped
// for browsers that take it. A hashed name never changes its content, so
// it is kept a year without asking again; the plain name (for links from
// elsewhere) an hour.
func staticHandler() http.Handler {
	return secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		f, ok := statics[name]
		if !ok || strings.Contains(name, "/") {
			http.NotFound(w, r) // nor directory listings
			return
		}
		h := w.Header()
		if name == f.hashed {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "public, max-age=3600")
		}
		h.Set("Content-Type", f.ctype)
		h.Set("ETag", f.etag)
		if f.gz != nil {
			h.Set("Vary", "Accept-Encoding")
		}
		if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, f.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		body := f.body
		if f.gz != nil && acceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			body = f.gz
		}
		h.Set("Content-Length", fmt.Sprint(len(body)))
		w.Write(body) //nolint:errcheck // the reader left
	}))
}

// compressible reports whether a response of content type ctype shrinks
// with gzip: text, and SVG, which is text.
func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.HasPrefix(ctype, "image/svg+xml") ||
		strings.HasPrefix(ctype, "application/javascript") || strings.HasPrefix(ctype, "text/javascript") ||
		strings.HasPrefix(ctype, "application/json")
}

// acceptsGzip reports whether the request's Accept-Encoding takes gzip
// (and does not refuse it with q=0).
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if !strings.EqualFold(strings.TrimSpace(coding), "gzip") && strings.TrimSpace(coding) != "*" {
				continue
			}
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	zw.Write(b) //nolint:errcheck // a bytes.Buffer does not fail
	zw.Close()  //nolint:errcheck // nor here
	gzipWriters.Put(zw)
	return buf.Bytes()
}

// minGzip is the smallest body worth compressing: below it the gzip
// header and a round of the CPU cost more than they save.
const minGzip = 1024

// writeBody writes b, gzipped when the reader takes gzip and b is large
// enough, and status; the caller has set Content-Type.
func writeBody(w http.ResponseWriter, r *http.Request, status int, b []byte) error {
	h := w.Header()
	h.Add("Vary", "Accept-Encoding")
	if len(b) >= minGzip && acceptsGzip(r) {
		b = gzipBytes(b)
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", fmt.Sprint(len(b)))
	w.WriteHeader(status)
	_, err := w.Write(b)
	return err
}

// stylesheet is the address of the pages' stylesheet.
var stylesheet = must(staticURL("app.css"))

func must[T any](v T, err error) T {
	if err != nil {
		panic(err) // an embedded file is missing: a build error
	}
	return v
}
