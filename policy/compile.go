package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aftersale/aftersale/date"
	"gopkg.in/yaml.v3"
)

// compiler validates a decoded policy file and builds the Policy, collecting
// every problem with the line it is on.
type compiler struct {
	root     *yaml.Node
	problems []Problem
}

// path is a field's place in the file: map keys (string) and list indexes (int).
type path []any

func (p path) with(elems ...any) path { return append(slices.Clip(p), elems...) }

func (p path) String() string {
	var b strings.Builder
	for _, e := range p {
		switch e := e.(type) {
		case int:
			b.WriteString("[" + strconv.Itoa(e) + "]")
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(e)
		}
	}
	return b.String()
}

func (c *compiler) fail(at path, format string, args ...any) {
	c.problems = append(c.problems, Problem{Line: c.line(at), Field: at.String(), Message: fmt.Sprintf(format, args...)})
}

// line finds the line of the node at p, or of its nearest ancestor present in
// the file.
func (c *compiler) line(p path) int {
	n := c.root
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, e := range p {
		if n == nil {
			break
		}
		line = n.Line
		n = child(n, e)
	}
	if n != nil {
		line = n.Line
	}
	return line
}

func child(n *yaml.Node, e any) *yaml.Node {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch e := e.(type) {
	case int:
		if n.Kind == yaml.SequenceNode && e < len(n.Content) {
			return n.Content[e]
		}
	case string:
		if n.Kind != yaml.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == e {
				return n.Content[i+1]
			}
			if n.Content[i].Value == "<<" { // a YAML merge key: look in what it merges
				if m := child(n.Content[i+1], e); m != nil {
					return m
				}
			}
		}
	}
	return nil
}

func (c *compiler) policy(doc *fileDoc) *Policy {
	p := &Policy{Seller: doc.Seller, TimeZone: doc.TimeZone}
	if strings.TrimSpace(doc.Seller) == "" {
		c.fail(path{"seller"}, "is required: the seller's name")
	}
	if doc.TimeZone == "" {
		c.fail(path{"time_zone"}, "is required: an IANA time zone such as Asia/Shanghai")
	} else if _, err := time.LoadLocation(doc.TimeZone); err != nil {
		c.fail(path{"time_zone"}, "%q is not an IANA time zone", doc.TimeZone)
	}
	if len(doc.Versions) == 0 {
		c.fail(path{"versions"}, "is required: at least one policy version")
	}
	ids := map[string]bool{}
	for i := range doc.Versions {
		at := path{"versions", i}
		v := c.version(at, &doc.Versions[i])
		if ids[v.ID] {
			c.fail(at.with("version"), "%q is used by another version", v.ID)
		}
		ids[v.ID] = true
		if n := len(p.Versions); n > 0 && !v.EffectiveFrom.IsZero() && !p.Versions[n-1].EffectiveFrom.IsZero() &&
			!v.EffectiveFrom.After(p.Versions[n-1].EffectiveFrom) {
			c.fail(at.with("effective_from"), "%s is not after the previous version's %s: list versions oldest first",
				v.EffectiveFrom, p.Versions[n-1].EffectiveFrom)
		}
		p.Versions = append(p.Versions, v)
	}
	return p
}

