package aftersale_test

import (
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
)

func TestCleanFileName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"photo.jpg", "photo.jpg"},
		{"  Foto vom Schaden.JPG ", "Foto vom Schaden.JPG"},
		{"C:\\Users\\bob\\receipt.pdf", "receipt.pdf"},
		{"../../etc/passwd", "passwd"},
		{"a/b/", ""},
		{"..", ""},
		{"evil\r\nSet-Cookie: x.jpg", "evilSet-Cookie: x.jpg"},
		{"photo\u202Egpj.exe", "photogpj.exe"}, // a right-to-left override hides the real extension
		{`"><script>.jpg`, "script.jpg"},
		{"bad\xffutf8.png", "badutf8.png"},
		{"故障写真.jpg", "故障写真.jpg"},
		{strings.Repeat("é", 300), strings.Repeat("é", aftersale.MaxFileNameLen)},
	}
	for _, tt := range tests {
		if got := aftersale.CleanFileName(tt.in); got != tt.want {
			t.Errorf("CleanFileName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
