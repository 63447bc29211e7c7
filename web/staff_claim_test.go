package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/workflow"
)

// The claim page shows the facts, each line's decision with its clauses'
// texts, the warnings, the history, and exactly the steps the reader's
// role may take in the claim's status.
func TestStaffClaimPage(t *testing.T) {
	e := newEnv(t)
	fresh := e.openClaim("agent", "", "defect", "SV-30")
	twin := e.openClaim("agent", "", "defect", "SV-30")
	expired := e.openClaim("agent", "", "defect", "SV-40")
	e.act("agent", expired, workflow.ActInput{Action: aftersale.ActionStartReview})
	returning := e.openClaim("agent", "", "defect", "SV-1")
	e.act("agent", returning, workflow.ActInput{Action: aftersale.ActionStartReview},
		workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_repair"},
		workflow.ActInput{Action: aftersale.ActionAwaitReturn})
	viaEU := e.openClaim("agent", "", "defect", "SV-20")
	// A free repair approved, then the inspection finds misuse.
	misused := e.openClaim("agent", "", "defect", "SV-9")
	e.act("agent", misused, workflow.ActInput{Action: aftersale.ActionStartReview},
		workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_repair"},
		workflow.ActInput{Action: aftersale.ActionAwaitReturn})
	e.act("inspector", misused, workflow.ActInput{Action: aftersale.ActionReceive},
		workflow.ActInput{Action: aftersale.ActionInspect, Findings: []workflow.Finding{{Line: 1, Cause: "misuse"}}})
	form := actForm
	checkPages200(t, e, []pageWant{
		{name: "facts, decision, clauses, warning, history", user: "agent", path: "/staff/claims/" + fresh, want: []string{
			"Defect", "ann@example.com", "Sold directly", "SERVO-MG · SV-30", "C-1</a> #1", "Eligible", "Free replacement",
			"A defect notified within 7 calendar days", "The same serial is in another open claim", twin,
			"serial SV-30 is also in open claim " + twin, "ann@example.com has filed 6 claims",
			"Claim opened", "It stopped turning.", `name="version" value="1"`}},
		{name: "an agent on a submitted claim", user: "agent", path: "/staff/claims/" + fresh,
			want: []string{form("start_review"), form("request_info")}, lacks: []string{form("approve"), form("receive"), form("refer")}},
		{name: "a distributor's sale may be referred to it", user: "agent", path: "/staff/claims/" + viaEU,
			want: []string{form("refer")}},
		{name: "after misuse an agent may only return it unrepaired", user: "agent", path: "/staff/claims/" + misused,
			want:  []string{form("resolve"), `<option value="returned_unrepaired" selected>`, form("reject")},
			lacks: []string{`value="repaired_shipped"`, `value="replacement_shipped"`, `name="exception_reason"`}},
		{name: "after misuse a manager may settle it as an exception", user: "manager", path: "/staff/claims/" + misused,
			want: []string{form("resolve"), `value="repaired_shipped"`, `value="returned_unrepaired"`, `id="resolve-exception"`,
				"The lines&#39; decisions no longer give the approved remedy", form("send_quote")}},
		{name: "an inspector on a submitted claim sees no step", user: "inspector", path: "/staff/claims/" + fresh,
			want: []string{"Nothing for you to do"}, lacks: []string{`class="stack act"`, "Send to the customer"}},
		{name: "an inspector on an awaited return may only receive it", user: "inspector", path: "/staff/claims/" + returning,
			want: []string{form("receive"), "Add an internal note"}, lacks: []string{form("resolve"), form("await_return"), "Send to the customer"}},
		{name: "an agent may approve only what the policy gives", user: "agent", path: "/staff/claims/" + expired,
			want:  []string{"Not eligible", form("reject"), form("approve"), `<option value="technical_support" selected>`},
			lacks: []string{`value="free_replacement"`, `name="exception_reason"`, form("send_quote")}},
		{name: "a manager may, as an exception with a reason", user: "manager", path: "/staff/claims/" + expired,
			want: []string{form("approve"), "Free replacement (an exception to the policy)", `name="exception_reason"`, form("send_quote"), form("reject")}},
		{name: "the manager's resolve offers to waive the return", user: "manager", path: "/staff/claims/" + returning,
			want: []string{form("receive"), "Add a shipment", "Return to us"}},
		{name: "an agent may not reject what the policy gives", user: "agent", path: "/staff/claims/" + twin,
			lacks: []string{form("reject")}},
		{name: "zh", user: "agent", lang: "zh", path: "/staff/claims/" + fresh, want: []string{"符合条件", "免费更换", "开始审核", "同一序列号出现在另一个未结申请中", "提交申请",
			"序列号 SV-30 也在未结申请 " + twin + " 中", "ann@example.com 已提交 6 次申请"}},
	})
}

