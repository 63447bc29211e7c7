package policy

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The shape of a policy file. Pointers mark numbers that must be present:
// a missing number is an error, never a silent zero.
type (
	fileDoc struct {
		Seller   string        `yaml:"seller"`
		TimeZone string        `yaml:"time_zone"`
		Versions []fileVersion `yaml:"versions"`
	}
	fileVersion struct {
		Version          string                     `yaml:"version"`
		EffectiveFrom    string                     `yaml:"effective_from"`
		Clauses          []fileClause               `yaml:"clauses"`
		Categories       []fileCategory             `yaml:"categories"`
		Warranty         fileWarranty               `yaml:"warranty"`
		Return           fileWindow                 `yaml:"return"`
		Replacement      fileWindow                 `yaml:"replacement"`
		MissingParts     fileWindow                 `yaml:"missing_parts"`
		DamagedOnArrival fileWindow                 `yaml:"damaged_on_arrival"`
		FreeRepair       fileClauseRef              `yaml:"free_repair"`
		PaidRepair       fileClauseRef              `yaml:"paid_repair"`
		RepairedUnits    filePeriod                 `yaml:"repaired_units"`
		Exclusions       map[string]string          `yaml:"exclusions"`
		Shipping         fileShippingRules          `yaml:"shipping"`
		Channels         fileChannels               `yaml:"channels"`
		ProofOfPurchase  fileProof                  `yaml:"proof_of_purchase"`
		Answer           fileWindow                 `yaml:"answer"`
		ProductTerms     fileProductTerms           `yaml:"product_terms"`
		Contracts        fileContracts              `yaml:"distribution_contracts"`
		Translations     map[string]fileTranslation `yaml:"translations"`
	}
	// fileTranslation is the seller's texts in another language, by the keys
	// of the English ones; anything left out falls back to the English.
	fileTranslation struct {
		Categories map[string]fileCategoryText `yaml:"categories"`
		Causes     map[string]string           `yaml:"causes"`
		Clauses    map[string]string           `yaml:"clauses"`
	}
	fileCategoryText struct {
		Name string `yaml:"name"`
		Noun string `yaml:"noun"`
		Note string `yaml:"note"`
	}
	fileClause struct {
		ID   string `yaml:"id"`
		Text string `yaml:"text"`
	}
	fileCategory struct {
		Key            string   `yaml:"key"`
		Name           string   `yaml:"name"`
		Noun           string   `yaml:"noun"`
		WarrantyMonths int      `yaml:"warranty_months"`
		PaidRepair     *bool    `yaml:"paid_repair"`
		Returnable     *bool    `yaml:"returnable"`
		Clauses        []string `yaml:"clauses"`
		Note           string   `yaml:"note"`
	}
	fileWarranty struct {
		StartsFrom    string `yaml:"starts_from"`
		PeriodClause  string `yaml:"period_clause"`
		StartClause   string `yaml:"start_clause"`
		OutsideClause string `yaml:"outside_clause"`
	}
	fileWindow struct {
		Days   *int   `yaml:"days"`
		Clause string `yaml:"clause"`
	}
	filePeriod struct {
		Months *int   `yaml:"months"`
		Clause string `yaml:"clause"`
	}
	fileClauseRef struct {
		Clause string `yaml:"clause"`
	}
	fileShipping struct {
		PaidBy string `yaml:"paid_by"`
		Clause string `yaml:"clause"`
	}
	fileShippingRules struct {
		ChangeOfMind  fileShipping `yaml:"change_of_mind"`
		QualityRemedy fileShipping `yaml:"quality_remedy"`
		Excluded      fileShipping `yaml:"excluded"`
		AfterWarranty fileShipping `yaml:"after_warranty"`
	}
	fileChannels struct {
		UnauthorizedReseller  fileClauseRef `yaml:"unauthorized_reseller"`
		AuthorizedDistributor struct {
			ReferClauses       []string `yaml:"refer_clauses"`
			HeadquartersClause string   `yaml:"headquarters_clause"`
		} `yaml:"authorized_distributor"`
	}
	fileProof struct {
		Required bool   `yaml:"required"`
		Clause   string `yaml:"clause"`
	}
	fileProductTerms struct {
		Clause   string        `yaml:"clause"`
		Products []fileProduct `yaml:"products"`
	}
	fileProduct struct {
		SKU            string `yaml:"sku"`
		Name           string `yaml:"name"`
		Category       string `yaml:"category"`
		WarrantyMonths *int   `yaml:"warranty_months"`
		PaidRepair     *bool  `yaml:"paid_repair"`
	}
	fileContracts struct {
		Clause       string         `yaml:"clause"`
		Distributors []fileContract `yaml:"distributors"`
	}
	fileContract struct {
		Code                 string `yaml:"code"`
		Name                 string `yaml:"name"`
		ReturnDays           *int   `yaml:"return_days"`
		ReplacementDays      *int   `yaml:"replacement_days"`
		MissingPartsDays     *int   `yaml:"missing_parts_days"`
		DamagedOnArrivalDays *int   `yaml:"damaged_on_arrival_days"`
	}
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the text of the built-in policy file.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

// Default returns the built-in policy: the seller's published policy as
// docs/policy-reading.md reads it.
func Default() *Policy {
	p, err := Parse("built-in", defaultYAML)
	if err != nil {
		// The built-in file is tested; failing here is a build defect, not input.
		panic("policy: the built-in policy is invalid: " + err.Error())
	}
	return p
}

// Load reads and validates the policy file at path.
func Load(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read policy file: %w", err)
	}
	return Parse(path, data)
}

