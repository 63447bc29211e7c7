package workflow

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/aftersale/aftersale"
)

// ImportKinds are the registry files, in the order they are imported.
var ImportKinds = []string{"products", "kits", "distributors", "customers", "orders", "deliveries"}

// ImportRequest is one file to import into the registry.
type ImportRequest struct {
	Kind        string // one of ImportKinds
	Format      string // csv or jsonl
	Name        string // the file's name, for messages
	SkipInvalid bool   // apply the good rows, report the refused ones
}

// ImportResult counts an import's rows; Refused lists the rows refused
// under SkipInvalid (at most a hundred).
type ImportResult struct {
	Read     int
	Applied  int
	Rejected int
	Refused  []ImportRowError
}

// ImportRowError is one refused row of a file.
type ImportRowError struct {
	Line   int
	Column string // "" when the row as a whole is refused
	Reason string
}

// ImportError refuses a whole file: nothing of it was stored.
type ImportError struct {
	Name      string
	Rows      []ImportRowError // the first ones (a hundred)
	More      int              // the bad rows found beyond Rows, not listed
	Truncated bool             // More > 0
}

func (e *ImportError) Error() string {
	if e.More > 0 {
		return fmt.Sprintf("%s: %d bad row(s) listed and %d more, nothing imported", e.Name, len(e.Rows), e.More)
	}
	return fmt.Sprintf("%s: %d bad row(s), nothing imported", e.Name, len(e.Rows))
}

// ImportRunner reads one file into the registry in one transaction; an
// *ImportError refuses it. The importer package provides it; the use case
// keeps the rules of who may import.
type ImportRunner func(ctx context.Context, r io.Reader, req ImportRequest) (ImportResult, error)

// Imports runs registry imports for staff.
type Imports struct {
	Run ImportRunner
}

// Import checks the caller may import the registry and runs the import.
func (s *Imports) Import(ctx context.Context, actor aftersale.Actor, r io.Reader, req ImportRequest) (ImportResult, error) {
	if !actor.Can(aftersale.ImportRegistry) {
		return ImportResult{}, forbidden(actor, "import the registry")
	}
	if !slices.Contains(ImportKinds, req.Kind) {
		return ImportResult{}, invalid("kind", "%q is not one of %v", req.Kind, ImportKinds)
	}
	if req.Format != "csv" && req.Format != "jsonl" {
		return ImportResult{}, invalid("format", "%q is not csv or jsonl", req.Format)
	}
	return s.Run(ctx, r, req)
}
