package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/workflow"
)

// actOn takes a staff step on a claim, on its current version.
func actOn(t *testing.T, e *env, who, number string, in workflow.ActInput) {
	t.Helper()
	cl, _ := e.useCases()
	c, err := e.db.Claim(t.Context(), number)
	if err != nil {
		t.Fatal(err)
	}
	in.Version = c.Version
	if _, err := cl.Act(t.Context(), e.actors[who], number, in); err != nil {
		t.Fatalf("%s %s: %v", who, in.Action, err)
	}
}

func claimVersion(t *testing.T, e *env, number string) string {
	t.Helper()
	c, err := e.db.Claim(t.Context(), number)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(c.Version)
}

// Who sees a claim's page: its customer (the claim cookie), its
// distributor's users, staff; anyone else gets 404, as for a claim that
// does not exist. Internal notes never show outside the staff.
func TestClaimPageVisibility(t *testing.T) {
	e := newEnv(t)
	annA, annB := e.browser("en"), e.browser("en")
	a := openByPortal(t, annA) // a direct sale
	b := openByPortal(t, annB, "key", "kb", "order", "B-1", "email", "ann@example.com", "item", "1||SV-20", "request", "defect")
	_, ev := e.useCases()
	for _, n := range []string{a, b} {
		if _, err := ev.PostMessage(t.Context(), e.actors["agent"], n, "INTERNAL: sounds like a reseller", true); err != nil {
			t.Fatal(err)
		}
		if _, err := ev.PostMessage(t.Context(), e.actors["agent"], n, "Please send a photo of the label.", false); err != nil {
			t.Fatal(err)
		}
	}
	eu, agent := e.browser("en"), e.browser("en")
	eu.login("eu")
	agent.login("agent")
	tests := []struct {
		name   string
		b      *browser
		path   string
		status int
	}{
		{"the customer", annA, "/claims/" + a, 200},
		{"the customer's slip", annA, "/claims/" + a + "/slip", 200},
		{"the same customer's other claim, with this link", annA, "/claims/" + b, 404},
		{"another claim's slip", annA, "/claims/" + b + "/slip", 404},
		{"a claim that does not exist", annA, "/claims/" + rmaPrefix() + "999999", 404},
		{"nobody", e.browser("en"), "/claims/" + a, 401},
		{"its distributor", eu, "/claims/" + b, 200},
		{"another seller's claim to a distributor", eu, "/claims/" + a, 404},
		{"staff", agent, "/claims/" + a, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.b.get(tt.path)
			if p.Status != tt.status {
				t.Fatalf("status %d, want %d\n%s", p.Status, tt.status, p.Body)
			}
			if strings.Contains(p.Body, "INTERNAL") && tt.b != agent {
				t.Error("an internal note shows")
			}
			if tt.status == 200 && !strings.HasSuffix(tt.path, "/slip") && !strings.Contains(p.Body, "Please send a photo of the label.") {
				t.Errorf("the thread lacks the message\n%s", p.Body)
			}
		})
	}
	if p := annA.post("/claims/"+b+"/messages", url.Values{"body": {"hi"}}); p.Status != 404 {
		t.Errorf("a message on another claim: %d, want 404", p.Status)
	}
}

// The customer's own steps: a reply, an answer to a question, more
// evidence; a refused form says why next to its field, in his language.
func TestClaimCustomerSteps(t *testing.T) {
	e := newEnv(t)
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			b := e.browser(lang)
			n := openByPortal(t, b)
			base := "/claims/" + n
			actOn(t, e, "agent", n, workflow.ActInput{Action: aftersale.ActionRequestInfo, Note: "Which firmware version?"})
			msg := map[string][]string{
				"en": {"Our question to you", "Please write your answer.", "Please write a message of at most 10,000 characters.", "Please choose at least one file.", "Thank you, your answer was sent."},
				"zh": {"我们向您提出的问题", "请填写您的回答。", "请填写留言，最多 10,000 个字符。", "请至少选择一个文件。", "谢谢，您的回答已提交。"},
			}[lang]
			tests := []struct {
				name   string
				do     func() page
				status int
				want   string
			}{
				{"the question shows", func() page { return b.get(base) }, 200, msg[0]},
				{"an empty answer", func() page {
					return b.post(base+"/answer", url.Values{"answer": {" "}, "version": {claimVersion(t, e, n)}})
				}, 422, msg[1]},
				{"an empty message", func() page { return b.post(base+"/messages", url.Values{"body": {""}}) }, 422, msg[2]},
				{"no file", func() page { return b.postMultipart(base+"/evidence", nil, uploadFile{"files", "", nil}) }, 422, msg[3]},
				{"the answer", func() page {
					return b.post(base+"/answer", url.Values{"answer": {"1.2.3"}, "version": {claimVersion(t, e, n)}})
				}, 303, ""},
				{"after the answer", func() page { return b.get(base + "?done=answer") }, 200, msg[4]},
				{"a message", func() page { return b.post(base+"/messages", url.Values{"body": {"The label says 1.2.3"}}) }, 303, ""},
				{"the message shows", func() page { return b.get(base) }, 200, "The label says 1.2.3"},
				{"another photo", func() page {
					return b.postMultipart(base+"/evidence", nil, uploadFile{"files", "label.png", samplePNG(t)})
				}, 303, ""},
				{"the photo shows", func() page { return b.get(base) }, 200, `alt="label.png"`},
			}
			for _, tt := range tests {
				p := tt.do()
				if p.Status != tt.status || !strings.Contains(p.Body, tt.want) {
					t.Fatalf("%s: status %d (want %d), want %q\n%s", tt.name, p.Status, tt.status, tt.want, p.Body)
				}
			}
			if c, err := e.db.Claim(t.Context(), n); err != nil || c.Status != aftersale.StatusInReview {
				t.Errorf("after the answer: %s (%v), want in_review", c.Status, err)
			}
		})
	}
	e.noMissingMessages()
}

