package blob_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/aftersale/aftersale/blob"
)

// box builds an ISO base media box of the given type around its payloads.
func box(typ string, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return append(append(b, typ...), body...)
}

// bigBox is a box with a 64-bit size (size field 1).
func bigBox(typ string, payload []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, 1)
	b = append(b, typ...)
	b = binary.BigEndian.AppendUint64(b, uint64(16+len(payload)))
	return append(b, payload...)
}

func mp4Parts() (ftypBox, moov, mdat []byte) {
	ftypBox = box("ftyp", []byte("isom\x00\x00\x02\x00isomiso2avc1mp41"))
	moov = box("moov", box("mvhd", make([]byte, 100)), box("trak", box("tkhd", make([]byte, 84)), box("mdia", make([]byte, 40))))
	mdat = box("mdat", make([]byte, 4000))
	return
}

// el builds an EBML element: its ID bytes and a one- or eight-byte size.
func el(id []byte, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	b := append([]byte{}, id...)
	if len(body) < 127 {
		b = append(b, 0x80|byte(len(body)))
	} else { // eight bytes: the marker 0x01, then seven of the size
		b = append(b, 0x01)
		b = append(b, binary.BigEndian.AppendUint64(nil, uint64(len(body)))[1:]...)
	}
	return append(b, body...)
}

var (
	idSegment = []byte{0x18, 0x53, 0x80, 0x67}
	idInfo    = []byte{0x15, 0x49, 0xA9, 0x66}
	idTracks  = []byte{0x16, 0x54, 0xAE, 0x6B}
	idCluster = []byte{0x1F, 0x43, 0xB6, 0x75}
	unknown8  = []byte{0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}
)

func webmHeader() []byte {
	return el([]byte{0x1A, 0x45, 0xDF, 0xA3}, []byte{0x42, 0x86, 0x81, 0x01}, []byte{0x42, 0x82, 0x84}, []byte("webm"))
}

func webmBody() (info, tracks, cluster []byte) {
	info = el(idInfo, []byte{0x2A, 0xD7, 0xB1, 0x83, 0x0F, 0x42, 0x40})
	tracks = el(idTracks, el([]byte{0xAE}, []byte{0xD7, 0x81, 0x01}))
	cluster = el(idCluster, []byte{0xE7, 0x81, 0x00}, el([]byte{0xA3}, make([]byte, 300)))
	return
}

func TestVerify(t *testing.T) {
	ft, moov, mdat := mp4Parts()
	info, tracks, cluster := webmBody()
	sizeZeroMdat := append(binary.BigEndian.AppendUint32(nil, 0), "mdat"...)
	tests := []struct {
		name, contentType string
		file              []byte
		ok                bool
	}{
		{"mp4, moov first", "video/mp4", cat(ft, moov, mdat), true},
		{"mp4, moov last", "video/mp4", cat(ft, mdat, moov), true},
		{"mov with free space", "video/quicktime", cat(ft, box("wide"), mdat, box("free", make([]byte, 10)), moov), true},
		{"mp4, 64-bit mdat", "video/mp4", cat(ft, moov, bigBox("mdat", make([]byte, 500))), true},
		{"mp4, last mdat to the end", "video/mp4", cat(ft, moov, sizeZeroMdat, make([]byte, 900)), true},
		{"zeros after ftyp", "video/mp4", cat(ft, make([]byte, 1<<16)), false},
		{"ftyp then mdat of zeros, no moov", "video/mp4", cat(ft, mdat), false},
		{"moov without track", "video/mp4", cat(ft, box("moov", box("mvhd", make([]byte, 100))), mdat), false},
		{"no media data", "video/mp4", cat(ft, moov), false},
		{"cut short", "video/mp4", cat(ft, moov, mdat)[:len(ft)+len(moov)+100], false},
		{"cut in a header", "video/mp4", cat(ft, moov, mdat, []byte{0, 0, 0}), false},
		{"box smaller than its header", "video/mp4", cat(ft, []byte{0, 0, 0, 4}, []byte("free"), moov, mdat), false},
		{"child past the end of moov", "video/mp4", cat(ft, box("moov", box("mvhd", make([]byte, 100)))[:8+8], box("trak", make([]byte, 50)), mdat), false},
		{"moov not first box but ftyp missing", "video/mp4", cat(moov, mdat), false},
		{"webm", "video/webm", cat(webmHeader(), el(idSegment, info, tracks, cluster, cluster)), true},
		{"webm as browsers record it", "video/webm", cat(webmHeader(), idSegment, unknown8, info, tracks,
			idCluster, unknown8, []byte{0xE7, 0x81, 0x00}, el([]byte{0xA3}, make([]byte, 200)),
			idCluster, unknown8, []byte{0xE7, 0x81, 0x10}, el([]byte{0xA3}, make([]byte, 200))), true},
		{"webm of zeros", "video/webm", cat(webmHeader(), make([]byte, 1<<16)), false},
		{"webm without tracks", "video/webm", cat(webmHeader(), el(idSegment, info, cluster)), false},
		{"webm without clusters", "video/webm", cat(webmHeader(), el(idSegment, info, tracks)), false},
		{"webm cut short", "video/webm", cat(webmHeader(), el(idSegment, info, tracks, cluster))[:200], false},
		{"webm element past the segment", "video/webm", cat(webmHeader(), idSegment, []byte{0x80 | 10}, info, tracks, cluster), false},
	}
	for _, tt := range tests {
		for _, chunk := range []int{1, 7, 1 << 20} {
			v := blob.Verify(tt.contentType)
			if v == nil {
				t.Fatalf("%s: no verifier for %s", tt.name, tt.contentType)
			}
			var err error
			for b := tt.file; len(b) > 0 && err == nil; {
				k := min(chunk, len(b))
				_, err = v.Write(b[:k])
				b = b[k:]
			}
			if err == nil {
				err = v.Finish()
			}
			if (err == nil) != tt.ok || err != nil && !errors.Is(err, blob.ErrMalformed) {
				t.Errorf("%s, in chunks of %d: %v; want ok %v", tt.name, chunk, err, tt.ok)
			}
		}
	}
}

// TestVerifyStopsEarly: junk is refused at its first bytes, not after the
// whole upload.
func TestVerifyStopsEarly(t *testing.T) {
	ft, _, _ := mp4Parts()
	v := blob.Verify("video/mp4")
	if _, err := v.Write(ft); err != nil {
		t.Fatal(err)
	}
	if n, err := v.Write(make([]byte, 1<<20)); err == nil || n > 8 {
		t.Errorf("Write of zeros after ftyp = %d, %v; want refused at once", n, err)
	}
	if blob.Verify("image/jpeg") != nil || blob.Verify("application/pdf") != nil {
		t.Error("photos and documents have no verifier")
	}
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
