package web

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/workflow"
)

// claimView is a claim's page for its customer, its distributor's users
// and the staff who may see it (the workflow says who; anyone else gets
// 404): where it stands and what comes next, each line's decision, the
// evidence, the thread, and the customer's own steps.
type claimView struct {
	Page
	Claim    aftersale.Claim
	Lines    []claimLineView
	Evidence []aftersale.Evidence
	Messages []aftersale.Message
	Question string // the last question asked, while the claim awaits the customer
	PaidBy   string // who pays the shipping: seller, customer, ""
	// Link is the secret link, shown once, right after the claim opened.
	Link    string
	Refused []fileRefusal
	Errors  fieldErrors
	Reply   string // a refused reply, kept
	Answer  string // a refused answer, kept
	now     time.Time
}

// claimLineView is a claim's line with its product's name.
type claimLineView struct {
	aftersale.ClaimLine
	Product string
	Clauses []clauseView // the decision's clauses with their texts (staff_claim.go)
}

// Customer reports whether the reader is the claim's customer.
func (v claimView) Customer() bool { return v.Actor.Role == aftersale.RoleCustomer }

// Awaiting reports whether the claim waits for the reader's answer.
func (v claimView) Awaiting() bool { return v.Claim.Status == aftersale.StatusAwaitingCustomer }

// QuoteOpen reports whether a quote waits for acceptance.
func (v claimView) QuoteOpen() bool {
	return v.Claim.Status == aftersale.StatusQuoteSent && v.Claim.Quote != nil
}

// MayAct reports whether the reader takes the customer's steps: the
// customer, or the claim's distributor on the customer's behalf.
func (v claimView) MayAct() bool {
	return v.Actor.Can(aftersale.RespondClaims) || v.Actor.Can(aftersale.OpenClaims)
}

// Expired reports whether the claim waited in vain for its customer to
// confirm the e-mail address.
func (v claimView) Expired() bool { return v.Claim.ConfirmationExpired(v.now) }

// Path is the claim page's address.
func (v claimView) ClaimPath() string { return "/claims/" + url.PathEscape(v.Claim.Number) }

// loadClaimView reads what the claim's page shows, as the reader may see it.
func (s *Server) loadClaimView(r *http.Request, titleID string) (claimView, error) {
	v := claimView{Page: s.page(r, "claim", titleID), Errors: fieldErrors{}, now: s.Now()}
	number := r.PathValue("number")
	c, err := s.Claims.Get(r.Context(), v.Actor, number)
	if err != nil {
		return v, err
	}
	v.Claim, v.PaidBy = c, workflow.DefaultPaidBy(c)
	v.Title = v.L.T(titleID, "Number", c.Number)
	for _, l := range c.Lines {
		lv := claimLineView{ClaimLine: l, Product: l.SKU, Clauses: s.clauses(l.Decision, v.L.Code)}
		if p, err := s.Service.Registry.Product(r.Context(), l.SKU); err == nil {
			lv.Product = p.Name
		}
		v.Lines = append(v.Lines, lv)
	}
	return v, nil
}

// customerClaimPage shows the claim; right after it opened, once, its secret link
// and any file that was refused.
func (s *Server) customerClaimPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadClaimView(r, "customer.claim_title")
	if err != nil {
		return err
	}
	f := takeFlash(w, r, v.Claim.Number)
	v.Link, v.Refused = f.Link, f.Refused
	if err := s.loadThread(r, &v); err != nil {
		return err
	}
	if n := r.URL.Query().Get("done"); n != "" {
		v.Notice = v.L.TOr("customer.done."+n, "")
	}
	return s.render(w, r, http.StatusOK, "customer_claim.html", v)
}

// loadThread adds the evidence, the messages and the open question.
func (s *Server) loadThread(r *http.Request, v *claimView) error {
	var err error
	if v.Evidence, err = s.Evidence.ListEvidence(r.Context(), v.Actor, v.Claim.Number); err != nil {
		return err
	}
	if v.Messages, err = s.Evidence.Messages(r.Context(), v.Actor, v.Claim.Number); err != nil {
		return err
	}
	if !v.Awaiting() {
		return nil
	}
	events, err := s.Claims.History(r.Context(), v.Actor, v.Claim.Number)
	if err != nil {
		return err
	}
	for _, e := range events {
		if e.Kind == string(aftersale.ActionRequestInfo) {
			v.Question = e.Detail
		}
	}
	return nil
}

// postCustomerMessage posts a reply to the thread.
func (s *Server) postCustomerMessage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadClaimView(r, "customer.claim_title")
	if err != nil {
		return err
	}
	v.Reply = r.PostFormValue("body")
	_, err = s.Evidence.PostMessage(r.Context(), v.Actor, v.Claim.Number, v.Reply, false)
	if aftersale.KindOf(err) == aftersale.Invalid {
		v.Errors["body"] = v.L.T("customer.err.message")
		return s.renderClaimView(w, r, v)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, v.ClaimPath()+"?done=message#messages")
}

