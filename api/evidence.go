package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/workflow"
	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// WithEvidence serves a claim's evidence and messages under
// /api/v1/claims/{number}/evidence and /messages (with WithClaims).
func WithEvidence(e *workflow.Evidence) Option { return func(s *Server) { s.evidence = e } }

// EvidenceJSON is a file attached to a claim.
type EvidenceJSON struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind" enum:"photo,video,document"`
	ContentType string    `json:"content_type" doc:"Recognised from the content, not from the name or the declared type" example:"image/jpeg"`
	Size        int64     `json:"size" doc:"In bytes"`
	SHA256      string    `json:"sha256" doc:"Hex SHA-256 of the content"`
	Name        string    `json:"name" doc:"The uploader's file name, for display only"`
	UploadedBy  string    `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
	URL         string    `json:"url" doc:"Where to download it"`
}

func evidenceJSON(number string, e aftersale.Evidence) EvidenceJSON {
	return EvidenceJSON{ID: e.ID, Kind: string(e.Kind), ContentType: e.ContentType, Size: e.Size, SHA256: e.SHA256,
		Name: e.Name, UploadedBy: e.UploadedBy, UploadedAt: e.UploadedAt,
		URL: fmt.Sprintf("/api/v1/claims/%s/evidence/%d", number, e.ID)}
}

type evidenceListOutput struct {
	Body struct {
		Evidence []EvidenceJSON `json:"evidence"`
	}
}

// uploadTimeout is how long a client may take to send one file: the
// server's read timeout is meant for ordinary requests.
const uploadTimeout = 30 * time.Minute

// evidenceTypes are the content types a download may have.
var evidenceTypes = []string{"image/jpeg", "image/png", "image/webp", "image/heic", "image/heif",
	"image/heic-sequence", "image/heif-sequence", "video/mp4", "video/quicktime", "video/webm", "application/pdf"}

func (s *Server) registerEvidence() {
	huma.Register(s.api, huma.Operation{OperationID: "list-evidence", Method: http.MethodGet,
		Path: "/api/v1/claims/{number}/evidence", Summary: "A claim's photos, videos and documents",
		Description: "Oldest first; each with the URL it is downloaded from.",
		Tags:        []string{"claims"}, Security: bearer, Errors: []int{http.StatusUnauthorized, http.StatusNotFound}},
		s.listEvidence)
	upload := &huma.Operation{OperationID: "add-evidence", Method: http.MethodPost, Path: "/api/v1/claims/{number}/evidence",
		Summary: "Attach a photo, video or proof of purchase to a claim", Tags: []string{"claims"}, Security: bearer,
		Description: "The body is the file itself, streamed (not JSON, not multipart). It is recognised by its content, " +
			"whatever its name or Content-Type: JPEG, PNG, WebP or HEIC photos and PDF documents up to 20 MiB, " +
			"MP4, QuickTime or WebM videos up to 200 MiB. 413: too large; 415: not one of these.",
		Parameters: []*huma.Param{pathNumber(),
			{Name: "name", In: "query", Description: "The file's name, for display; or send Content-Disposition: attachment; filename=...",
				Schema: &huma.Schema{Type: "string", MaxLength: &maxNameLen}}},
		// The types it is recognised as; any label is accepted (it is not
		// read), but listing curl's form type made validating proxies
		// re-encode the file as a form.
		RequestBody: &huma.RequestBody{Required: true, Description: "The file, labelled with its type or application/octet-stream; " +
			"the label is not read: the file is recognised by its content.",
			Content: binaryContent(append([]string{"application/octet-stream"}, evidenceTypes...)...)},
		Responses: map[string]*huma.Response{
			"201": {Description: "Stored", Headers: map[string]*huma.Param{"Location": {Schema: &huma.Schema{Type: "string"}}},
				Content: map[string]*huma.MediaType{"application/json": {Schema: s.docSchema(reflect.TypeFor[EvidenceJSON](), "EvidenceJSON")}}},
		}}
	download := &huma.Operation{OperationID: "get-evidence", Method: http.MethodGet, Path: "/api/v1/claims/{number}/evidence/{id}",
		Summary: "Download one file of a claim", Tags: []string{"claims"}, Security: bearer,
		Description: "Served with the recognised content type, never as HTML: nosniff, a sandboxing Content-Security-Policy, " +
			"inline for photos and videos, as an attachment for documents. Range requests are honoured: 206 with the part, " +
			"416 (a problem, with Content-Range: bytes */size) when no range of the Range header overlaps the file; " +
			"If-None-Match with its ETag answers 304.",
		Parameters: []*huma.Param{pathNumber(), {Name: "id", In: "path", Required: true, Schema: &huma.Schema{Type: "integer", Format: "int64"}}},
		Responses: map[string]*huma.Response{
			"200": {Description: "The file", Content: binaryContent(evidenceTypes...)},
			"206": {Description: "Part of the file (Range)", Content: binaryContent(evidenceTypes...)},
			"304": {Description: "Not modified: If-None-Match named the file's ETag"},
		}}
	s.addProblems(upload, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusRequestEntityTooLarge,
		http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity)
	s.addProblems(download, http.StatusUnauthorized, http.StatusNotFound, http.StatusPreconditionFailed, http.StatusRequestedRangeNotSatisfiable)
	// Plain handlers: huma would buffer the body in memory.
	s.api.OpenAPI().AddOperation(upload)
	s.api.Adapter().Handle(upload, func(ctx huma.Context) { s.addEvidence(humago.Unwrap(ctx)) })
	s.api.OpenAPI().AddOperation(download)
	s.api.Adapter().Handle(download, func(ctx huma.Context) { s.getEvidence(humago.Unwrap(ctx)) })
}

func pathNumber() *huma.Param {
	return &huma.Param{Name: "number", In: "path", Required: true, Example: "RMA-2026-000123", Schema: &huma.Schema{Type: "string"}}
}

func binaryContent(types ...string) map[string]*huma.MediaType {
	out := map[string]*huma.MediaType{}
	for _, t := range types {
		out[t] = &huma.MediaType{Schema: &huma.Schema{Type: "string", Format: "binary"}}
	}
	return out
}

// maxNameLen documents the name parameter; longer names are cut.
var maxNameLen = 1000

func (s *Server) docSchema(t reflect.Type, hint string) *huma.Schema {
	return s.api.OpenAPI().Components.Schemas.Schema(t, true, hint)
}

// addProblems documents the problem responses of a hand-made operation.
func (s *Server) addProblems(op *huma.Operation, statuses ...int) {
	problem := s.docSchema(reflect.TypeFor[Problem](), "Problem")
	for _, st := range statuses {
		op.Responses[strconv.Itoa(st)] = &huma.Response{Description: http.StatusText(st),
			Content: map[string]*huma.MediaType{"application/problem+json": {Schema: problem}}}
	}
}

func (s *Server) listEvidence(ctx context.Context, in *claimInput) (*evidenceListOutput, error) {
	list, err := s.evidence.ListEvidence(ctx, auth.ActorFrom(ctx), in.Number)
	if err != nil {
		return nil, s.problem(err)
	}
	out := &evidenceListOutput{}
	out.Body.Evidence = make([]EvidenceJSON, 0, len(list))
	for _, e := range list {
		out.Body.Evidence = append(out.Body.Evidence, evidenceJSON(in.Number, e))
	}
	return out, nil
}

// addEvidence streams the request body to the blob store.
func (s *Server) addEvidence(r *http.Request, w http.ResponseWriter) {
	ctx := r.Context()
	if err := requirePermission(ctx, ""); err != nil {
		s.writeProblem(w, err)
		return
	}
	if r.ContentLength > workflow.MaxUploadSize {
		s.writeProblem(w, &aftersale.Error{Kind: aftersale.Invalid, Field: "body", Err: workflow.ErrTooLarge,
			Message: fmt.Sprintf("a file may be at most %d MiB (videos; photos and documents 20 MiB)", workflow.MaxUploadSize>>20)})
		return
	}
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadTimeout))
	name := r.URL.Query().Get("name")
	if name == "" {
		if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err == nil {
			name = params["filename"]
		}
	}
	// One byte more than the largest kind's limit: the workflow names the
	// kind's limit itself.
	body := http.MaxBytesReader(w, r.Body, workflow.MaxUploadSize+1)
	number := r.PathValue("number")
	e, err := s.evidence.AddEvidence(ctx, auth.ActorFrom(ctx), number, name, body)
	if err != nil {
		s.writeProblem(w, err)
		return
	}
	out := evidenceJSON(number, e)
	w.Header().Set("Location", out.URL)
	writePlainJSON(w, http.StatusCreated, out)
}

// getEvidence streams a file with headers that keep a browser from running
// it: the recognised type, nosniff, a sandbox, and documents as downloads.
func (s *Server) getEvidence(r *http.Request, w http.ResponseWriter) {
	ctx := r.Context()
	if err := requirePermission(ctx, ""); err != nil {
		s.writeProblem(w, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.writeProblem(w, &aftersale.Error{Kind: aftersale.NotFound, Field: "id", Message: "no such evidence"})
		return
	}
	e, rc, err := s.evidence.OpenEvidence(ctx, auth.ActorFrom(ctx), r.PathValue("number"), id)
	if err != nil {
		s.writeProblem(w, err)
		return
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", e.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private")
	h.Set("ETag", `"`+e.SHA256+`"`)
	h.Set("Content-Disposition", disposition(e))
	if rs, ok := rc.(io.ReadSeeker); ok {
		// Ranges: browsers seek in videos. ServeContent's own errors (416,
		// 412) are plain text: they become problems.
		pw := &problemWriter{ResponseWriter: w, s: s}
		http.ServeContent(pw, r, "", e.UploadedAt, rs)
		return
	}
	h.Set("Content-Length", strconv.FormatInt(e.Size, 10))
	if _, err := io.Copy(w, rc); err != nil {
		s.log.WarnContext(ctx, "evidence download cut short", "id", e.ID, "err", err)
	}
}

// disposition shows photos and videos in place and downloads documents.
func disposition(e aftersale.Evidence) string {
	kind := "inline"
	if e.Kind == aftersale.EvidenceDocument {
		kind = "attachment"
	}
	name := e.Name
	if name == "" {
		name = fmt.Sprintf("evidence-%d", e.ID)
	}
	if v := mime.FormatMediaType(kind, map[string]string{"filename": name}); v != "" {
		return v
	}
	return kind
}

// writeProblem writes err as a problem from a plain handler: a file too
// large is 413, one of a type we do not take 415.
func (s *Server) writeProblem(w http.ResponseWriter, err error) {
	var p *Problem
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &p): // already a problem
	case errors.Is(err, workflow.ErrTooLarge) || errors.As(err, &mbe):
		p = &Problem{Type: "about:blank", Title: http.StatusText(http.StatusRequestEntityTooLarge), Status: http.StatusRequestEntityTooLarge,
			Detail: aftersale.MessageOf(err), Errors: []ProblemField{{Field: "body", Message: aftersale.MessageOf(err), Location: "body"}}}
		if mbe != nil {
			p.Detail = fmt.Sprintf("a file may be at most %d MiB", workflow.MaxUploadSize>>20)
			p.Errors[0].Message = p.Detail
		}
	case errors.Is(err, workflow.ErrUnsupportedType):
		p = &Problem{Type: "about:blank", Title: http.StatusText(http.StatusUnsupportedMediaType), Status: http.StatusUnsupportedMediaType,
			Detail: aftersale.MessageOf(err), Errors: []ProblemField{{Field: "body", Message: aftersale.MessageOf(err), Location: "body"}}}
	default:
		if !errors.As(s.problem(err), &p) {
			p = &Problem{Type: "about:blank", Title: "Internal Server Error", Status: http.StatusInternalServerError}
		}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	writePlainJSON(w, p.Status, p)
}

func writePlainJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// problemWriter passes a response through, but for an error status, whose
// plain-text body it replaces with a problem (http.ServeContent's 412 and
// 416, written with http.Error).
type problemWriter struct {
	http.ResponseWriter
	s        *Server
	replaced bool
}

func (pw *problemWriter) WriteHeader(status int) {
	if status < 400 {
		pw.ResponseWriter.WriteHeader(status)
		return
	}
	pw.replaced = true
	h := pw.Header()
	h.Del("Content-Length")
	h.Del("Content-Disposition")
	h.Del("ETag")
	p := &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status}
	switch status {
	case http.StatusRequestedRangeNotSatisfiable:
		p.Detail = "No range of the Range header overlaps the file (its size is in Content-Range)."
		p.Errors = []ProblemField{{Field: "Range", Message: "does not overlap the file", Location: "header.Range"}}
	case http.StatusPreconditionFailed:
		p.Detail = "The file does not match If-Match or If-Unmodified-Since."
	}
	h.Set("Content-Type", "application/problem+json")
	writePlainJSON(pw.ResponseWriter, status, p)
}

func (pw *problemWriter) Write(b []byte) (int, error) {
	if pw.replaced {
		return len(b), nil // the plain-text message, replaced
	}
	return pw.ResponseWriter.Write(b)
}
