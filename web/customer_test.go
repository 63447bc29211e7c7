package web_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/workflow"
)

// samplePNG is a small real PNG picture.
func samplePNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for x := range 32 {
		for y := range 24 {
			img.Set(x, y, color.RGBA{R: uint8(x * 8), G: 90, B: uint8(y * 10), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// uploadFile is a file of a multipart form.
type uploadFile struct {
	field, name string
	body        []byte
}

// postMultipart posts fields (in order, name then value), then files, as a
// browser sends a form with enctype multipart/form-data.
func (b *browser) postMultipart(path string, fields []string, files ...uploadFile) page {
	b.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := mw.WriteField(fields[i], fields[i+1]); err != nil {
			b.e.t.Fatal(err)
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile(f.field, f.name)
		if err != nil {
			b.e.t.Fatal(err)
		}
		if _, err := w.Write(f.body); err != nil {
			b.e.t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		b.e.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, b.e.srv.URL+path, &buf)
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
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return page{Status: res.StatusCode, Location: res.Header.Get("Location"), Body: string(body), RetryAfter: res.Header.Get("Retry-After")}
}

// useCases is the workflow on the test's store, for the staff's side of a
// customer's story.
func (e *env) useCases() (*workflow.Claims, *workflow.Evidence) {
	svc, err := workflow.New(policy.Default(), e.db, e.now)
	if err != nil {
		e.t.Fatal(err)
	}
	return &workflow.Claims{Service: svc, InTx: e.db.InClaimTx, Opener: e.db.OpenClaim, Read: e.db}, &workflow.Evidence{InTx: e.db.InEvidenceTx, Read: e.db, Now: e.now}
}

var claimPathPattern = regexp.MustCompile(`^/claims/(RMA-\d{4}-\d+)$`)

// openByPortal opens a claim through the form as the buyer of order
// A-1's SV-9 line, and returns its number; b then holds the claim cookie.
func openByPortal(t *testing.T, b *browser, fields ...string) string {
	t.Helper()
	if fields == nil {
		fields = []string{"key", "k-" + t.Name(), "order", "A-1", "email", "ann@example.com", "item", "2||SV-9", "request", "defect", "description", "It stutters."}
	}
	p := b.postMultipart("/claim/new", fields, uploadFile{"files", "stutter.png", samplePNG(t)})
	m := claimPathPattern.FindStringSubmatch(p.Location)
	if p.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("open: %d to %q\n%s", p.Status, p.Location, p.Body)
	}
	return m[1]
}

func TestClaimFindOrder(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, lang, order, email string
		status                   int
		want                     []string
	}{
		{"the order's articles and kit parts", "en", "A-1", " Ann@Example.com", 200, []string{`value="1|MOD-MAIN|MB-1"`, `value="1||"`, `value="2||SV-9"`, "SV-9", "part of kit KIT-ARM", `enctype="multipart/form-data"`, `accept="image/*,video/*"`, `name="email" value="ann@example.com"`}},
		{"by serial, a distributor's sale", "en", "SV-20", "ann@example.com", 200, []string{"Which articles of order B-1", `id="unreachable"`}},
		{"a direct sale has no distributor to reach", "en", "C-1", "ann@example.com", 200, []string{"SV-30"}},
		{"somebody else's order", "en", "A-1", "bob@example.com", 422, []string{`We found no order or serial &#34;A-1&#34; with this e-mail address.`, `aria-describedby="order-error"`}},
		{"an order that does not exist reads the same", "en", "Q-7", "bob@example.com", 422, []string{`We found no order or serial &#34;Q-7&#34; with this e-mail address.`}},
		{"somebody else's order, zh", "zh", "A-1", "bob@example.com", 422, []string{"未找到与此邮箱对应的订单或序列号“A-1”"}},
		{"no number", "en", "", "ann@example.com", 422, []string{"Please enter your order number or a serial number."}},
		{"no number, zh", "zh", "", "ann@example.com", 422, []string{"请输入订单号或序列号。"}},
		{"no e-mail", "en", "A-1", "", 422, []string{"Please enter the e-mail address of your order.", `aria-invalid="true"`}},
		{"no e-mail, zh", "zh", "A-1", "", 422, []string{"请输入下单时使用的电子邮箱。"}},
		{"not an e-mail", "en", "A-1", "ann", 422, []string{"This is not an e-mail address.", `value="ann"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := e.browser(tt.lang).post("/claim/new", url.Values{"order": {tt.order}, "email": {tt.email}})
			if p.Status != tt.status {
				t.Fatalf("status %d, want %d\n%s", p.Status, tt.status, p.Body)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.Body, w) {
					t.Errorf("page lacks %q\n%s", w, p.Body)
				}
			}
			if tt.status != 200 && strings.Contains(p.Body, "SERVO-MG") {
				t.Error("a refused page shows the order's articles")
			}
		})
	}
	e.noMissingMessages()
}

// Failed ownership checks count against the client: past the limit the
// form refuses even a right answer for a while.
func TestClaimFindOrderRateLimited(t *testing.T) {
	e := newEnv(t)
	b := e.browser("en")
	blocked := false
	for range 1100 { // the test limiter allows 1000 at once
		if p := b.post("/claim/new", url.Values{"order": {"A-1"}, "email": {"eve@example.com"}}); p.Status == http.StatusTooManyRequests {
			blocked = true
			if !strings.Contains(p.Body, "Too many unsuccessful attempts") {
				t.Errorf("429 page:\n%s", p.Body)
			}
			break
		}
	}
	if !blocked {
		t.Fatal("1,100 wrong guesses were never refused")
	}
	if p := b.post("/claim/new", url.Values{"order": {"A-1"}, "email": {"ann@example.com"}}); p.Status != http.StatusTooManyRequests {
		t.Errorf("a blocked client's right answer: %d, want 429", p.Status)
	}
}

func TestClaimSubmit(t *testing.T) {
	e := newEnv(t)
	// A servo bought elsewhere 54 days before the test day.
	elsewhereBought := testday.Day(-54).String()
	png := samplePNG(t)
	base := func(extra ...string) []string {
		return append([]string{"key", "", "order", "A-1", "email", "ann@example.com"}, extra...)
	}
	tests := []struct {
		name, lang string
		fields     []string
		files      []uploadFile
		status     int
		want       []string // on the answer, or on the claim's page it leads to
	}{
		{"a kit component with a photo", "en", base("item", "1|MOD-MAIN|MB-1", "request", "defect", "description", "Dead."), []uploadFile{{"files", "board.png", png}},
			303, []string{"Keep this link", "?access=cl_", "RMA number:", "Main board", "MOD-MAIN", `<img src="/api/v1/claims/`, "board.png", "Free repair", "We pay the shipping.", "<dt>6.2</dt>"}},
		{"a refused file leaves the claim, and says so", "en", base("item", "2|", "request", "defect"), []uploadFile{{"files", "notes.txt", []byte("just text, no photo")}, {"files", "ok.png", png}},
			303, []string{"Your claim is open, but these files were not kept", "notes.txt", "This is not a photo, video or PDF we accept", "ok.png"}},
		{"no article", "en", base("request", "defect"), []uploadFile{{"files", "a.png", png}}, 422, []string{"Please tick at least one article.", `aria-describedby="items-error"`, "please choose your files again", `value="1|MOD-MAIN|MB-1"`}},
		{"no article, zh", "zh", base("request", "defect"), nil, 422, []string{"请至少勾选一件商品。"}},
		{"no request", "en", base("item", "2||SV-9", "description", "kept text"), nil, 422, []string{"Please choose what you ask for.", "kept text", `value="2||SV-9" checked`}},
		{"no request, zh", "zh", base("item", "2|"), nil, 422, []string{"请选择您的诉求。"}},
		{"the e-mail changed on the way", "en", []string{"key", "", "order", "A-1", "email", "bob@example.com", "item", "2|", "request", "defect"}, nil,
			422, []string{"We found no order or serial &#34;A-1&#34; with this e-mail address.", `name="order"`}},
		{"elsewhere without proof", "en", []string{"key", "", "mode", "elsewhere", "email", "bob@example.com", "sku", "SERVO-MG", "purchased_on", elsewhereBought, "request", "defect"}, nil,
			422, []string{"A purchase made elsewhere needs its proof of purchase."}},
		{"elsewhere without proof, zh", "zh", []string{"key", "", "mode", "elsewhere", "email", "bob@example.com", "sku", "SERVO-MG", "purchased_on", elsewhereBought, "request", "defect"}, nil,
			422, []string{"在其他地方购买的商品需要提供购买凭证"}},
		{"elsewhere with a bad date", "en", []string{"key", "", "mode", "elsewhere", "email", "bob@example.com", "sku", "SERVO-MG", "purchased_on", "yesterday", "request", "defect"}, nil,
			422, []string{"Please enter the date of purchase.", `value="yesterday"`}},
		{"elsewhere bought in the future", "en", []string{"key", "", "mode", "elsewhere", "email", "bob@example.com", "sku", "SERVO-MG", "purchased_on", testday.Day(3).String(), "request", "defect"},
			[]uploadFile{{"proof", "receipt.png", png}}, 422, []string{"The date of purchase cannot be after today.", `aria-describedby="purchased_on-error"`}},
		{"elsewhere delivered before it was bought, zh", "zh", []string{"key", "", "mode", "elsewhere", "email", "bob@example.com", "sku", "SERVO-MG", "purchased_on", elsewhereBought, "delivered_on", testday.Day(-60).String(), "request", "defect"},
			[]uploadFile{{"proof", "receipt.png", png}}, 422, []string{"收货日期不能早于购买日期。"}},
		{"elsewhere delivered in the future", "en", []string{"key", "", "mode", "elsewhere", "email", "bob@example.com", "sku", "SERVO-MG", "purchased_on", elsewhereBought, "delivered_on", testday.Day(1).String(), "request", "defect"},
			[]uploadFile{{"proof", "receipt.png", png}}, 422, []string{"The date of delivery cannot be after today."}},
		{"elsewhere with its proof", "en", []string{"key", "", "mode", "elsewhere", "email", "bob@example.com", "sku", "SERVO-MG", "purchased_on", elsewhereBought, "request", "defect"},
			[]uploadFile{{"proof", "receipt.png", png}}, 303, []string{"Keep this link", "receipt.png", "SERVO-MG"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := e.browser(tt.lang)
			fields := append([]string{}, tt.fields...)
			fields[1] = "key-" + tt.name
			p := b.postMultipart("/claim/new", fields, tt.files...)
			if p.Status != tt.status {
				t.Fatalf("status %d, want %d\n%s", p.Status, tt.status, p.Body)
			}
			if p.Status == http.StatusSeeOther {
				if !claimPathPattern.MatchString(p.Location) {
					t.Fatalf("redirect to %q", p.Location)
				}
				p = b.get(p.Location)
				if p.Status != 200 {
					t.Fatalf("claim page: %d\n%s", p.Status, p.Body)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(p.Body, w) {
					t.Errorf("page lacks %q\n%s", w, p.Body)
				}
			}
		})
	}
	e.noMissingMessages()
}

// The link shows once; a second submit of the same form opens nothing new.
func TestClaimLinkShownOnce(t *testing.T) {
	e := newEnv(t)
	b := e.browser("en")
	fields := []string{"key", "same-key", "order", "C-1", "email", "ann@example.com", "item", "1|", "request", "defect"}
	n := openByPortal(t, b, fields...)
	if p := b.get("/claims/" + n); !strings.Contains(p.Body, "Keep this link") {
		t.Fatalf("first visit lacks the link\n%s", p.Body)
	}
	if p := b.get("/claims/" + n); p.Status != 200 || strings.Contains(p.Body, "Keep this link") || strings.Contains(p.Body, "access=cl_") {
		t.Errorf("second visit: %d, shows the link again", p.Status)
	}
	p := b.postMultipart("/claim/new", fields)
	if p.Status != 200 || !strings.Contains(p.Body, "This form already opened claim "+n) {
		t.Errorf("resubmit: %d\n%s", p.Status, p.Body)
	}
	page, err := e.db.Queue(t.Context(), workflow.Query{Limit: 50})
	if err != nil || len(page.Claims) != 1 {
		t.Errorf("%d claims stored (%v), want 1", len(page.Claims), err)
	}
	if c := page.Claims[0]; c.Applicant != aftersale.ApplicantCustomer || c.CustomerEmail != "ann@example.com" {
		t.Errorf("stored %+v", c)
	}
}
