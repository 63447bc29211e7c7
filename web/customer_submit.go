package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/workflow"
)

// A claim's form is multipart, read as it streams (r.MultipartReader):
// its text fields come first, its files last (the form lists them last,
// and browsers send fields in the form's order). The claim is opened when
// the first file arrives (a proof of purchase names the claim's proof
// document), and each file then streams straight to the evidence store.
//
// A refused form opens nothing. A file refused after the claim was opened
// (not a photo, video or PDF; too large) leaves the claim as it is: the
// claim's page says which file was refused and why, and offers the form to
// add it again. Nothing is half-made: a refused file leaves no blob.

const (
	maxFormBody   = 4*workflow.MaxUploadSize + 1<<20 // the whole request
	maxFormField  = 64 << 10                         // one text field
	maxFormFields = 400
	maxFormFiles  = 20 // files in one post
)

// isFilePart reports whether a part is one of the form's file inputs (sent
// even when no file was chosen, with an empty name).
func isFilePart(p *multipart.Part) bool {
	return p.FormName() == "files" || p.FormName() == "proof" || p.FileName() != ""
}

// readFormFields reads the text fields up to the first file input, which it
// returns unread (nil when the form had none).
func readFormFields(mr *multipart.Reader) (url.Values, *multipart.Part, error) {
	form := url.Values{}
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return form, nil, nil
		}
		if err != nil {
			return form, nil, err
		}
		if isFilePart(part) {
			return form, part, nil
		}
		if n >= maxFormFields {
			return form, nil, errors.New("too many fields")
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFormField+1))
		if err != nil {
			return form, nil, err
		}
		if len(b) > maxFormField {
			return form, nil, errors.New("a field is too long")
		}
		form.Add(part.FormName(), string(b))
	}
}

// fileRefusal is a file that was not kept: its name and the message id of why.
type fileRefusal struct {
	Name   string `json:"n"`
	Reason string `json:"r"`
}

// storeFiles streams part and every file after it to the claim's
// evidence as actor, and returns the files refused.
func (s *Server) storeFiles(r *http.Request, actor aftersale.Actor, number string, part *multipart.Part, mr *multipart.Reader) (out []fileRefusal, sent int) {
	ctx := r.Context()
	for n := 0; part != nil; {
		if isFilePart(part) && part.FileName() != "" {
			name := aftersale.CleanFileName(part.FileName())
			sent++
			if n++; n > maxFormFiles {
				out = append(out, fileRefusal{name, "customer.file.too_many"})
			} else {
				body, count := s.anonymousUploadQuota(r, actor, part)
				e, err := s.Evidence.AddEvidence(ctx, actor, number, part.FileName(), body)
				if err != nil {
					out = append(out, fileRefusal{name, s.fileRefusalReason(ctx, err)})
				}
				count(e.Size)
			}
		}
		next, err := mr.NextPart()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				out = append(out, fileRefusal{"", s.fileRefusalReason(ctx, err)})
			}
			break
		}
		part = next
	}
	return out, sent
}

// fileRefusalReason is the message id that says why a file was refused.
func (s *Server) fileRefusalReason(ctx context.Context, err error) string {
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, errDailyUploads):
		return "customer.file.quota"
	case errors.Is(err, workflow.ErrClaimFull):
		return "customer.file.claim_full"
	case errors.Is(err, workflow.ErrUnsupportedType):
		return "customer.file.type"
	case errors.Is(err, workflow.ErrTooLarge), errors.As(err, &tooBig):
		return "customer.file.too_large"
	case aftersale.KindOf(err) == aftersale.Invalid:
		return "customer.file.empty"
	}
	if !errors.Is(err, context.Canceled) {
		s.Log.ErrorContext(ctx, "store evidence", "err", err)
	}
	return "customer.file.failed"
}

// drainBody reads what is left of a refused request's body (within its
// limit), so that the browser gets the answer instead of a reset.
func drainBody(r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
}

