package importer_test

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/importer"
)

// repeat reads s n times over without holding more than s.
type repeat struct {
	s   string
	n   int
	off int
}

func (r *repeat) Read(p []byte) (int, error) {
	w := 0
	for w < len(p) && r.n > 0 {
		c := copy(p[w:], r.s[r.off:])
		w += c
		r.off += c
		if r.off == len(r.s) {
			r.off, r.n = 0, r.n-1
		}
	}
	if w == 0 {
		return 0, io.EOF
	}
	return w, nil
}

// file is a reader of head, body n times over and tail: a file of any size
// that costs nothing to hold.
func file(head, body string, n int, tail string) io.Reader {
	return io.MultiReader(strings.NewReader(head), &repeat{s: body, n: n}, strings.NewReader(tail))
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestShapeLimits refuses a file whose rows are too wide or too long as the
// bytes come in, with an error naming the limit, and reads no more of such a
// row than the limit: what a file holds does not decide the memory an
// import takes (a 1,000,000-column header took 1.08 GB and answered
// 154 MB of errors; a 100 MB JSON line added 345 MB).
func TestShapeLimits(t *testing.T) {
	const budget = 32 << 20 // bytes an import of any of these may allocate (a 1 MiB row takes about 14)
	productsHead := "sku,name,category\n"
	kib := strings.Repeat("x", 1<<10)
	tests := []struct {
		name, file string
		in         func() io.Reader
		skip       bool // SkipInvalid
		want       string
		applied    int
	}{
		{"a 1,000,000-column header", "p.csv", func() io.Reader { return file("sku,name,category", ",c", 1_000_000, "\n") },
			false, "p.csv:1: more than 100 columns: a row may have at most 100", 0},
		{"101 columns", "p.csv", func() io.Reader { return file("sku,name,category", ",c", 98, "\n") },
			false, "p.csv:1: more than 100 columns", 0},
		{"a row of 1,000,000 empty columns", "p.csv", func() io.Reader { return file(productsHead+"SV-1,Servo,servo_motor\nSV-2", ",", 1_000_000, "\n") },
			false, "p.csv:3: more than 100 columns", 0},
		{"a 100 MB CSV line", "p.csv", func() io.Reader { return file(productsHead+"SV-1,Servo,", kib, 100<<10, "\n") },
			false, "p.csv:2: longer than 1 MiB: a row may be at most 1048576 bytes long", 0},
		{"a 100 MB CSV record of short quoted lines", "p.csv", func() io.Reader { return file(productsHead+"SV-1,\"Servo", "\nx", 50<<20, "\",servo_motor\n") },
			false, "p.csv:2: longer than 1 MiB", 0},
		{"a 100 MB header line", "p.csv", func() io.Reader { return file("sku", kib, 100<<10, ",name,category\n") },
			false, "p.csv:1: longer than 1 MiB", 0},
		{"a 100 MB JSON line", "p.jsonl", func() io.Reader {
			return file(`{"sku":"SV-1","name":"`, kib, 100<<10, `","category":"servo_motor"}`+"\n"+`{"sku":"SV-2","name":"Servo","category":"servo_motor"}`+"\n")
		}, false, "p.jsonl:1: longer than 1 MiB: a row may be at most 1048576 bytes long", 0},
		{"a 100 MB JSON line skipped, the next row applied", "p.jsonl", func() io.Reader {
			return file(`{"sku":"SV-1","name":"`, kib, 100<<10, `","category":"servo_motor"}`+"\n"+`{"sku":"SV-2","name":"Servo","category":"servo_motor"}`+"\n")
		}, true, "", 1},
		{"a JSON object of 150,000 keys", "p.jsonl", func() io.Reader { return file(`{"sku":"SV-1"`, `,"k":0`, 150_000, "}\n") },
			false, "p.jsonl:1: more than 100 keys: a row may have at most 100 columns", 0},
		{"a JSON line just under the limit", "p.jsonl", func() io.Reader {
			return file(`{"sku":"SV-1","category":"servo_motor","name":"`, "x", importer.MaxRecordBytes-100, `"}`+"\n")
		}, false, "", 1},
	}
	for _, e := range engines {
		db := open(t, e)
		for _, tt := range tests {
			t.Run(e.name+"/"+tt.name, func(t *testing.T) {
				o := options(importer.Products, tt.file)
				o.SkipInvalid, o.Rejects = tt.skip, io.Discard
				var res importer.Result
				var err error
				n := allocated(func() { res, err = importer.Import(context.Background(), db.DB, tt.in(), o) })
				t.Logf("allocated %d KiB", n>>10)
				if n > budget {
					t.Errorf("the import allocated %d MB; want at most %d", n>>20, budget>>20)
				}
				if tt.want == "" {
					if err != nil {
						t.Fatal(err)
					}
				} else {
					ie := wantInvalid(t, err, tt.want)
					if len(ie.Error()) > 1000 {
						t.Errorf("the error is %d bytes long", len(ie.Error()))
					}
				}
				if res.Applied != tt.applied {
					t.Errorf("applied %d rows, want %d", res.Applied, tt.applied)
				}
			})
		}
	}
}

// TestErrorsCounted lists the first MaxErrors errors of a header or of the
// rows and counts the rest.
func TestErrorsCounted(t *testing.T) {
	var rows strings.Builder
	rows.WriteString("sku,name,category\n")
	for i := range 150 {
		fmt.Fprintf(&rows, "X-%d,Thing,robot\n", i)
	}
	tests := []struct {
		name, text string
		listed     int
		more       int
	}{
		{"header", "sku,name,category" + strings.Repeat(",nope", 90) + "\n", 10, 80},
		{"rows", rows.String(), 10, 140},
	}
	for _, e := range engines {
		db := open(t, e)
		for _, tt := range tests {
			t.Run(e.name+"/"+tt.name, func(t *testing.T) {
				o := options(importer.Products, "p.csv")
				o.MaxErrors = 10
				_, err := importer.Import(t.Context(), db.DB, strings.NewReader(tt.text), o)
				ie := wantInvalid(t, err)
				if len(ie.Rows) != tt.listed || ie.More != tt.more || !ie.Truncated {
					t.Errorf("%d listed, %d more, truncated %v; want %d, %d, true", len(ie.Rows), ie.More, ie.Truncated, tt.listed, tt.more)
				}
				if want := fmt.Sprintf("%d bad row(s) listed and %d more", tt.listed, tt.more); !strings.Contains(ie.Error(), want) {
					t.Errorf("error %q lacks %q", ie.Error(), want)
				}
			})
		}
	}
}