// Problem is one thing wrong with a policy file.
type Problem struct {
	Line    int    // 1-based; 0 when unknown
	Field   string // e.g. versions[0].return.days
	Message string
}

// LoadError lists everything wrong with a policy file.
type LoadError struct {
	File     string
	Problems []Problem
}

func (e *LoadError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.File)
		if p.Line > 0 {
			b.WriteString(":" + strconv.Itoa(p.Line))
		}
		b.WriteString(": ")
		if p.Field != "" {
			b.WriteString(p.Field + ": ")
		}
		b.WriteString(p.Message)
	}
	return b.String()
}

// Parse reads and validates a policy file's content; name says where it came
// from in error messages.
func Parse(name string, data []byte) (*Policy, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &LoadError{File: name, Problems: []Problem{syntaxProblem(err)}}
	}
	var doc fileDoc
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, &LoadError{File: name, Problems: typeProblems(err)}
	}
	c := compiler{root: &root}
	p := c.policy(&doc)
	if len(c.problems) > 0 {
		return nil, &LoadError{File: name, Problems: c.problems}
	}
	p.Source = name
	return p, nil
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlParserProblems are yaml.v3's parser (not scanner) errors: it reports
// their line 0-based, so they are one line short.
var yamlParserProblems = []string{"did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"did not find expected '-' indicator", "did not find expected <document start>", "did not find expected key",
	"did not find expected node content", "found incompatible YAML document", "found undefined tag handle"}

func syntaxProblem(err error) Problem {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		if slices.Contains(yamlParserProblems, m[2]) {
			n++
		}
		return Problem{Line: n, Message: m[2]}
	}
	return Problem{Message: strings.TrimPrefix(err.Error(), "yaml: ")}
}

var unknownField = regexp.MustCompile(`^field (\S+) not found in type \S+$`)

func typeProblems(err error) []Problem {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return []Problem{syntaxProblem(err)}
	}
	out := make([]Problem, 0, len(te.Errors))
	for _, e := range te.Errors {
		p := syntaxProblem(errors.New(e))
		if m := unknownField.FindStringSubmatch(p.Message); m != nil {
			p.Message = fmt.Sprintf("unknown field %q", m[1])
		}
		out = append(out, p)
	}
	return out
}
