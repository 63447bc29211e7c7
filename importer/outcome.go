package importer

import (
	"errors"

	"github.com/aftersale/aftersale/workflow"
)

// Outcome is Import's answer in the words of the workflow's imports
// (workflow.ImportRunner): a file refused for its rows is a
// *workflow.ImportError listing them.
func Outcome(res Result, err error) (workflow.ImportResult, error) {
	var ie *InvalidError
	if errors.As(err, &ie) {
		out := &workflow.ImportError{Name: ie.Name, More: ie.More, Truncated: ie.Truncated}
		for _, row := range ie.Rows {
			out.Rows = append(out.Rows, workflow.ImportRowError{Line: row.Line, Column: row.Column, Reason: row.Reason})
		}
		return workflow.ImportResult{}, out
	}
	if err != nil {
		return workflow.ImportResult{}, err
	}
	return workflow.ImportResult{Read: res.Read, Applied: res.Applied, Rejected: res.Rejected}, nil
}