// A quote shows its lines and total in the reader's money format, and the
// customer accepts or declines it.
func TestClaimQuote(t *testing.T) {
	e := newEnv(t)
	quote := &aftersale.Quote{Lines: []aftersale.QuoteLine{
		{Kind: "labour", Description: "One hour at the bench", Amount: aftersale.Money{Minor: 4500, Currency: "EUR"}},
		{Kind: "parts", Description: "Gear set", Amount: aftersale.Money{Minor: 1250, Currency: "EUR"}}}}
	tests := []struct {
		lang, decision string
		want           []string
		status         aftersale.Status
	}{
		{"en", "accept", []string{"The repair quote", "One hour at the bench", "€45.00", "€57.50", "Accept the quote"}, aftersale.StatusQuoteAccepted},
		{"zh", "decline", []string{"维修报价", "人工", "€57.50", "接受报价"}, aftersale.StatusResolved},
	}
	for _, tt := range tests {
		t.Run(tt.decision, func(t *testing.T) {
			b := e.browser(tt.lang)
			n := openByPortal(t, b, "key", "q-"+tt.lang, "order", "D-1", "email", "ann@example.com", "item", "1|", "request", "defect")
			actOn(t, e, "agent", n, workflow.ActInput{Action: aftersale.ActionStartReview})
			actOn(t, e, "manager", n, workflow.ActInput{Action: aftersale.ActionSendQuote, Quote: quote})
			p := b.get("/claims/" + n)
			for _, w := range tt.want {
				if !strings.Contains(p.Body, w) {
					t.Errorf("page lacks %q\n%s", w, p.Body)
				}
			}
			if p := b.post("/claims/"+n+"/quote", url.Values{"decision": {tt.decision}, "version": {"1"}}); p.Status != http.StatusConflict {
				t.Errorf("an old version: %d, want 409", p.Status)
			}
			p = b.post("/claims/"+n+"/quote", url.Values{"decision": {tt.decision}, "version": {claimVersion(t, e, n)}})
			if p.Status != http.StatusSeeOther {
				t.Fatalf("%s: %d\n%s", tt.decision, p.Status, p.Body)
			}
			if c, _ := e.db.Claim(t.Context(), n); c.Status != tt.status {
				t.Errorf("status %s, want %s", c.Status, tt.status)
			}
			if p := b.get("/claims/" + n); strings.Contains(p.Body, `name="decision"`) {
				t.Error("the quote can still be answered")
			}
		})
	}
	e.noMissingMessages()
}

func TestClaimSlip(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"Returned goods (RMA)", "Robot Kits Ltd", "1 Dock Road", "SV-9", "ann@example.com", "We pay the shipping", `class="rma"`}},
		{"zh", []string{"退货单（RMA）", "请将包裹寄至", "Robot Kits Ltd", "运费由我们承担"}},
	} {
		b := e.browser(tt.lang)
		n := openByPortal(t, b, "key", "s-"+tt.lang, "order", "A-1", "email", "ann@example.com", "item", "2||SV-9", "request", "defect")
		p := b.get("/claims/" + n + "/slip")
		if p.Status != 200 {
			t.Fatalf("%s: %d", tt.lang, p.Status)
		}
		for _, w := range append(tt.want, n) {
			if !strings.Contains(p.Body, w) {
				t.Errorf("%s: slip lacks %q\n%s", tt.lang, w, p.Body)
			}
		}
	}
	e.noMissingMessages()
}

