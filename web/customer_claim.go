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

// custClaimView is a claim's page for its customer, its distributor's users
// and the staff who may see it (the workflow says who; anyone else gets
// 404): where it stands and what comes next, each line's decision, the
// evidence, the thread, and the customer's own steps.
type custClaimView struct {
	Page
	Claim    aftersale.Claim
	Lines    []custLine
	Evidence []aftersale.Evidence
	Messages []aftersale.Message
	Question string // the last question asked, while the claim awaits the customer
	PaidBy   string // who pays the shipping: seller, customer, ""
	// Link is the secret link, shown once, right after the claim opened.
	Link    string
	Refused []custRefusal
	Errors  custErrors
	Reply   string // a refused reply, kept
	Answer  string // a refused answer, kept
	now     time.Time
}

// custLine is a claim's line with its product's name.
type custLine struct {
	aftersale.ClaimLine
	Product string
	Clauses []clauseView // the decision's clauses with their texts (staff_claim.go)
}

// Customer reports whether the reader is the claim's customer.
func (v custClaimView) Customer() bool { return v.Actor.Role == aftersale.RoleCustomer }

// Awaiting reports whether the claim waits for the reader's answer.
func (v custClaimView) Awaiting() bool { return v.Claim.Status == aftersale.StatusAwaitingCustomer }

// QuoteOpen reports whether a quote waits for acceptance.
func (v custClaimView) QuoteOpen() bool {
	return v.Claim.Status == aftersale.StatusQuoteSent && v.Claim.Quote != nil
}

// MayAct reports whether the reader takes the customer's steps: the
// customer, or the claim's distributor on the customer's behalf.
func (v custClaimView) MayAct() bool {
	return v.Actor.Can(aftersale.RespondClaims) || v.Actor.Can(aftersale.OpenClaims)
}

// Expired reports whether the claim waited in vain for its customer to
// confirm the e-mail address.
func (v custClaimView) Expired() bool { return v.Claim.ConfirmationExpired(v.now) }

// Path is the claim page's address.
func (v custClaimView) ClaimPath() string { return "/claims/" + url.PathEscape(v.Claim.Number) }

// custLoadClaim reads what the claim's page shows, as the reader may see it.
func (s *Server) custLoadClaim(r *http.Request, titleID string) (custClaimView, error) {
	v := custClaimView{Page: s.page(r, "claim", titleID), Errors: custErrors{}, now: s.Now()}
	number := r.PathValue("number")
	c, err := s.Claims.Get(r.Context(), v.Actor, number)
	if err != nil {
		return v, err
	}
	v.Claim, v.PaidBy = c, workflow.DefaultPaidBy(c)
	v.Title = v.L.T(titleID, "Number", c.Number)
	for _, l := range c.Lines {
		lv := custLine{ClaimLine: l, Product: l.SKU, Clauses: s.clauses(l.Decision, v.L.Code)}
		if p, err := s.Service.Registry.Product(r.Context(), l.SKU); err == nil {
			lv.Product = p.Name
		}
		v.Lines = append(v.Lines, lv)
	}
	return v, nil
}

// custClaimPage shows the claim; right after it opened, once, its secret link
// and any file that was refused.
func (s *Server) custClaimPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.custLoadClaim(r, "customer.claim_title")
	if err != nil {
		return err
	}
	f := custTakeFlash(w, r, v.Claim.Number)
	v.Link, v.Refused = f.Link, f.Refused
	if err := s.custLoadThread(r, &v); err != nil {
		return err
	}
	if n := r.URL.Query().Get("done"); n != "" {
		v.Notice = v.L.TOr("customer.done."+n, "")
	}
	return s.render(w, r, http.StatusOK, "customer_claim.html", v)
}

// custLoadThread adds the evidence, the messages and the open question.
func (s *Server) custLoadThread(r *http.Request, v *custClaimView) error {
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

// custMessage posts a reply to the thread.
func (s *Server) custMessage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.custLoadClaim(r, "customer.claim_title")
	if err != nil {
		return err
	}
	v.Reply = r.PostFormValue("body")
	_, err = s.Evidence.PostMessage(r.Context(), v.Actor, v.Claim.Number, v.Reply, false)
	if aftersale.KindOf(err) == aftersale.Invalid {
		v.Errors["body"] = v.L.T("customer.err.message")
		return s.custRenderClaim(w, r, v)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, v.ClaimPath()+"?done=message#messages")
}

