package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/workflow"
)

// The thread, the parcels and the money of a claim.
func TestStaffThreadParcelsRefunds(t *testing.T) {
	e := newEnv(t)
	n := e.openClaim("agent", "", "return", "SV-30")
	e.act("agent", n, workflow.ActInput{Action: aftersale.ActionStartReview},
		workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "refund"})
	runActs(t, e, "/messages", []actCase{
		{"an empty message is named", "agent", n, url.Values{"body": {"  "}, "internal": {"0"}}, 422, []string{`id="msg-body-error"`}, nil},
		{"to the customer", "agent", n, url.Values{"body": {"Please send it back."}, "internal": {"0"}}, 303,
			[]string{"The message was sent to the customer.", "Please send it back."}, nil},
		{"an inspector may not write to the customer", "inspector", n, url.Values{"body": {"Hello"}, "internal": {"0"}}, 403, nil, nil},
		{"an internal note", "inspector", n, url.Values{"body": {"Box looked opened."}, "internal": {"1"}}, 303,
			[]string{"Internal note", "Box looked opened."}, nil},
	})
	runActs(t, e, "/shipments", []actCase{
		{"a parcel needs its tracking number", "agent", n, url.Values{"direction": {"outbound"}, "carrier": {"DHL"}}, 422,
			[]string{`id="ship-tracking-error"`, `value="DHL"`}, nil},
		{"a parcel to the customer", "agent", n, url.Values{"direction": {"outbound"}, "carrier": {"DHL"}, "tracking_number": {"JD0001"}}, 303,
			[]string{"The shipment is recorded.", "JD0001", "To the customer", "The customer pays shipping"}, nil},
		{"an agent cannot override the payer", "agent", n, url.Values{"direction": {"outbound"}, "carrier": {"DHL"}, "tracking_number": {"JD0002"}, "paid_by": {"seller"}}, 403,
			[]string{`id="ship-paid-error"`}, nil},
	})
	runActs(t, e, "/refunds", []actCase{
		{"no refund before the item is back", "manager", n, url.Values{"amount": {"30.00"}, "currency": {"EUR"}, "reference": {"PSP-1"}}, 409,
			[]string{"not possible any more"}, nil},
	})
	runActs(t, e, "/act", []actCase{
		{"refunded before the item is back", "manager", n, url.Values{"action": {"resolve"}, "version": {"auto"}, "resolution": {"refunded"},
			"waive_return": {"1"}, "note": {"Loyal customer"}}, 303, []string{"Record a refund"}, status(aftersale.StatusResolved)},
	})
	runActs(t, e, "/refunds", []actCase{
		{"an agent may not record money", "agent", n, url.Values{"amount": {"30.00"}, "currency": {"EUR"}, "reference": {"PSP-1"}}, 403, nil, nil},
		{"more than the order is named", "manager", n, url.Values{"amount": {"300"}, "currency": {"EUR"}, "reference": {"PSP-1"}}, 422,
			[]string{`id="refund-amount-error"`, `value="300"`}, nil},
		{"a bad amount is named", "manager", n, url.Values{"amount": {"3O"}, "currency": {"EUR"}, "reference": {"PSP-1"}}, 422,
			[]string{`id="refund-amount-error"`}, nil},
		{"the refund", "manager", n, url.Values{"amount": {"30.00"}, "currency": {"EUR"}, "reference": {"PSP-1"}}, 303,
			[]string{"The refund is recorded.", "€30.00 · PSP-1"}, nil},
	})
	e.noMissingMessages()
}

// postFile uploads a registry file as the imports form does.
func (b *browser) postFile(kind, format, name, body string, skip bool) page {
	b.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("kind", kind)
	_ = mw.WriteField("format", format)
	if skip {
		_ = mw.WriteField("skip_invalid", "1")
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		b.e.t.Fatal(err)
	}
	_, _ = io.WriteString(fw, body)
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.e.srv.URL+"/staff/imports", &buf)
	if err != nil {
		b.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept-Language", b.lang)
	res, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return page{Status: res.StatusCode, Location: res.Header.Get("Location"), Body: string(out)}
}

