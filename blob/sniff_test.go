package blob_test

import (
	"encoding/binary"
	"testing"

	"github.com/aftersale/aftersale/blob"
)

// ftyp builds an ISO base media file's first box with its brands.
func ftyp(major string, compatible ...string) []byte {
	b := make([]byte, 16, 16+4*len(compatible)+8)
	binary.BigEndian.PutUint32(b, uint32(16+4*len(compatible)))
	copy(b[4:], "ftyp")
	copy(b[8:], major)
	for _, c := range compatible {
		b = append(b, c...)
	}
	return append(b, 0, 0, 0, 8, 'm', 'd', 'a', 't')
}

// ebml builds an EBML header with a DocType element, as WebM and
// Matroska files start.
func ebml(docType string) []byte {
	body := []byte{0x42, 0x86, 0x81, 0x01} // EBMLVersion 1
	body = append(body, 0x42, 0x82, 0x80|byte(len(docType)))
	body = append(body, docType...)
	b := []byte{0x1A, 0x45, 0xDF, 0xA3, 0x80 | byte(len(body))}
	return append(append(b, body...), 0x18, 0x53, 0x80, 0x67) // then a Segment
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name     string
		head     []byte
		kind, ct string
	}{
		{"jpeg", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), blob.KindPhoto, "image/jpeg"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), blob.KindPhoto, "image/png"},
		{"webp", []byte("RIFF\x24\x00\x00\x00WEBPVP8 "), blob.KindPhoto, "image/webp"},
		{"heic", ftyp("heic", "mif1", "heic"), blob.KindPhoto, "image/heic"},
		{"heif", ftyp("mif1", "heic"), blob.KindPhoto, "image/heif"},
		{"heic sequence", ftyp("hevc", "msf1"), blob.KindPhoto, "image/heic-sequence"},
		{"mp4 isom", ftyp("isom", "isom", "iso2", "avc1", "mp41"), blob.KindVideo, "video/mp4"},
		{"mp4 mp42", ftyp("mp42", "mp42", "isom"), blob.KindVideo, "video/mp4"},
		{"m4v", ftyp("M4V ", "M4V ", "mp42"), blob.KindVideo, "video/mp4"},
		{"mov", ftyp("qt  ", "qt  "), blob.KindVideo, "video/quicktime"},
		{"unknown major, known compatible", ftyp("xxxx", "yyyy", "mp41"), blob.KindVideo, "video/mp4"},
		{"webm", ebml("webm"), blob.KindVideo, "video/webm"},
		{"pdf", []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"), blob.KindDocument, "application/pdf"},
		// Refused, whatever the name or declared type.
		{"html", []byte("<!DOCTYPE html><html><script>alert(1)</script>"), "", ""},
		{"html after spaces", []byte("  \n<html>"), "", ""},
		{"svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">`), "", ""},
		{"exe", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), "", ""},
		{"elf", []byte("\x7FELF\x02\x01\x01"), "", ""},
		{"text named photo.jpg", []byte("this is not a photo.jpg"), "", ""},
		{"zip", []byte("PK\x03\x04\x14\x00"), "", ""},
		{"gif", []byte("GIF89a\x01\x00"), "", ""},
		{"riff wave", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), "", ""},
		{"m4a audio", ftyp("M4A ", "M4A ", "mp42", "isom"), "", ""},
		{"avif", ftyp("avif", "avif", "miaf"), "", ""},
		{"ftyp too short a box", append([]byte{0, 0, 0, 8}, "ftypisom"...), "", ""},
		{"matroska", ebml("matroska"), "", ""},
		{"ebml cut short", []byte{0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x82}, "", ""},
		{"ebml zero byte", []byte{0x1A, 0x45, 0xDF, 0xA3, 0x00}, "", ""},
		{"empty", nil, "", ""},
		{"one byte", []byte{0xFF}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, ct, ok := blob.Sniff(tt.head)
			if kind != tt.kind || ct != tt.ct || ok != (tt.kind != "") {
				t.Errorf("Sniff = %q, %q, %v; want %q, %q, %v", kind, ct, ok, tt.kind, tt.ct, tt.kind != "")
			}
		})
	}
}

// FuzzSniff: no input makes Sniff panic, and what it accepts has a kind
// and a type that is never text.
func FuzzSniff(f *testing.F) {
	f.Add(ebml("webm"))
	f.Add(ftyp("isom", "mp41"))
	f.Add([]byte("<html>"))
	f.Fuzz(func(t *testing.T, head []byte) {
		kind, ct, ok := blob.Sniff(head)
		if ok && (kind == "" || ct == "" || ct == "text/html") {
			t.Errorf("Sniff(%q) = %q, %q", head, kind, ct)
		}
	})
}