// custAnswer answers the staff's question (provide_info).
func (s *Server) custAnswer(w http.ResponseWriter, r *http.Request) error {
	v, err := s.custLoadClaim(r, "customer.claim_title")
	if err != nil {
		return err
	}
	v.Answer = strings.TrimSpace(r.PostFormValue("answer"))
	if v.Answer == "" {
		v.Errors["answer"] = v.L.T("customer.err.answer")
		return s.custRenderClaim(w, r, v)
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if _, err := s.Claims.Act(r.Context(), v.Actor, v.Claim.Number, workflow.ActInput{
		Action: aftersale.ActionProvideInfo, Version: version, Note: v.Answer}); err != nil {
		return err
	}
	return redirect(w, r, v.ClaimPath()+"?done=answer")
}

// custQuote accepts or declines the quote.
func (s *Server) custQuote(w http.ResponseWriter, r *http.Request) error {
	v, err := s.custLoadClaim(r, "customer.claim_title")
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

// custEvidence adds files to the claim, streamed; refused ones are named
// on the page it redirects to.
func (s *Server) custEvidence(w http.ResponseWriter, r *http.Request) error {
	v, err := s.custLoadClaim(r, "customer.claim_title")
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, custMaxBody)
	mr, err := r.MultipartReader()
	if err != nil {
		return aftersale.Errorf(aftersale.Invalid, "send the files as a multipart form")
	}
	_, part, err := custReadFields(mr)
	if err != nil {
		custDrain(r)
		return aftersale.Errorf(aftersale.Invalid, "the form could not be read")
	}
	refusedFiles, sent := s.custStoreFiles(r, v.Actor, v.Claim.Number, part, mr)
	if sent == 0 {
		v.Errors["files"] = v.L.T("customer.err.files")
		return s.custRenderClaim(w, r, v)
	}
	custSetFlash(w, v.Claim.Number, custFlash{Refused: refusedFiles})
	return redirect(w, r, v.ClaimPath()+"?done=evidence#evidence")
}

// custRenderClaim shows the claim's page again with a refused form's errors.
func (s *Server) custRenderClaim(w http.ResponseWriter, r *http.Request, v custClaimView) error {
	if err := s.custLoadThread(r, &v); err != nil {
		return err
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "customer_claim.html", v)
}

// custSlipView is the printable RMA slip.
type custSlipView struct {
	custClaimView
	ReturnAddress []string
}

// custSlip is the RMA slip to print and put in the parcel.
func (s *Server) custSlip(w http.ResponseWriter, r *http.Request) error {
	v, err := s.custLoadClaim(r, "customer.slip_title")
	if err != nil {
		return err
	}
	sv := custSlipView{custClaimView: v}
	for _, part := range strings.Split(s.ReturnAddress, ",") {
		if part = strings.TrimSpace(part); part != "" {
			sv.ReturnAddress = append(sv.ReturnAddress, part)
		}
	}
	return s.render(w, r, http.StatusOK, "customer_slip.html", sv)
}

// custFlash is what the claim's page shows once, after a redirect: the new
// claim's link, the files refused. It travels in a short-lived cookie of
// the claim's path, as secret as the claim cookie itself.
type custFlash struct {
	Link    string        `json:"l,omitempty"`
	Refused []custRefusal `json:"f,omitempty"`
}

const custFlashCookie = "aftersale_flash"

func custSetFlash(w http.ResponseWriter, number string, f custFlash) {
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
	http.SetCookie(w, &http.Cookie{Name: custFlashCookie, Value: base64.RawURLEncoding.EncodeToString(b),
		Path: "/claims/" + number, MaxAge: 600, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

// custTakeFlash reads the claim's custFlash and clears it.
func custTakeFlash(w http.ResponseWriter, r *http.Request, number string) custFlash {
	var f custFlash
	c, err := r.Cookie(custFlashCookie)
	if err != nil {
		return f
	}
	http.SetCookie(w, &http.Cookie{Name: custFlashCookie, Path: "/claims/" + number, MaxAge: -1,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err == nil {
		_ = json.Unmarshal(b, &f)
	}
	return f
}