func TestStaffImports(t *testing.T) {
	e := newEnv(t)
	b := e.browser("en")
	b.login("manager")
	form := b.get("/staff/imports")
	for _, w := range []string{`enctype="multipart/form-data"`, `id="import-products"`, `id="import-deliveries"`, `<script src="/static/import.`, "<progress"} {
		if !strings.Contains(form.Body, w) {
			t.Errorf("form lacks %q", w)
		}
	}
	tests := []struct {
		name, kind, format, file, body string
		status                         int
		want                           []string
	}{
		{"products by the file's name", "products", "auto", "products.csv", "sku,name,category\nNEW-1,New servo,servo_motor\nNEW-2,New board,electronic_module\n", 200,
			[]string{`<dd id="import-read">2</dd>`, `<dd id="import-applied">2</dd>`, `<dd id="import-rejected">0</dd>`}},
		{"a bad row refuses the file, by line and column", "products", "csv", "p.csv", "sku,name,category\nX-1,Thing,robot\n", 422,
			[]string{"refused because of 1 error", `<table id="refused-rows">`, "<td>2</td><td>category</td>"}},
		// A quote that never closes made the CSV reader panic: a 500.
		{"an unclosed quote refuses the file, by line", "products", "csv", "p.csv", "sku,name,category\nNEW-3,\"New servo,servo_motor\nNEW-4,Other,servo_motor\n", 422,
			[]string{"refused because of 1 error", `<table id="refused-rows">`, "<td>2</td>", "malformed CSV: extraneous or missing &#34; in quoted-field (line 3, column 25)"}},
		{"a bare quote refuses the file, by line and column", "products", "auto", "p.csv", "sku,name,category\nNEW\"5,New servo,servo_motor\n", 422,
			[]string{"refused because of 1 error", "<td>2</td>", "malformed CSV: bare &#34; in non-quoted-field (line 2, column 4)"}},
		{"a million columns refuse the file at the limit", "products", "csv", "p.csv", "sku,name,category" + strings.Repeat(",c", 1_000_000) + "\n", 422,
			[]string{"refused because of 1 error", "<td>1</td><td>—</td><td>more than 100 columns: a row may have at most 100</td>"}},
		{"150 bad rows: 100 listed, all counted", "products", "csv", "p.csv", "sku,name,category\n" + strings.Repeat("X-1,Thing,robot\n", 150), 422,
			[]string{"refused because of 150 errors", "Only the first 100 errors are listed."}},
		{"an unknown format", "products", "auto", "products.xls", "x", 422, []string{"could not be imported"}},
		{"no file", "products", "csv", "", "", 422, []string{"Please choose a file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := b.postFile(tt.kind, tt.format, tt.file, tt.body, false)
			if p.Status != tt.status {
				t.Fatalf("status %d, want %d\n%s", p.Status, tt.status, p.Body)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.Body, w) {
					t.Errorf("page lacks %q\n%s", w, p.Body)
				}
			}
		})
	}
	if _, err := e.db.Product(t.Context(), "NEW-2"); err != nil {
		t.Errorf("the import stored nothing: %v", err)
	}
	agent := e.browser("en")
	agent.login("agent")
	if p := agent.postFile("products", "csv", "p.csv", "sku,name,category\nZ-1,Z,servo_motor\n", false); p.Status != 403 {
		t.Errorf("an agent imports: %d", p.Status)
	}
	if p := e.browser("zh"); true {
		p.login("manager")
		if got := p.get("/staff/imports"); !strings.Contains(got.Body, "导入登记库") {
			t.Errorf("zh imports page:\n%s", got.Body)
		}
	}
	e.noMissingMessages()
}

func TestStaffUsers(t *testing.T) {
	e := newEnv(t)
	id := func(name string) string { return strconv.FormatInt(e.actors[name].UserID, 10) }
	good := url.Values{"email": {"new@shop.test"}, "name": {"Nia New"}, "role": {"agent"}, "password": {"a long enough secret"}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for key, vals := range good {
			f[key] = vals
		}
		f.Set(k, v)
		return f
	}
	tests := []struct {
		name, user, path string
		form             url.Values
		status           int
		want             []string
	}{
		{"a manager adds an agent", "manager", "/staff/users", good, 303, []string{"The user was added.", "new@shop.test", "Nia New"}},
		{"a taken address", "manager", "/staff/users", good, 409, []string{`id="u-email-error"`, `value="Nia New"`}},
		{"a short password", "manager", "/staff/users", with("email", "short@shop.test"), 303, nil},
		{"a manager cannot add an admin", "manager", "/staff/users", with("role", "admin"), 403, []string{`id="u-role-error"`}},
		{"a distributor user needs its code", "admin", "/staff/users", with("role", "distributor"), 422, []string{`id="u-dist-error"`}},
		{"an unknown distributor", "admin", "/staff/users", func() url.Values {
			f := with("role", "distributor")
			f.Set("email", "d@dist.test")
			f.Set("distributor_code", "NOPE")
			return f
		}(), 422, []string{`id="u-dist-error"`}},
		{"an admin adds an admin", "admin", "/staff/users", with("role", "admin"), 409, nil},
		{"a manager moves the agent to inspection", "manager", "/staff/users/" + id("agent") + "/role", url.Values{"role": {"inspector"}}, 303,
			[]string{"The role was changed."}},
		{"a manager cannot demote the admin", "manager", "/staff/users/" + id("admin") + "/role", url.Values{"role": {"agent"}}, 403,
			[]string{"Only an administrator may grant or take"}},
		{"nobody disables themself", "manager", "/staff/users/" + id("manager") + "/active", url.Values{"active": {"0"}}, 409,
			[]string{"You cannot change or disable yourself"}},
		{"a manager disables a distributor's user", "manager", "/staff/users/" + id("eu") + "/active", url.Values{"active": {"0"}}, 303,
			[]string{"The user was updated.", "Disabled"}},
		{"an agent may not", "inspector", "/staff/users", good, 403, nil},
	}
	tests[2].form.Set("password", "short")
	tests[2].status, tests[2].want = 422, []string{`id="u-password-error"`, `value="short@shop.test"`}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := e.browser("en")
			b.login(tt.user)
			p := b.post(tt.path, tt.form)
			if p.Status != tt.status {
				t.Fatalf("status %d, want %d\n%s", p.Status, tt.status, p.Body)
			}
			if p.Status == 303 {
				p = b.get(p.Location)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.Body, w) {
					t.Errorf("page lacks %q\n%s", w, p.Body)
				}
			}
			if strings.Contains(p.Body, "a long enough secret") || strings.Contains(p.Body, `value="short"`) {
				t.Error("the page shows the password back")
			}
		})
	}
	if u, err := e.db.UserByEmail(t.Context(), users["agent"].Email); err != nil || u.Role != aftersale.RoleInspector {
		t.Errorf("agent: %+v %v", u, err)
	}
	if p := e.browser("en").post("/login", url.Values{"email": {users["eu"].Email}, "password": {password}}); p.Status != 401 {
		t.Errorf("a disabled user signs in: %d", p.Status)
	}
	zh := e.browser("zh")
	zh.login("admin")
	if p := zh.get("/staff/users"); !strings.Contains(p.Body, "用户与角色") || !strings.Contains(p.Body, "管理员") {
		t.Errorf("zh users page:\n%s", p.Body)
	}
	e.noMissingMessages()
}
