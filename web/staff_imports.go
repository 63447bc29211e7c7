package web

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"path"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/workflow"
)

// maxImportSize bounds an uploaded registry file.
const maxImportSize = 512 << 20

// importsPage offers an upload form per kind of registry file, and shows
// the last import's result.
type importsPage struct {
	Page
	Kinds   []string
	Kind    string // the kind just imported
	Name    string // its file name
	Result  *workflow.ImportResult
	Refused *workflow.ImportError // the whole file was refused
	Error   string                // translated: why nothing was imported
}

// RefusedRows are the rows refused: skipped under skip-invalid, or the
// reasons the whole file was refused.
func (p importsPage) RefusedRows() []workflow.ImportRowError {
	if p.Refused != nil {
		return p.Refused.Rows
	}
	if p.Result != nil {
		return p.Result.Refused
	}
	return nil
}

func (s *Server) importsForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.staffPage(r, "imports", "staff.imports.title", aftersale.ImportRegistry)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "staff_imports.html", importsPage{Page: p, Kinds: workflow.ImportKinds})
}

// importFile streams an uploaded file into the import, part by part, never
// holding it whole: the form's fields come first, then the file.
func (s *Server) importFile(w http.ResponseWriter, r *http.Request) error {
	p, err := s.staffPage(r, "imports", "staff.imports.title", aftersale.ImportRegistry)
	if err != nil {
		return err
	}
	ip := importsPage{Page: p, Kinds: workflow.ImportKinds}
	if s.Imports == nil {
		return &aftersale.Error{Kind: aftersale.NotFound}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxImportSize)
	mr, err := r.MultipartReader()
	if err != nil {
		ip.Error = p.L.T("staff.imports.no_file")
		return s.render(w, r, http.StatusUnprocessableEntity, "staff_imports.html", ip)
	}
	req, res, err := s.importParts(r, mr, p.Actor)
	ip.Kind, ip.Name = req.Kind, req.Name
	var ie *workflow.ImportError
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		ip.Result = &res
		return s.render(w, r, http.StatusOK, "staff_imports.html", ip)
	case errors.As(err, &ie):
		ip.Refused = ie
		ip.Error = p.L.T("staff.imports.refused", "Count", len(ie.Rows)+ie.More)
	case errors.As(err, &tooBig):
		ip.Error = p.L.T("staff.imports.too_big", "MiB", maxImportSize>>20)
		return s.render(w, r, http.StatusRequestEntityTooLarge, "staff_imports.html", ip)
	case errors.Is(err, errNoFile):
		ip.Error = p.L.T("staff.imports.no_file")
	case aftersale.KindOf(err) == aftersale.Invalid:
		ip.Error = p.L.T("staff.imports.invalid", "Detail", aftersale.MessageOf(err))
	default:
		return err
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "staff_imports.html", ip)
}

var errNoFile = errors.New("web: no file in the upload")

// importParts reads the form's fields, then hands the file part, as it
// streams in, to the import.
func (s *Server) importParts(r *http.Request, mr *multipart.Reader, actor aftersale.Actor) (workflow.ImportRequest, workflow.ImportResult, error) {
	var req workflow.ImportRequest
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return req, workflow.ImportResult{}, errNoFile
		}
		if err != nil {
			return req, workflow.ImportResult{}, err
		}
		if part.FormName() != "file" {
			val, err := io.ReadAll(io.LimitReader(part, 1000))
			if err != nil {
				return req, workflow.ImportResult{}, err
			}
			switch part.FormName() {
			case "kind":
				req.Kind = string(val)
			case "format":
				req.Format = string(val)
			case "skip_invalid":
				req.SkipInvalid = string(val) == "1"
			}
			continue
		}
		req.Name = aftersale.CleanFileName(part.FileName())
		if req.Name == "" {
			return req, workflow.ImportResult{}, errNoFile
		}
		if req.Format == "" || req.Format == "auto" {
			req.Format = strings.TrimPrefix(strings.ToLower(path.Ext(req.Name)), ".")
		}
		res, err := s.Imports.Import(r.Context(), actor, part, req)
		return req, res, err
	}
}