// A distributor's user applies for a customer of its own, and no other.
func TestDistributorApplies(t *testing.T) {
	e := newEnv(t)
	if p := e.browser("en").get("/distributor/claims/new"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/login?next=") {
		t.Errorf("anonymous: %d to %q, want the sign-in page", p.Status, p.Location)
	}
	eu := e.browser("en")
	eu.login("eu")
	tests := []struct {
		name, order string
		status      int
		want        string
	}{
		{"its own customer's order", "B-1", 200, `value="1||SV-20"`},
		{"by serial", "SV-20", 200, "The customer&#39;s e-mail address"},
		{"a direct sale", "A-1", 422, `We found no order or serial &#34;A-1&#34;`},
		{"another distributor's order", "E-1", 422, `We found no order or serial &#34;E-1&#34;`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := eu.post("/distributor/claims/new", url.Values{"order": {tt.order}})
			if p.Status != tt.status || !strings.Contains(p.Body, tt.want) {
				t.Fatalf("status %d (want %d), want %q\n%s", p.Status, tt.status, tt.want, p.Body)
			}
		})
	}
	p := eu.postMultipart("/distributor/claims/new", []string{"key", "d1", "order", "E-1", "item", "1|", "request", "defect"})
	if p.Status != 422 || !strings.Contains(p.Body, "We found no order or serial") {
		t.Errorf("a forged post for another distributor's order: %d\n%s", p.Status, p.Body)
	}
	p = eu.postMultipart("/distributor/claims/new", []string{"key", "d2", "order", "B-1", "email", "", "item", "1|", "request", "damaged_on_arrival", "description", "Box crushed."},
		uploadFile{"files", "box.png", samplePNG(t)})
	m := claimPathPattern.FindStringSubmatch(p.Location)
	if p.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("apply: %d to %q\n%s", p.Status, p.Location, p.Body)
	}
	p = eu.get(p.Location)
	for _, w := range []string{"The customer&#39;s link to this claim", "box.png", "It arrived damaged"} {
		if !strings.Contains(p.Body, w) {
			t.Errorf("claim page lacks %q\n%s", w, p.Body)
		}
	}
	c, err := e.db.Claim(t.Context(), m[1])
	if err != nil || c.Applicant != aftersale.ApplicantDistributor || c.CustomerEmail != "ann@example.com" || c.DistributorCode != "DIST-EU" {
		t.Errorf("stored %+v (%v)", c, err)
	}
	e.noMissingMessages()
}

// The claim's page names the seller's people by role to its customer and
// its distributor, never by e-mail address; the distributor reads its own
// people's names, the staff read everyone's; the customer reads them in
// his language.
func TestClaimPageNamesByAudience(t *testing.T) {
	e := newEnv(t)
	ann := e.browser("en")
	b := openByPortal(t, ann, "key", "kb", "order", "B-1", "email", "ann@example.com", "item", "1||SV-20", "request", "defect")
	_, ev := e.useCases()
	for who, body := range map[string]string{"agent": "Please send a photo.", "manager": "We will decide today.", "eu": "We called the customer."} {
		if _, err := ev.PostMessage(t.Context(), e.actors[who], b, body, false); err != nil {
			t.Fatal(err)
		}
	}
	eu, agent := e.browser("en"), e.browser("en")
	eu.login("eu")
	agent.login("agent")
	annZH := &browser{e: e, lang: "zh", c: ann.c} // the same claim cookie
	for _, tt := range []struct {
		name        string
		b           *browser
		want, never []string
	}{
		{"the customer", ann, []string{"Support team", "Manager", "Distributor"}, []string{"@shop.test", "eu@dist.test"}},
		{"the customer, in Chinese", annZH, []string{"售后团队", "经理", "经销商"}, []string{"@shop.test", "eu@dist.test"}},
		{"its distributor", eu, []string{"Support team", "Manager", "eu@dist.test"}, []string{"@shop.test"}},
		{"staff", agent, []string{"agent@shop.test", "manager@shop.test", "eu@dist.test"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.b.get("/claims/" + b)
			if p.Status != 200 {
				t.Fatalf("status %d\n%s", p.Status, p.Body)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.Body, w) {
					t.Errorf("the page lacks %q\n%s", w, p.Body)
				}
			}
			for _, n := range tt.never {
				if strings.Contains(p.Body, n) {
					t.Errorf("the page shows %q\n%s", n, p.Body)
				}
			}
		})
	}
}
