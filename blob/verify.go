package blob

import (
	"errors"
	"fmt"
	"slices"
)

// A video's first bytes name its container, nothing more: 150 MB of zeros
// after an 'ftyp' box passes Sniff. A Verifier reads the rest of the file
// as it streams to the store (Write), keeping only a box or element header
// at a time, and Finish says whether it was a whole container.

// Verifier checks a file's structure as it streams past. Write fails as
// soon as the structure is broken, so a long upload of junk stops early;
// Finish, after the last byte, reports what the whole file lacks. An alias
// of an unnamed interface: workflow declares the same type without
// importing blob.
type Verifier = interface {
	Write(p []byte) (int, error)
	Finish() error
}

// ErrMalformed is in the chain of every Verifier's refusal.
var ErrMalformed = errors.New("not a playable container")

// Verify returns the Verifier of a content type Sniff returns: MP4 and
// QuickTime (ISO base media boxes) and WebM (EBML elements). Other types
// have none: nil.
func Verify(contentType string) Verifier {
	switch contentType {
	case "video/mp4", "video/quicktime":
		return &isoVerifier{}
	case "video/webm":
		return &webmVerifier{}
	}
	return nil
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// isoVerifier walks ISO base media boxes (ISO/IEC 14496-12): the first box
// is 'ftyp'; every box has a printable four-character type and a size at
// least its header that fits in its parent; the file ends on a box
// boundary; it holds a 'moov' box with an 'mvhd' and at least one 'trak',
// and media data ('mdat'). It descends into 'moov' and reads the headers
// of its children only: the payloads are skipped as they pass.
type isoVerifier struct {
	pos     int64
	hdr     [16]byte
	have    int   // header bytes gathered
	skip    int64 // payload bytes still to pass
	toEOF   bool  // a box of size 0 runs to the end of the file
	inMoov  bool
	moovEnd int64
	boxes   int
	seen    map[string]bool
	err     error
}

func (v *isoVerifier) Write(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	n := len(p)
	for len(p) > 0 {
		if v.toEOF {
			v.pos += int64(len(p))
			return n, nil
		}
		if v.skip > 0 {
			k := int64(len(p))
			if k > v.skip {
				k = v.skip
			}
			v.skip -= k
			v.pos += k
			p = p[k:]
			v.leaveMoov()
			continue
		}
		need := 8
		if v.have >= 8 && be32(v.hdr[:4]) == 1 {
			need = 16 // a 64-bit size follows the type
		}
		k := copy(v.hdr[v.have:need], p)
		v.have += k
		v.pos += int64(k)
		p = p[k:]
		if v.have < need {
			continue
		}
		if need == 8 && be32(v.hdr[:4]) == 1 {
			continue
		}
		if v.err = v.box(need); v.err != nil {
			return n - len(p), v.err
		}
		v.have = 0
		v.leaveMoov()
	}
	return n, nil
}

// box checks the header just read (hlen bytes, ending at v.pos).
func (v *isoVerifier) box(hlen int) error {
	typ := string(v.hdr[4:8])
	start := v.pos - int64(hlen)
	if !printableType(v.hdr[4:8]) {
		return malformed("box at byte %d has no type (%q)", start, typ)
	}
	size := int64(be32(v.hdr[:4]))
	if hlen == 16 {
		size = int64(be64(v.hdr[8:16]))
		if size < 0 {
			return malformed("box %q at byte %d is larger than any file", typ, start)
		}
	}
	if v.seen == nil {
		if typ != "ftyp" {
			return malformed("the first box is %q, not ftyp", typ)
		}
		v.seen = map[string]bool{}
	}
	v.boxes++
	if v.inMoov {
		v.seen["moov/"+typ] = true
	} else {
		v.seen[typ] = true
	}
	switch {
	case size == 0 && !v.inMoov:
		v.toEOF = true // allowed for the last box of the file only
		return nil
	case size < int64(hlen):
		return malformed("box %q at byte %d is %d bytes, less than its header", typ, start, size)
	case v.inMoov && start+size > v.moovEnd:
		return malformed("box %q at byte %d runs past the end of its moov box", typ, start)
	}
	if typ == "moov" && !v.inMoov {
		v.inMoov, v.moovEnd = true, start+size
		return nil
	}
	v.skip = size - int64(hlen)
	return nil
}

// leaveMoov closes the moov box when its last child ends.
func (v *isoVerifier) leaveMoov() {
	if v.inMoov && v.skip == 0 && v.have == 0 && v.pos == v.moovEnd {
		v.inMoov = false
	}
}

func (v *isoVerifier) Finish() error {
	switch {
	case v.err != nil:
		return v.err
	case v.seen == nil:
		return malformed("the file holds no box")
	case !v.toEOF && (v.skip > 0 || v.have > 0 || v.inMoov):
		return malformed("the file ends inside a box (byte %d)", v.pos)
	case v.toEOF && v.inMoov:
		return malformed("the moov box is cut short")
	case !v.seen["moov"]:
		return malformed("no moov box: the file describes no track")
	case !v.seen["moov/mvhd"] || !v.seen["moov/trak"]:
		return malformed("the moov box has no movie header or no track")
	case !v.seen["mdat"]:
		return malformed("no media data (mdat box)")
	}
	return nil
}

// printableType reports whether a box type is four printable characters
// (QuickTime also uses ©, 0xA9).
func printableType(b []byte) bool {
	for _, c := range b {
		if (c < 0x20 || c > 0x7E) && c != 0xA9 {
			return false
		}
	}
	return true
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func be64(b []byte) uint64 { return uint64(be32(b[:4]))<<32 | uint64(be32(b[4:8])) }

// EBML element IDs of WebM (Matroska) a verifier knows.
const (
	idEBML    = 0x1A45DFA3
	idSegment = 0x18538067
	idCluster = 0x1F43B675
	idTracks  = 0x1654AE6B
	idVoid    = 0xEC
	idCRC32   = 0xBF
)

// segmentChildren are the elements that may stand at the top of a Segment.
var segmentChildren = []uint64{0x114D9B74 /* SeekHead */, 0x1549A966 /* Info */, idTracks, idCluster,
	0x1C53BB6B /* Cues */, 0x1941A469 /* Attachments */, 0x1043A770 /* Chapters */, 0x1254C367, /* Tags */
	idVoid, idCRC32}

// webmVerifier walks a WebM file's elements: the EBML header (Sniff read
// its DocType), then one Segment whose children are Segment elements with
// sizes that fit in it, among them Tracks and at least one Cluster. A
// Segment or Cluster of unknown size (as browsers record) is allowed: a
// Cluster of unknown size ends where the next Segment element starts.
type webmVerifier struct {
	pos      int64
	hdr      [12]byte
	have     int
	skip     int64
	stage    int   // 0: the EBML header is next; 1: the Segment; 2: inside it
	segEnd   int64 // -1: unknown size, to the end of the file
	inClust  bool  // inside a Cluster of unknown size
	tracks   bool
	clusters int
	err      error
}

func (v *webmVerifier) Write(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	n := len(p)
	for len(p) > 0 {
		if v.skip > 0 {
			k := min(int64(len(p)), v.skip)
			v.skip -= k
			v.pos += k
			p = p[k:]
			continue
		}
		if v.stage == 2 && v.segEnd >= 0 && v.pos >= v.segEnd {
			v.err = malformed("data after the Segment ends (byte %d)", v.pos)
			return n - len(p), v.err
		}
		v.hdr[v.have] = p[0]
		v.have++
		v.pos++
		p = p[1:]
		id, idLen := vint(v.hdr[:v.have], false)
		if v.have == 1 && (v.hdr[0] == 0 || v.hdr[0]&0xF0 == 0) {
			v.err = malformed("no element at byte %d", v.pos-1)
			return n - len(p), v.err
		}
		if idLen == 0 {
			continue
		}
		size, sizeLen := vint(v.hdr[idLen:v.have], true)
		if v.have > idLen && v.hdr[idLen] == 0 {
			v.err = malformed("element at byte %d has no size", v.pos-int64(v.have))
			return n - len(p), v.err
		}
		if sizeLen == 0 {
			continue
		}
		unknown := size == 1<<(7*sizeLen)-1
		if v.err = v.element(id, size, unknown); v.err != nil {
			return n - len(p), v.err
		}
		v.have = 0
	}
	return n, nil
}

// element checks an element's header, just read (ending at v.pos).
func (v *webmVerifier) element(id, size uint64, unknown bool) error {
	start := v.pos - int64(v.have)
	switch v.stage {
	case 0:
		if id != idEBML || unknown {
			return malformed("no EBML header")
		}
		v.stage, v.skip = 1, int64(size)
		return nil
	case 1:
		if id != idSegment {
			return malformed("no Segment after the EBML header")
		}
		v.stage, v.segEnd = 2, -1
		if !unknown {
			v.segEnd = v.pos + int64(size)
		}
		return nil
	}
	top := slices.Contains(segmentChildren, id)
	if v.inClust && !top {
		// A Cluster's block or timestamp: any element, of known size.
		if unknown {
			return malformed("element at byte %d inside a Cluster has no size", start)
		}
		return v.within(start, size)
	}
	v.inClust = false
	if !top {
		return malformed("element %X at byte %d is not a Segment element", id, start)
	}
	switch id {
	case idTracks:
		v.tracks = true
	case idCluster:
		v.clusters++
		if unknown {
			v.inClust = true
			return nil
		}
	}
	if unknown {
		return malformed("element %X at byte %d has no size", id, start)
	}
	return v.within(start, size)
}

// within skips an element's payload when it fits in the Segment.
func (v *webmVerifier) within(start int64, size uint64) error {
	if size > 1<<62 || v.segEnd >= 0 && v.pos+int64(size) > v.segEnd {
		return malformed("element at byte %d runs past the end of the Segment", start)
	}
	v.skip = int64(size)
	return nil
}

func (v *webmVerifier) Finish() error {
	switch {
	case v.err != nil:
		return v.err
	case v.stage < 2:
		return malformed("no Segment")
	case v.skip > 0 || v.have > 0 || v.segEnd >= 0 && v.pos != v.segEnd:
		return malformed("the file ends inside an element (byte %d)", v.pos)
	case !v.tracks:
		return malformed("no Tracks element: the file describes no track")
	case v.clusters == 0:
		return malformed("no Cluster: the file holds no frame")
	}
	return nil
}
