package web_test

import (
	"bytes"
	"encoding/binary"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/web"
)

// anonElsewhere are the fields of the form for a purchase made elsewhere,
// for the customer email, with idempotency key key.
func anonElsewhere(key, email string) []string {
	return []string{"key", key, "mode", "elsewhere", "email", email, "sku", "SERVO-MG",
		"purchased_on", testday.Day(-2).String(), "request", "defect", "description", "It jitters under load " + key}
}

// Claims opened without signing in are limited per client address and per
// e-mail address: past the limit the form answers 429 with Retry-After,
// keeps what was typed and opens nothing.
func TestAnonymousClaimLimits(t *testing.T) {
	e := newEnv(t)
	e.site.Anonymous = web.AnonymousLimits{
		ClaimsPerAddress: auth.NewLimiter(2, time.Hour, e.now),
		ClaimsPerEmail:   auth.NewLimiter(1, 24*time.Hour, e.now),
	}
	proof := uploadFile{"proof", "receipt.png", samplePNG(t)}
	for _, tt := range []struct {
		key, email string
		status     int
	}{
		{"a1", "ann@example.com", http.StatusSeeOther},
		{"a2", "Ann@Example.com", http.StatusTooManyRequests}, // the same address, written otherwise
		{"b1", "bob@example.com", http.StatusSeeOther},
		{"c1", "cy@example.com", http.StatusTooManyRequests}, // the client's third
	} {
		// Each claim opened e-mails its customer (an unconfirmed one is in no
		// count of claims).
		before := e.mailsTo(strings.ToLower(tt.email))
		p := e.browser("en").postMultipart("/claim/new", anonElsewhere(tt.key, tt.email), proof)
		after := e.mailsTo(strings.ToLower(tt.email))
		if p.Status != tt.status {
			t.Fatalf("%s: %d, want %d\n%s", tt.key, p.Status, tt.status, p.Body)
		}
		if tt.status == http.StatusSeeOther {
			if after != before+1 {
				t.Errorf("%s: %d claims after, %d before", tt.key, after, before)
			}
			continue
		}
		body := html.UnescapeString(p.Body)
		if p.RetryAfter == "" || p.RetryAfter == "0" || after != before ||
			!strings.Contains(body, "Too many claims opened from your address or for this e-mail address") ||
			!strings.Contains(body, "It jitters under load "+tt.key) {
			t.Errorf("%s: Retry-After %q, %d claims after, %d before; the form's values kept?\n%s", tt.key, p.RetryAfter, after, before, p.Body)
		}
	}
}

// mp4 is a small whole MP4 file: ftyp, moov (mvhd, trak), mdat.
func mp4() []byte {
	box := func(typ string, payload ...[]byte) []byte {
		body := bytes.Join(payload, nil)
		return append(append(binary.BigEndian.AppendUint32(nil, uint32(8+len(body))), typ...), body...)
	}
	return bytes.Join([][]byte{box("ftyp", []byte("isom\x00\x00\x02\x00isommp41")),
		box("moov", box("mvhd", make([]byte, 100)), box("trak", box("tkhd", make([]byte, 84)))),
		box("mdat", make([]byte, 2000))}, nil)
}

// A video must be a whole container: zeros after an MP4's first box are
// refused (the claim opens with its other files), a real MP4 is kept; the
// files of a claim and the day's files sent without signing in are capped.
func TestAnonymousUploads(t *testing.T) {
	e := newEnv(t)
	proof := uploadFile{"proof", "receipt.png", samplePNG(t)}
	zeros := append(mp4()[:24], make([]byte, 1<<20)...)
	photo := func(n int) []byte { return append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, n)...) }
	for _, tt := range []struct {
		name   string
		setup  func()
		file   uploadFile
		kept   bool
		reason string
	}{
		{"zeros named video.mp4", func() {}, uploadFile{"files", "video.mp4", zeros}, false, "This is not a photo, video or PDF we accept"},
		{"a whole mp4", func() {}, uploadFile{"files", "video.mp4", mp4()}, true, ""},
		{"past the claim's total", func() { e.site.Evidence.MaxClaimUpload = 64 << 10 }, uploadFile{"files", "big.jpg", photo(70 << 10)}, false, "The files of a claim may total"},
		{"past the address's day", func() {
			e.site.Evidence.MaxClaimUpload = 0
			e.site.Anonymous.Uploads = auth.NewDailyBytes(40<<10, 0, e.now)
		}, uploadFile{"files", "big.jpg", photo(50 << 10)}, false, "Today's allowance of files sent without signing in is used up"},
		{"past everyone's day", func() { e.site.Anonymous.Uploads = auth.NewDailyBytes(0, 30<<10, e.now) }, uploadFile{"files", "big.jpg", photo(35 << 10)}, false, "Today's allowance of files"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.setup()
			b := e.browser("en")
			p := b.postMultipart("/claim/new", anonElsewhere("k-"+tt.name, "dee@example.com"), proof, tt.file)
			m := claimPathPattern.FindStringSubmatch(p.Location)
			if p.Status != http.StatusSeeOther || m == nil {
				t.Fatalf("open: %d to %q\n%s", p.Status, p.Location, p.Body)
			}
			c := e.claim(m[1])
			files, err := e.db.EvidenceOf(t.Context(), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != map[bool]int{true: 2, false: 1}[tt.kept] {
				t.Errorf("%d files kept: %+v", len(files), files)
			}
			if tt.kept {
				return
			}
			page := html.UnescapeString(b.get(p.Location).Body)
			if !strings.Contains(page, "these files were not kept") || !strings.Contains(page, tt.reason) {
				t.Errorf("the claim's page does not say %q\n%s", tt.reason, page)
			}
		})
	}
}
