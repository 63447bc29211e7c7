package blob

import (
	"bytes"
	"encoding/binary"
	"slices"
)

// The kinds of evidence Sniff recognises.
const (
	KindPhoto    = "photo"
	KindVideo    = "video"
	KindDocument = "document"
)

// SniffLen is how many leading bytes Sniff needs to decide.
const SniffLen = 512

// Sniff recognises a file by its first bytes (SniffLen is enough), never by
// its name or declared type: JPEG, PNG, WebP and HEIC/HEIF photos; MP4,
// QuickTime and WebM videos; PDF documents. Anything else is not ok, so
// HTML, SVG, scripts and executables are refused whatever they claim to be.
func Sniff(head []byte) (kind, contentType string, ok bool) {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return KindPhoto, "image/jpeg", true
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return KindPhoto, "image/png", true
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return KindPhoto, "image/webp", true
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return KindDocument, "application/pdf", true
	case bytes.HasPrefix(head, []byte{0x1A, 0x45, 0xDF, 0xA3}):
		if ebmlDocType(head[4:]) == "webm" {
			return KindVideo, "video/webm", true
		}
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		return sniffFtyp(head)
	}
	return "", "", false
}

// ftypBrands maps ISO base media brands to what they hold.
var ftypBrands = map[string][2]string{
	"heic": {KindPhoto, "image/heic"}, "heix": {KindPhoto, "image/heic"},
	"heim": {KindPhoto, "image/heic"}, "heis": {KindPhoto, "image/heic"},
	"hevc": {KindPhoto, "image/heic-sequence"}, "hevx": {KindPhoto, "image/heic-sequence"},
	"mif1": {KindPhoto, "image/heif"}, "msf1": {KindPhoto, "image/heif-sequence"},
	"isom": {KindVideo, "video/mp4"}, "iso2": {KindVideo, "video/mp4"}, "iso4": {KindVideo, "video/mp4"},
	"iso5": {KindVideo, "video/mp4"}, "iso6": {KindVideo, "video/mp4"}, "mp41": {KindVideo, "video/mp4"},
	"mp42": {KindVideo, "video/mp4"}, "avc1": {KindVideo, "video/mp4"}, "dash": {KindVideo, "video/mp4"},
	"mmp4": {KindVideo, "video/mp4"}, "M4V ": {KindVideo, "video/mp4"}, "M4VH": {KindVideo, "video/mp4"},
	"M4VP": {KindVideo, "video/mp4"}, "qt  ": {KindVideo, "video/quicktime"},
}

// audioBrands are MP4 files without pictures: their compatible brands
// (isom, mp42) must not make them videos.
var audioBrands = []string{"M4A ", "M4B ", "M4P ", "F4A ", "F4B "}

// sniffFtyp reads an ISO base media 'ftyp' box: the major brand decides;
// an unknown one falls back to the first known compatible brand.
func sniffFtyp(head []byte) (kind, contentType string, ok bool) {
	size := int(binary.BigEndian.Uint32(head[:4]))
	if size < 16 || size%4 != 0 {
		return "", "", false
	}
	major := string(head[8:12])
	if k, found := ftypBrands[major]; found {
		return k[0], k[1], true
	}
	if slices.Contains(audioBrands, major) {
		return "", "", false
	}
	end := min(size, len(head))
	for i := 16; i+4 <= end; i += 4 {
		if k, found := ftypBrands[string(head[i:i+4])]; found {
			return k[0], k[1], true
		}
	}
	return "", "", false
}

// ebmlDocType returns the DocType of an EBML header (b starts after the
// magic number): "webm" or "matroska"; "" when it cannot be read.
func ebmlDocType(b []byte) string {
	size, n := vint(b, true)
	if n == 0 {
		return ""
	}
	b = b[n:]
	if size < uint64(len(b)) {
		b = b[:size]
	}
	for len(b) > 0 {
		id, idLen := vint(b, false)
		if idLen == 0 || idLen > 4 {
			return ""
		}
		size, sizeLen := vint(b[idLen:], true)
		if sizeLen == 0 {
			return ""
		}
		data := b[idLen+sizeLen:]
		if size > uint64(len(data)) {
			return ""
		}
		if id == 0x4282 {
			return string(bytes.TrimRight(data[:size], "\x00"))
		}
		b = data[size:]
	}
	return ""
}

// vint reads an EBML variable-length integer: the count of leading zero
// bits of the first byte gives its length. Sizes drop the length marker,
// element IDs keep it. n is 0 when b does not hold one.
func vint(b []byte, dropMarker bool) (v uint64, n int) {
	if len(b) == 0 || b[0] == 0 {
		return 0, 0
	}
	for n = 1; b[0]&(0x80>>(n-1)) == 0; n++ {
	}
	if n > len(b) {
		return 0, 0
	}
	v = uint64(b[0])
	if dropMarker {
		v &= uint64(0xFF >> n)
	}
	for _, c := range b[1:n] {
		v = v<<8 | uint64(c)
	}
	return v, n
}
