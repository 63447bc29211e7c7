package aftersale

import (
	"strings"
	"time"
	"unicode"
)

// EvidenceKind is what a file attached to a claim shows.
type EvidenceKind string

// The kinds of evidence.
const (
	EvidencePhoto    EvidenceKind = "photo"    // JPEG, PNG, WebP, HEIC
	EvidenceVideo    EvidenceKind = "video"    // MP4, QuickTime, WebM
	EvidenceDocument EvidenceKind = "document" // a proof of purchase (PDF)
)

// Evidence is a file attached to a claim. The file itself is a blob under
// BlobKey, a generated name; Name is the uploader's file name, kept for
// display only.
type Evidence struct {
	ID          int64
	ClaimID     int64
	Kind        EvidenceKind
	ContentType string // recognised from the content, never taken from the client
	Size        int64
	SHA256      string // hex
	BlobKey     string
	Name        string
	UploadedBy  string // the actor, as in the history
	UploadedAt  time.Time
}

// Message is one post in a claim's thread. An internal note is for staff
// only: the customer and the distributor never see it.
type Message struct {
	ID       int64
	ClaimID  int64
	Author   string
	Body     string
	Internal bool
	At       time.Time
}

// MaxFileNameLen is the longest file name kept, in characters.
const MaxFileNameLen = 200

// CleanFileName makes a client's file name safe to show: the last path
// element only, no control or format characters, no quotes, at most
// MaxFileNameLen characters, valid UTF-8. It may return "".
func CleanFileName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '"' || r == '\'' || r == '<' || r == '>' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > MaxFileNameLen {
		name = string(r[:MaxFileNameLen])
	}
	if name == "." || name == ".." {
		return ""
	}
	return name
}