type actCase struct {
	name, user, number string
	form               url.Values
	status             int
	want               []string                   // on the answer's page (or the claim page after a redirect)
	check              func(aftersale.Claim) bool // what was stored
}

func runActs(t *testing.T, e *env, path string, tests []actCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := e.browser("en")
			b.login(tt.user)
			if tt.form.Get("version") == "auto" {
				tt.form.Set("version", strconv.Itoa(e.claim(tt.number).Version))
			}
			p := b.post("/staff/claims/"+tt.number+path, tt.form)
			if p.Status != tt.status {
				t.Fatalf("status %d, want %d\n%s", p.Status, tt.status, p.Body)
			}
			if p.Status == 303 {
				if !strings.HasPrefix(p.Location, "/staff/claims/"+tt.number+"?done=") {
					t.Fatalf("redirect to %q", p.Location)
				}
				p = b.get(p.Location)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.Body, w) {
					t.Errorf("page lacks %q\n%s", w, p.Body)
				}
			}
			if tt.check != nil && !tt.check(e.claim(tt.number)) {
				t.Errorf("stored claim: %+v", e.claim(tt.number))
			}
		})
	}
}

func status(s aftersale.Status) func(aftersale.Claim) bool {
	return func(c aftersale.Claim) bool { return c.Status == s }
}