func (c *compiler) version(at path, f *fileVersion) *Version {
	v := &Version{ID: f.Version, clauseByID: map[string]clauseRef{}, categories: map[string]*Category{},
		products: map[string]*Product{}, contracts: map[string]*Contract{}}
	if strings.TrimSpace(f.Version) == "" {
		c.fail(at.with("version"), "is required: a name for this version, such as \"2026.1\"")
	}
	if f.EffectiveFrom == "" {
		c.fail(at.with("effective_from"), "is required: the first purchase date this version judges (YYYY-MM-DD)")
	} else if d, err := date.Parse(f.EffectiveFrom); err != nil {
		c.fail(at.with("effective_from"), "%v", err)
	} else {
		v.EffectiveFrom = d
	}
	c.clauses(at.with("clauses"), f.Clauses, v)
	c.categoryList(at.with("categories"), f.Categories, v)

	ref := func(p path, id string) clauseRef { return c.clauseRef(p, id, v) }
	w := at.with("warranty")
	switch f.Warranty.StartsFrom {
	case "delivery_or_purchase":
		v.WarrantyStart = StartDeliveryOrPurchase
	case "purchase":
		v.WarrantyStart = StartPurchase
	default:
		c.fail(w.with("starts_from"), "%q is not one of %s", f.Warranty.StartsFrom, strings.Join(startRuleNames, ", "))
	}
	v.PeriodClause = ref(w.with("period_clause"), f.Warranty.PeriodClause)
	v.StartClause = ref(w.with("start_clause"), f.Warranty.StartClause)
	v.OutsideClause = ref(w.with("outside_clause"), f.Warranty.OutsideClause)

	v.Return = c.window(at.with("return"), f.Return, v)
	v.Replacement = c.window(at.with("replacement"), f.Replacement, v)
	v.MissingParts = c.window(at.with("missing_parts"), f.MissingParts, v)
	v.DamagedOnArrival = c.window(at.with("damaged_on_arrival"), f.DamagedOnArrival, v)
	v.Answer = c.window(at.with("answer"), f.Answer, v)
	v.FreeRepair = ref(at.with("free_repair", "clause"), f.FreeRepair.Clause)
	v.PaidRepair = ref(at.with("paid_repair", "clause"), f.PaidRepair.Clause)
	v.RepairedUnit.Clause = ref(at.with("repaired_units", "clause"), f.RepairedUnits.Clause)
	v.RepairedUnit.Months = c.number(at.with("repaired_units", "months"), f.RepairedUnits.Months, 0, maxMonths)

	c.exclusionMap(at.with("exclusions"), f.Exclusions, v)
	s := at.with("shipping")
	v.ChangeOfMindShipping = c.shipping(s.with("change_of_mind"), f.Shipping.ChangeOfMind, v)
	v.QualityRemedyShipping = c.shipping(s.with("quality_remedy"), f.Shipping.QualityRemedy, v)
	v.ExcludedShipping = c.shipping(s.with("excluded"), f.Shipping.Excluded, v)
	v.AfterWarrantyShipping = c.shipping(s.with("after_warranty"), f.Shipping.AfterWarranty, v)

	ch := at.with("channels")
	v.UnauthorizedReseller = ref(ch.with("unauthorized_reseller", "clause"), f.Channels.UnauthorizedReseller.Clause)
	ad := ch.with("authorized_distributor")
	if len(f.Channels.AuthorizedDistributor.ReferClauses) == 0 {
		c.fail(ad.with("refer_clauses"), "is required: the clauses that send a customer to the distributor first")
	}
	for i, id := range f.Channels.AuthorizedDistributor.ReferClauses {
		v.ReferClauses = append(v.ReferClauses, ref(ad.with("refer_clauses", i), id))
	}
	v.HeadquartersClause = ref(ad.with("headquarters_clause"), f.Channels.AuthorizedDistributor.HeadquartersClause)

	v.ProofRequired = f.ProofOfPurchase.Required
	v.ProofClause = ref(at.with("proof_of_purchase", "clause"), f.ProofOfPurchase.Clause)
	v.ProductClause = ref(at.with("product_terms", "clause"), f.ProductTerms.Clause)
	c.productList(at.with("product_terms", "products"), f.ProductTerms.Products, v)
	v.ContractClause = ref(at.with("distribution_contracts", "clause"), f.Contracts.Clause)
	c.contractList(at.with("distribution_contracts", "distributors"), f.Contracts.Distributors, v)
	c.translations(at.with("translations"), f.Translations, v)
	return v
}

const (
	maxDays   = 3650 // ten years
	maxMonths = 240  // twenty years
)