// submitClaim reads the claim's form, opens the claim, stores its files
// and sends the reader to the claim's page.
func (s *Server) submitClaim(w http.ResponseWriter, r *http.Request, p claimFormPage) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	mr, err := r.MultipartReader()
	if err != nil {
		return aftersale.Errorf(aftersale.Invalid, "the form could not be read")
	}
	form, part, err := readFormFields(mr)
	if err != nil {
		drainBody(r)
		return aftersale.Errorf(aftersale.Invalid, "the form could not be read")
	}
	in := p.fill(form)
	if part != nil && part.FormName() == "proof" && part.FileName() != "" && p.Elsewhere {
		in.Lines[0].ProofDocument = aftersale.CleanFileName(part.FileName())
	}
	var opened workflow.Opened
	status := http.StatusUnprocessableEntity
	if len(p.Errors) == 0 {
		if retry := s.anonymousClaimWait(r, &p); retry > 0 {
			status = http.StatusTooManyRequests
			w.Header().Set("Retry-After", retryAfterSeconds(retry))
		} else if opened, err = s.openClaimFor(r, p, in); err != nil {
			if err := s.showRefusal(r, &p, err); err != nil {
				return err
			}
		}
	}
	if len(p.Errors) > 0 {
		p.FilesAgain = fileChosen(part, mr)
		drainBody(r)
		if p.Elsewhere {
			if err := s.listDistributors(r, &p); err != nil {
				return err
			}
		}
		if p.Step == 2 && !p.Elsewhere {
			if err := s.relistArticles(r, &p, form["item"]); err != nil {
				return err
			}
		}
		return s.render(w, r, status, "customer_new.html", p)
	}
	number := opened.Claim.Number
	if opened.CustomerLink == "" { // a second submit of the same form
		drainBody(r)
		p.Already = number
		return s.render(w, r, http.StatusOK, "customer_new.html", p)
	}
	s.countAnonymousClaim(r, &p)
	actor := p.Actor
	if !p.ForDistributor {
		actor = aftersale.CustomerOf(opened.Claim)
		if u, err := url.Parse(opened.CustomerLink); err == nil {
			http.SetCookie(w, &http.Cookie{Name: auth.ClaimCookie, Value: u.Query().Get(auth.AccessParam), Path: "/",
				MaxAge: int(aftersale.ClaimLinkLifetime.Seconds()), Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
		}
	}
	refusedFiles, _ := s.storeFiles(r, actor, number, part, mr)
	setFlash(w, number, flash{Link: opened.CustomerLink, Refused: refusedFiles})
	return redirect(w, r, "/claims/"+url.PathEscape(number))
}

// openClaimFor opens the claim as the form's applicant: a buyer, or the
// signed-in distributor's user.
func (s *Server) openClaimFor(r *http.Request, p claimFormPage, in workflow.OpenClaimInput) (workflow.Opened, error) {
	if p.ForDistributor {
		return s.Claims.Open(r.Context(), p.Actor, in, p.Key)
	}
	return s.Claims.OpenAsBuyer(r.Context(), in, p.Key)
}

// showRefusal puts the workflow's refusal next to its field; a refused
// ownership check goes back to the first step, and counts.
func (s *Server) showRefusal(r *http.Request, p *claimFormPage, err error) error {
	switch {
	case errors.Is(err, workflow.ErrNotBuyers):
		s.countFailedProof(r)
		field := "order"
		if p.Elsewhere {
			field = "serial"
		} else {
			p.Step = 1
		}
		p.Errors[field] = p.L.T("customer.err.not_found", "Number", firstNonEmpty(p.Serial, p.Order))
	case aftersale.KindOf(err) == aftersale.Invalid:
		p.Errors[formFieldOf(err, p.Elsewhere)] = s.fieldMessage(p.L, err)
	case aftersale.KindOf(err) == aftersale.Forbidden && p.ForDistributor:
		p.Step = 1
		p.Errors["order"] = p.L.T("customer.err.not_found", "Number", p.Order)
	default:
		return err
	}
	return nil
}

// relistArticles lists the order's articles again for a refused second step,
// with the reader's choices ticked.
func (s *Server) relistArticles(r *http.Request, p *claimFormPage, chosen []string) error {
	keep := p.Errors
	p.Errors = fieldErrors{}
	if err := s.findArticles(r, p); err != nil {
		return err
	}
	if len(p.Errors) > 0 { // the order is no longer his: back to the start
		p.Step = 1
		return nil
	}
	p.Errors = keep
	for i := range p.Articles {
		for _, c := range chosen {
			if p.Articles[i].Value == c {
				p.Articles[i].Checked = true
			}
		}
	}
	return nil
}

// fill keeps the form's values in p and returns the claim they describe,
// noting in p.Errors what the web checks itself (the dates' format).
func (p *claimFormPage) fill(form url.Values) workflow.OpenClaimInput {
	get := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	p.Step, p.Key = 2, get("key")
	p.Elsewhere = get("mode") == "elsewhere"
	p.Order, p.Email, p.Request, p.Description = get("order"), get("email"), get("request"), form.Get("description")
	p.Unreachable = get("unreachable") != ""
	p.SKU, p.Serial, p.PurchasedOn, p.DeliveredOn = get("sku"), get("serial"), get("purchased_on"), get("delivered_on")
	in := workflow.OpenClaimInput{Request: p.Request, Description: p.Description, CustomerEmail: p.Email,
		DistributorUnreachable: p.Unreachable}
	if !p.Elsewhere {
		for _, v := range form["item"] {
			parts := append(strings.SplitN(v, "|", 3), "", "")
			n, err := strconv.Atoi(parts[0])
			if err != nil {
				continue
			}
			in.Lines = append(in.Lines, workflow.OpenLine{OrderNumber: p.Order, OrderLine: n, SKU: parts[1], Serial: parts[2]})
		}
		return in
	}
	l := workflow.OpenLine{SKU: p.SKU, Serial: p.Serial}
	var err error
	if l.PurchasedOn, err = date.Parse(p.PurchasedOn); err != nil {
		p.Errors["purchased_on"] = p.L.T("customer.err.purchased_on")
	}
	if p.DeliveredOn != "" {
		if l.DeliveredOn, err = date.Parse(p.DeliveredOn); err != nil {
			p.Errors["delivered_on"] = p.L.T("customer.err.delivered_on")
		}
	}
	if p.SKU == "" {
		p.Errors["sku"] = p.L.T("customer.err.sku_required")
	}
	l.Price = p.fillPrice(get("price"), strings.ToUpper(get("currency")))
	p.BoughtFrom = get("bought_from")
	if from, ok := workflow.BoughtFromChannel(p.BoughtFrom); ok {
		l.BoughtFrom = from
	} else {
		p.Errors["bought_from"] = p.L.T("customer.err.bought_from")
	}
	if p.BoughtFrom == workflow.BoughtFromDistributor {
		// The list always sends a choice; it counts only for a distributor.
		p.DistributorCode, l.DistributorCode = get("distributor_code"), get("distributor_code")
		if p.DistributorCode == "" {
			p.Errors["distributor_code"] = p.L.T("customer.err.distributor_code")
		}
	}
	in.Lines = []workflow.OpenLine{l}
	return in
}

// fillPrice keeps the optional price of a purchase made elsewhere, in
// major units (9.90) of currency, and returns it; nil when both are left
// empty or either is wrong (noted in p.Errors).
func (p *claimFormPage) fillPrice(price, currency string) *aftersale.Money {
	p.Price, p.Currency = price, currency
	switch {
	case price == "" && currency == "":
		return nil
	case !aftersale.ValidCurrency(currency):
		p.Errors["currency"] = p.L.T("customer.err.currency")
		return nil
	}
	m, err := parseMoney(price, currency)
	if err != nil || m.Minor <= 0 {
		p.Errors["price"] = p.L.T("customer.err.price")
		return nil
	}
	return &m
}

// formFieldOf is the form's field a workflow error is about.
func formFieldOf(err error, elsewhere bool) string {
	var ae *aftersale.Error
	if !errors.As(err, &ae) {
		return "form"
	}
	f := ae.Field
	switch {
	case f == "customer_email":
		return "email"
	case f == "request", f == "description":
		return f
	case f == "order_number":
		return "order"
	case strings.HasSuffix(f, ".proof_document"):
		return "proof"
	}
	if _, name, ok := strings.Cut(f, "]."); ok && elsewhere && slices.Contains(elsewhereFields, name) {
		return name
	}
	if strings.HasPrefix(f, "lines") {
		return "items"
	}
	return "form"
}

// elsewhereFields are the fields of the form's purchase made elsewhere that
// a workflow error names by the same name, as lines[0].<name>.
var elsewhereFields = []string{"sku", "purchased_on", "delivered_on", "price", "currency", "bought_from", "distributor_code"}

// fieldMessage says in the reader's language what is wrong with a field.
func (s *Server) fieldMessage(l *Locale, err error) string {
	var ae *aftersale.Error
	errors.As(err, &ae)
	switch formFieldOf(err, true) {
	case "email":
		if strings.Contains(ae.Message, "required") {
			return l.T("customer.err.email_required")
		}
		return l.T("customer.err.email_invalid")
	case "request":
		return l.T("customer.err.request")
	case "description":
		return l.T("customer.err.description_long")
	case "order":
		return l.T("customer.err.order_required")
	case "proof":
		return l.T("customer.err.proof")
	case "sku":
		return l.T("customer.err.sku_unknown")
	case "purchased_on":
		return l.T("customer.err.purchased_future")
	case "delivered_on":
		if strings.Contains(ae.Message, "before") {
			return l.T("customer.err.delivered_before")
		}
		return l.T("customer.err.delivered_future")
	case "price", "currency", "bought_from", "distributor_code":
		return l.T("customer.err." + formFieldOf(err, true))
	case "items":
		if ae.Field == "lines" {
			return l.T("customer.err.items")
		}
		return l.T("customer.err.article")
	}
	return l.T("error.invalid")
}

func newIdempotencyKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func itoa(n int) string { return strconv.Itoa(n) }

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// fileChosen reports whether part or a part after it carries a chosen file
// (a file input left empty still sends a part, with no file name), reading
// the parts on to find out.
func fileChosen(part *multipart.Part, mr *multipart.Reader) bool {
	for part != nil {
		if isFilePart(part) && part.FileName() != "" {
			return true
		}
		next, err := mr.NextPart()
		if err != nil {
			return false
		}
		part = next
	}
	return false
}
