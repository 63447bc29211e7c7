package api

import (
	"errors"
	"fmt"
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

// maxImportBytes bounds one import file; the importer streams it, so this
// is a guard against a runaway client, not a memory budget.
const maxImportBytes = 4 << 30

// importTimeout is how long reading one import file may take.
const importTimeout = 2 * time.Hour

// WithImports serves registry imports for staff at /api/v1/imports/{kind}.
func WithImports(i *workflow.Imports) Option { return func(s *Server) { s.imports = i } }

func (s *Server) registerImports() {
	op := &huma.Operation{OperationID: "import-registry", Method: http.MethodPost, Path: "/api/v1/imports/{kind}",
		Summary: "Import products, kits, distributors, customers, orders or deliveries", Tags: []string{"registry"},
		Security: bearer,
		Description: "The body is the file itself, streamed: CSV with a header, or JSON Lines (importer/FORMATS.md). " +
			"The whole file is applied in one transaction, or nothing: a refused file is a 422 listing each bad row " +
			"(location: line, field: column; the first 100, and the count of the rest in the detail). " +
			"A row may have at most 100 columns and 1 MiB; a wider or longer one refuses the file (CSV) or the row (JSON Lines). With skip_invalid the good rows are applied and the refused ones listed. " +
			"Re-importing the same file changes nothing. Needs the import_registry permission (managers, admins).",
		Parameters: []*huma.Param{
			{Name: "kind", In: "path", Required: true, Schema: &huma.Schema{Type: "string", Enum: anySlice(workflow.ImportKinds)}},
			{Name: "format", In: "query", Schema: &huma.Schema{Type: "string", Enum: []any{"csv", "jsonl"}, Default: "csv"}},
			{Name: "skip_invalid", In: "query", Schema: &huma.Schema{Type: "boolean", Default: false}},
			{Name: "name", In: "query", Description: "The file's name, for messages", Schema: &huma.Schema{Type: "string"}},
		},
		RequestBody: &huma.RequestBody{Required: true, Description: "The file. Its Content-Type, when given, must not contradict format: " +
			"a CSV file as text/csv, JSON Lines as application/x-ndjson, application/jsonl or application/json, " +
			"either as text/plain, application/octet-stream or the form type curl --data-binary sends; any other label is a 415.",
			Content: binaryContent(importTypes...)},
		Responses: map[string]*huma.Response{"200": {Description: "Imported", Content: map[string]*huma.MediaType{
			"application/json": {Schema: s.docSchema(reflect.TypeFor[importResult](), "ImportResult")}}}},
	}
	s.addProblems(op, http.StatusUnauthorized, http.StatusForbidden, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType,
		http.StatusUnprocessableEntity)
	s.api.OpenAPI().AddOperation(op)
	s.api.Adapter().Handle(op, func(ctx huma.Context) { s.importRegistry(humago.Unwrap(ctx)) })
}

// importTypes are the labels an import file may have (importLabelFits).
var importTypes = []string{"text/csv", "application/x-ndjson", "application/jsonl", "application/json",
	"text/plain", "application/octet-stream", "application/x-www-form-urlencoded"}

// importLabelFits reports whether a file labelled contentType may be read
// as format: a label naming the other format is refused, so that a JSON
// file sent without ?format=jsonl is not read as CSV.
func importLabelFits(contentType, format string) bool {
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch mt {
	case "text/plain", "application/octet-stream", "application/x-www-form-urlencoded":
		return true
	case "text/csv":
		return format == "csv"
	case "application/x-ndjson", "application/jsonl", "application/json":
		return format == "jsonl"
	}
	return false
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func (s *Server) importRegistry(r *http.Request, w http.ResponseWriter) {
	ctx := r.Context()
	if err := requirePermission(ctx, aftersale.ImportRegistry); err != nil {
		s.writeProblem(w, err)
		return
	}
	q := r.URL.Query()
	req := workflow.ImportRequest{Kind: r.PathValue("kind"), Format: q.Get("format"), Name: q.Get("name")}
	if req.Format == "" {
		req.Format = "csv"
	}
	if (req.Format == "csv" || req.Format == "jsonl") && !importLabelFits(r.Header.Get("Content-Type"), req.Format) {
		s.writeProblem(w, &Problem{Type: "about:blank", Title: http.StatusText(http.StatusUnsupportedMediaType),
			Status: http.StatusUnsupportedMediaType,
			Detail: fmt.Sprintf("a body labelled %q is not read as %s: label a CSV file text/csv, JSON Lines application/x-ndjson (with ?format=jsonl)", r.Header.Get("Content-Type"), req.Format),
			Errors: []ProblemField{{Field: "Content-Type", Message: "contradicts format " + req.Format, Location: "header.Content-Type"}}})
		return
	}
	if req.Name == "" {
		req.Name = req.Kind + "." + req.Format
	}
	if v := q.Get("skip_invalid"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			s.writeProblem(w, &Problem{Type: "about:blank", Title: "Unprocessable Entity", Status: http.StatusUnprocessableEntity,
				Detail: "skip_invalid must be true or false", Errors: []ProblemField{{Field: "skip_invalid", Message: "not a boolean", Location: "query.skip_invalid"}}})
			return
		}
		req.SkipInvalid = b
	}
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(importTimeout))
	res, err := s.imports.Import(ctx, auth.ActorFrom(ctx), http.MaxBytesReader(w, r.Body, maxImportBytes), req)
	var ie *workflow.ImportError
	if errors.As(err, &ie) {
		p := &Problem{Type: "about:blank", Title: "Unprocessable Entity", Status: http.StatusUnprocessableEntity,
			Detail: ie.Error()}
		for _, row := range ie.Rows {
			field := row.Column
			if field == "" {
				field = "row"
			}
			p.Errors = append(p.Errors, ProblemField{Field: field, Message: row.Reason, Location: fmt.Sprintf("%s:%d", ie.Name, row.Line)})
		}
		s.writeProblem(w, p)
		return
	}
	if err != nil {
		s.writeProblem(w, err)
		return
	}
	out := importResult{Read: res.Read, Applied: res.Applied, Rejected: res.Rejected}
	for _, row := range res.Refused {
		out.Refused = append(out.Refused, importRowError(row))
	}
	writePlainJSON(w, http.StatusOK, out)
}

// importResult is a workflow.ImportResult on the wire.
type importResult struct {
	Read     int              `json:"read"`
	Applied  int              `json:"applied"`
	Rejected int              `json:"rejected"`
	Refused  []importRowError `json:"refused,omitempty"`
}

// importRowError is a workflow.ImportRowError on the wire.
type importRowError struct {
	Line   int    `json:"line"`
	Column string `json:"column,omitempty"`
	Reason string `json:"reason"`
}