var clauseID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.\-]{0,15}$`)

func (c *compiler) clauses(at path, list []fileClause, v *Version) {
	if len(list) == 0 {
		c.fail(at, "is required: the clauses decisions cite, each with an id and a short text")
	}
	if len(list) > maxClauses {
		c.fail(at, "has %d clauses; at most %d are supported", len(list), maxClauses)
		list = list[:maxClauses]
	}
	for i, cl := range list {
		switch {
		case !clauseID.MatchString(cl.ID):
			c.fail(at.with(i, "id"), "%q is not a clause id: letters, digits, dots and dashes, at most 16", cl.ID)
		case v.clauseByID[cl.ID] != 0:
			c.fail(at.with(i, "id"), "clause %q is listed twice", cl.ID)
		default:
			v.Clauses = append(v.Clauses, Clause{ID: cl.ID, Text: strings.TrimSpace(cl.Text)})
			v.clauseByID[cl.ID] = clauseRef(len(v.Clauses))
		}
		if strings.TrimSpace(cl.Text) == "" {
			c.fail(at.with(i, "text"), "is required: what clause %q says, in a sentence", cl.ID)
		}
	}
}

func (c *compiler) clauseRef(at path, id string, v *Version) clauseRef {
	if id == "" {
		c.fail(at, "is required: the id of a clause in this version's clauses")
		return 0
	}
	r, ok := v.clauseByID[id]
	if !ok {
		c.fail(at, "clause %q is not in this version's clauses", id)
	}
	return r
}

var categoryKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

func (c *compiler) categoryList(at path, list []fileCategory, v *Version) {
	if len(list) == 0 {
		c.fail(at, "is required: at least one product category")
	}
	for i, f := range list {
		p := at.with(i)
		if !categoryKey.MatchString(f.Key) {
			c.fail(p.with("key"), "%q is not a category key: lower-case letters, digits and _", f.Key)
			continue
		}
		if v.categories[f.Key] != nil {
			c.fail(p.with("key"), "category %q is listed twice", f.Key)
			continue
		}
		cat := &Category{Key: f.Key, Name: f.Name, Noun: f.Noun, Note: f.Note, WarrantyMonths: f.WarrantyMonths,
			PaidRepair: f.WarrantyMonths > 0, Returnable: true}
		if cat.Name == "" {
			cat.Name = f.Key
		}
		if cat.Noun == "" {
			cat.Noun = strings.ReplaceAll(f.Key, "_", " ")
		}
		if f.WarrantyMonths < 0 || f.WarrantyMonths > maxMonths {
			c.fail(p.with("warranty_months"), "%d is out of range 0 to %d", f.WarrantyMonths, maxMonths)
		}
		if f.PaidRepair != nil {
			cat.PaidRepair = *f.PaidRepair
		}
		if f.Returnable != nil {
			cat.Returnable = *f.Returnable
		}
		for j, id := range f.Clauses {
			cat.Clauses = append(cat.Clauses, c.clauseRef(p.with("clauses", j), id, v))
		}
		v.Categories = append(v.Categories, cat)
		v.categories[f.Key] = cat
	}
}

func (c *compiler) number(at path, n *int, lo, hi int) int {
	if n == nil {
		c.fail(at, "is required")
		return 0
	}
	if *n < lo || *n > hi {
		c.fail(at, "%d is out of range %d to %d", *n, lo, hi)
	}
	return *n
}

func (c *compiler) window(at path, f fileWindow, v *Version) Window {
	return Window{Days: c.number(at.with("days"), f.Days, 0, maxDays), Clause: c.clauseRef(at.with("clause"), f.Clause, v)}
}

func (c *compiler) exclusionMap(at path, m map[string]string, v *Version) {
	for _, name := range exclusionCauses {
		id, ok := m[name]
		if !ok {
			c.fail(at.with(name), "is required: the clause that excludes this cause")
			continue
		}
		cause, _ := indexOf(causeNames, name)
		v.exclusions[cause] = c.clauseRef(at.with(name), id, v)
	}
	for name := range m {
		if !slices.Contains(exclusionCauses, name) {
			c.fail(at.with(name), "%q is not a cause; the causes are %s", name, strings.Join(exclusionCauses, ", "))
		}
	}
}

func (c *compiler) shipping(at path, f fileShipping, v *Version) Shipping {
	s := Shipping{Clause: c.clauseRef(at.with("clause"), f.Clause, v)}
	switch f.PaidBy {
	case "seller":
		s.PaidBy = PaidBySeller
	case "customer":
		s.PaidBy = PaidByCustomer
	default:
		c.fail(at.with("paid_by"), "%q is not seller or customer", f.PaidBy)
	}
	return s
}

func (c *compiler) productList(at path, list []fileProduct, v *Version) {
	for i, f := range list {
		p := at.with(i)
		if strings.TrimSpace(f.SKU) == "" {
			c.fail(p.with("sku"), "is required")
			continue
		}
		if v.products[f.SKU] != nil {
			c.fail(p.with("sku"), "product %q is listed twice", f.SKU)
			continue
		}
		cat, ok := v.categories[f.Category]
		if !ok {
			c.fail(p.with("category"), "%q is not a category of this version", f.Category)
			continue
		}
		prod := &Product{SKU: f.SKU, Name: f.Name, Category: cat, PaidRepair: cat.PaidRepair}
		if f.WarrantyMonths != nil {
			prod.HasTerm = true
			prod.WarrantyMonths = c.number(p.with("warranty_months"), f.WarrantyMonths, 0, maxMonths)
			prod.PaidRepair = prod.WarrantyMonths > 0
		}
		if f.PaidRepair != nil {
			prod.PaidRepair = *f.PaidRepair
		}
		v.products[f.SKU] = prod
	}
}

func (c *compiler) contractList(at path, list []fileContract, v *Version) {
	days := func(p path, n *int, policy Window) Window {
		if n == nil {
			return policy
		}
		return Window{Days: c.number(p, n, 0, maxDays), Clause: policy.Clause}
	}
	for i, f := range list {
		p := at.with(i)
		if strings.TrimSpace(f.Code) == "" {
			c.fail(p.with("code"), "is required")
			continue
		}
		if v.contracts[f.Code] != nil {
			c.fail(p.with("code"), "distributor %q is listed twice", f.Code)
			continue
		}
		v.contracts[f.Code] = &Contract{Code: f.Code, Name: f.Name,
			Return:           days(p.with("return_days"), f.ReturnDays, v.Return),
			Replacement:      days(p.with("replacement_days"), f.ReplacementDays, v.Replacement),
			MissingParts:     days(p.with("missing_parts_days"), f.MissingPartsDays, v.MissingParts),
			DamagedOnArrival: days(p.with("damaged_on_arrival_days"), f.DamagedOnArrivalDays, v.DamagedOnArrival),
		}
	}
}
