package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"strconv"

	"github.com/aftersale/aftersale/importer"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

// maxListedRejects is how many refused rows an HTTP import lists.
const maxListedRejects = 100

// registryImporter runs an HTTP import with the importer, the way
// `aftersale import` does: today in the policy's time zone, the policy's
// categories, refused rows listed in the answer instead of a rejects file.
func registryImporter(p *policy.Policy, db *store.DB) workflow.ImportRunner {
	return func(ctx context.Context, r io.Reader, req workflow.ImportRequest) (workflow.ImportResult, error) {
		today, err := todayIn(p)
		if err != nil {
			return workflow.ImportResult{}, err
		}
		rejects := &boundedBuffer{limit: 1 << 20}
		o := importer.Options{Kind: importer.Kind(req.Kind), Format: importer.Format(req.Format), Name: req.Name,
			Today: today, Categories: p.CategoryKeys(), SkipInvalid: req.SkipInvalid, MaxErrors: maxListedRejects}
		if req.SkipInvalid {
			o.Rejects = rejects
		}
		out, err := importer.Outcome(importer.Import(ctx, db, r, o))
		if err != nil {
			return out, err
		}
		out.Refused = refusedRows(rejects.Bytes())
		return out, nil
	}
}

// refusedRows reads the rejects CSV back: its last two columns are the
// line and the reason.
func refusedRows(data []byte) []workflow.ImportRowError {
	rows, _ := csv.NewReader(bytes.NewReader(data)).ReadAll() // a cut last row is dropped
	var out []workflow.ImportRowError
	for i, rec := range rows {
		if i == 0 || len(rec) < 2 || len(out) == maxListedRejects {
			continue
		}
		line, err := strconv.Atoi(rec[len(rec)-2])
		if err != nil {
			continue
		}
		out = append(out, workflow.ImportRowError{Line: line, Reason: rec[len(rec)-1]})
	}
	return out
}

// boundedBuffer keeps the first limit bytes written to it and drops the
// rest: a file with a million bad rows must not fill the memory.
type boundedBuffer struct {
	bytes.Buffer
	limit int
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	if room := b.limit - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
