package api

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"time"

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
		RequestBody: &huma.RequestBody{Required: true, Content: binaryContent("text/csv", "application/x-ndjson")},
		Responses: map[string]*huma.Response{"200": {Description: "Imported", Content: map[string]*huma.MediaType{
			"application/json": {Schema: s.docSchema(reflect.TypeFor[workflow.ImportResult](), "ImportResult")}}}},
	}
	s.addProblems(op, http.StatusUnauthorized, http.StatusForbidden, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity)
	s.api.OpenAPI().AddOperation(op)
	s.api.Adapter().Handle(op, func(ctx huma.Context) { s.importRegistry(humago.Unwrap(ctx)) })
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
	q := r.URL.Query()
	req := workflow.ImportRequest{Kind: r.PathValue("kind"), Format: q.Get("format"), Name: q.Get("name")}
	if req.Format == "" {
		req.Format = "csv"
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
	writePlainJSON(w, http.StatusOK, res)
}