// postCustomerAnswer answers the staff's question (provide_info).
func (s *Server) postCustomerAnswer(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadClaimView(r, "customer.claim_title")
	if err != nil {
		return err
	}
	v.Answer = strings.TrimSpace(r.PostFormValue("answer"))
	if v.Answer == "" {
		v.Errors["answer"] = v.L.T("customer.err.answer")
		return s.renderClaimView(w, r, v)
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if _, err := s.Claims.Act(r.Context(), v.Actor, v.Claim.Number, workflow.ActInput{
		Action: aftersale.ActionProvideInfo, Version: version, Note: v.Answer}); err != nil {
		return err
	}
	return redirect(w, r, v.ClaimPath()+"?done=answer")
}

// answerQuote accepts or declines the quote.
func (s *Server) answerQuote(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadClaimView(r, "customer.claim_title")
	if err != nil {
		return err
	}
	action, done := aftersale.ActionAcceptQuote, "accepted"
	switch r.PostFormValue("decision") {
	case "accept":
	case "decline":
		action, done = aftersale.ActionDeclineQuote, "declined"
	default:
		return aftersale.Errorf(aftersale.Invalid, "accept or decline the quote")
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if _, err := s.Claims.Act(r.Context(), v.Actor, v.Claim.Number, workflow.ActInput{Action: action, Version: version}); err != nil {
		return err
	}
	return redirect(w, r, v.ClaimPath()+"?done="+done)
}

// postCustomerEvidence adds files to the claim, streamed; refused ones are named
// on the page it redirects to.
func (s *Server) postCustomerEvidence(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadClaimView(r, "customer.claim_title")
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	mr, err := r.MultipartReader()
	if err != nil {
		return aftersale.Errorf(aftersale.Invalid, "send the files as a multipart form")
	}
	_, part, err := readFormFields(mr)
	if err != nil {
		drainBody(r)
		return aftersale.Errorf(aftersale.Invalid, "the form could not be read")
	}
	refusedFiles, sent := s.storeFiles(r, v.Actor, v.Claim.Number, part, mr)
	if sent == 0 {
		v.Errors["files"] = v.L.T("customer.err.files")
		return s.renderClaimView(w, r, v)
	}
	setFlash(w, v.Claim.Number, flash{Refused: refusedFiles})
	return redirect(w, r, v.ClaimPath()+"?done=evidence#evidence")
}

// renderClaimView shows the claim's page again with a refused form's errors.
func (s *Server) renderClaimView(w http.ResponseWriter, r *http.Request, v claimView) error {
	if err := s.loadThread(r, &v); err != nil {
		return err
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "customer_claim.html", v)
}

// slipView is the printable RMA slip.
type slipView struct {
	claimView
	ReturnAddress []string
}

// rmaSlip is the RMA slip to print and put in the parcel.
func (s *Server) rmaSlip(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadClaimView(r, "customer.slip_title")
	if err != nil {
		return err
	}
	sv := slipView{claimView: v}
	for _, part := range strings.Split(s.ReturnAddress, ",") {
		if part = strings.TrimSpace(part); part != "" {
			sv.ReturnAddress = append(sv.ReturnAddress, part)
		}
	}
	return s.render(w, r, http.StatusOK, "customer_slip.html", sv)
}

// flash is what the claim's page shows once, after a redirect: the new
// claim's link, the files refused. It travels in a short-lived cookie of
// the claim's path, as secret as the claim cookie itself.
type flash struct {
	Link    string        `json:"l,omitempty"`
	Refused []fileRefusal `json:"f,omitempty"`
}

const flashCookie = "aftersale_flash"

func setFlash(w http.ResponseWriter, number string, f flash) {
	if f.Link == "" && len(f.Refused) == 0 {
		return
	}
	for len(f.Refused) > 10 { // a cookie holds 4 kB
		f.Refused = f.Refused[:10]
	}
	for i := range f.Refused {
		if len(f.Refused[i].Name) > 80 {
			f.Refused[i].Name = f.Refused[i].Name[:80] + "…"
		}
	}
	b, err := json.Marshal(f)
	if err != nil {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString(b),
		Path: "/claims/" + number, MaxAge: 600, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

// takeFlash reads the claim's flash and clears it.
func takeFlash(w http.ResponseWriter, r *http.Request, number string) flash {
	var f flash
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return f
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/claims/" + number, MaxAge: -1,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err == nil {
		_ = json.Unmarshal(b, &f)
	}
	return f
}