func TestStaffActions(t *testing.T) {
	e := newEnv(t)
	a := e.openClaim("agent", "", "defect", "SV-30")
	x := e.openClaim("agent", "", "defect", "SV-40")
	e.act("agent", x, workflow.ActInput{Action: aftersale.ActionStartReview})
	v := func(kv ...string) url.Values {
		f := url.Values{"version": {"auto"}}
		for i := 0; i+1 < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	runActs(t, e, "/act", []actCase{
		{"a stale version is refused, the fresh page shown", "agent", a, url.Values{"action": {"start_review"}, "version": {"7"}}, 409,
			[]string{"Somebody changed this claim first", `name="version" value="1"`}, status(aftersale.StatusSubmitted)},
		{"asking needs the question", "agent", a, v("action", "request_info", "note", " "), 422,
			[]string{`id="request_info-note-error"`, "Write the question to the customer.", `aria-describedby="request_info-note-error"`}, status(aftersale.StatusSubmitted)},
		{"an inspector may not start a review", "inspector", a, v("action", "start_review"), 403, nil, status(aftersale.StatusSubmitted)},
		{"an agent starts the review", "agent", a, v("action", "start_review", "note", "Looking at it"), 303,
			[]string{"The review has started.", "In review", "Review started", "Looking at it"}, status(aftersale.StatusInReview)},
		{"a step the status does not allow", "agent", a, v("action", "receive"), 409, []string{"not possible any more"}, status(aftersale.StatusInReview)},
		{"an agent cannot grant an exception", "agent", x, v("action", "approve", "remedy", "free_replacement"), 403,
			[]string{"only a manager may grant it"}, status(aftersale.StatusInReview)},
		{"a manager's exception needs a reason", "manager", x, v("action", "approve", "remedy", "free_replacement"), 422,
			[]string{`id="approve-exception-error"`, "needs a reason", `<option value="free_replacement" selected>`}, status(aftersale.StatusInReview)},
		{"a quote with a bad amount names the quote", "manager", x, v("action", "send_quote", "currency", "EUR", "amount_parts", "12,5x"), 422,
			[]string{`id="quote-error"`, `value="12,5x"`}, status(aftersale.StatusInReview)},
		{"a manager sends a quote", "manager", x, v("action", "send_quote", "currency", "EUR", "amount_parts", "12.50", "desc_parts", "Gear set", "amount_labour", "20"), 303,
			[]string{"Quote sent", "€32.50", "Gear set"}, func(c aftersale.Claim) bool {
				return c.Status == aftersale.StatusQuoteSent && c.Quote != nil && c.Quote.Total.Minor == 3250
			}},
		{"the agent approves the replacement the policy gives", "agent", a, v("action", "approve", "remedy", "free_replacement"), 303,
			[]string{"The claim is approved.", `id="claim-status">Approved`, "Approved remedy"}, func(c aftersale.Claim) bool {
				return c.Status == aftersale.StatusApproved && c.ApprovedRemedy == "free_replacement"
			}},
		{"an agent cannot waive the return", "agent", a, v("action", "resolve", "resolution", "replacement_shipped", "waive_return", "1", "note", "advance"), 403,
			nil, status(aftersale.StatusApproved)},
		{"a manager waives it, with a reason", "manager", a, v("action", "resolve", "resolution", "replacement_shipped", "waive_return", "1"), 422,
			[]string{"Say why the return is waived."}, status(aftersale.StatusApproved)},
		{"an advance replacement", "manager", a, v("action", "resolve", "resolution", "replacement_shipped", "waive_return", "1", "note", "Urgent for a show"), 303,
			[]string{"Resolved", "Return waived"}, func(c aftersale.Claim) bool {
				return c.Status == aftersale.StatusResolved && c.ReturnWaived
			}},
	})
	e.noMissingMessages()
}

// The inspector's part: the item comes back, is received and inspected;
// the findings re-judge the decision.
func TestStaffInspection(t *testing.T) {
	e := newEnv(t)
	n := e.openClaim("agent", "", "defect", "SV-30")
	e.act("agent", n, workflow.ActInput{Action: aftersale.ActionStartReview},
		workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_replacement"},
		workflow.ActInput{Action: aftersale.ActionAwaitReturn})
	runActs(t, e, "/act", []actCase{
		{"received", "inspector", n, url.Values{"action": {"receive"}, "version": {"auto"}}, 303, []string{"Item received on", actForm("inspect")}, status(aftersale.StatusReceived)},
		{"an unknown cause is named", "inspector", n, url.Values{"action": {"inspect"}, "version": {"auto"}, "cause_1": {"gremlins"}}, 422,
			[]string{`id="inspect-findings-error"`}, status(aftersale.StatusReceived)},
		{"misuse found", "inspector", n, url.Values{"action": {"inspect"}, "version": {"auto"}, "cause_1": {"misuse"}, "resellable_1": {"no"}, "notes_1": {"Water inside"}}, 303,
			[]string{"Accident or misuse", "Water inside", "Decision changed"}, func(c aftersale.Claim) bool {
				return c.Status == aftersale.StatusInspected && c.Lines[0].Cause == "misuse" && c.Lines[0].Resellable != nil && !*c.Lines[0].Resellable
			}},
	})
}

// actForm is the mark of a step's form on the claim page.
func actForm(a string) string { return `id="act-` + a + `"` }

// A line under a manager's exception says, on the staff's claim page, who
// granted what against which decision and clauses, and why; the
// customer's page does not give the manager's reason.
func TestStaffClaimException(t *testing.T) {
	e := newEnv(t)
	expired := e.distOpenWithLink("agent", "defect", "SV-40")
	e.act("agent", expired.Claim.Number, workflow.ActInput{Action: aftersale.ActionStartReview})
	e.act("manager", expired.Claim.Number, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_replacement",
		ExceptionReason: "school project, goodwill"})
	ex := e.claim(expired.Claim.Number).Lines[0].Exception
	if ex == nil || len(ex.Clauses) == 0 {
		t.Fatalf("exception %+v, want one against the decision's clauses", ex)
	}
	clausesEN, clausesZH := strings.Join(ex.Clauses, ", "), strings.Join(ex.Clauses, "、")
	fresh := e.openClaim("agent", "", "defect", "SV-30")
	e.act("agent", fresh, workflow.ActInput{Action: aftersale.ActionStartReview})
	e.act("manager", fresh, workflow.ActInput{Action: aftersale.ActionReject, Note: "the customer admitted dropping it"})
	rejected := e.claim(fresh).Lines[0].Exception
	if rejected == nil || rejected.Remedy != "reject" {
		t.Fatalf("rejection's exception %+v", rejected)
	}
	checkPages200(t, e, []pageWant{
		{name: "a free remedy granted", user: "agent", path: "/staff/claims/" + expired.Claim.Number, want: []string{
			`<p class="warning exception">Exception by manager@shop.test: Free replacement granted against the policy&#39;s Not eligible (clauses ` +
				clausesEN + `): school project, goodwill <span class="muted">`}},
		{name: "zh", user: "agent", lang: "zh", path: "/staff/claims/" + expired.Claim.Number, want: []string{
			"manager@shop.test 特批：政策判定为不符合条件（条款 " + clausesZH + "），特批免费更换：school project, goodwill"}},
		{name: "an eligible line rejected", user: "inspector", path: "/staff/claims/" + fresh, want: []string{
			"Exception by manager@shop.test: rejected against the policy&#39;s Eligible (clauses " + strings.Join(rejected.Clauses, ", ") +
				"): the customer admitted dropping it"}},
		{name: "not on the customer's page", path: expired.CustomerLink, lacks: []string{"school project", "manager@shop.test"}},
	})
}

// checkPages200 checks pages that answer 200, in English unless a page
// says, and that no message was missing on any of them.
func checkPages200(t *testing.T, e *env, pages []pageWant) {
	t.Helper()
	for _, tt := range pages {
		t.Run(tt.name, func(t *testing.T) {
			tt.status = 200
			if tt.lang == "" {
				tt.lang = "en"
			}
			tt.check(t, e)
		})
	}
	e.noMissingMessages()
}
