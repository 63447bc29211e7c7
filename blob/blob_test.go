package blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/blob"
)

func TestDirRoundTrip(t *testing.T) {
	root := t.TempDir()
	d, err := blob.NewDir(filepath.Join(root, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("0123456789"), 20000) // more than one copy buffer
	n, err := d.Put(t.Context(), "ab12cd", bytes.NewReader(data))
	if err != nil || n != int64(len(data)) {
		t.Fatalf("Put = %d, %v; want %d, nil", n, err, len(data))
	}
	r, size, err := d.Open(t.Context(), "ab12cd")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || size != int64(len(data)) || !bytes.Equal(got, data) {
		t.Fatalf("Open: size %d, %d bytes read, err %v; want %d", size, len(got), err, len(data))
	}
	if err := d.Delete(t.Context(), "ab12cd"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.Open(t.Context(), "ab12cd"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Open after Delete: %v, want ErrNotFound", err)
	}
	if err := d.Delete(t.Context(), "ab12cd"); err != nil {
		t.Errorf("second Delete: %v, want nil", err)
	}
	if left := files(t, root); len(left) != 0 {
		t.Errorf("files left: %v", left)
	}
}

func TestDirRefusesBadKeys(t *testing.T) {
	root := t.TempDir()
	d, err := blob.NewDir(filepath.Join(root, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"", "ab", "../../etc/passwd", "ab/cd", `ab\cd`, "..", ".hidden", "ab cd",
		"ab.html", "é-key", strings.Repeat("a", 129)} {
		if _, err := d.Put(t.Context(), key, strings.NewReader("x")); err == nil {
			t.Errorf("Put(%q) succeeded", key)
		}
		if _, _, err := d.Open(t.Context(), key); err == nil || errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Open(%q) = %v, want a refusal", key, err)
		}
		if err := d.Delete(t.Context(), key); err == nil {
			t.Errorf("Delete(%q) succeeded", key)
		}
	}
	if left := files(t, root); len(left) != 0 {
		t.Errorf("files written: %v", left)
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("connection reset")
	}
	m := min(len(p), r.n)
	r.n -= m
	return m, nil
}

// TestDirFailedPutLeavesNothing: a reader that fails half-way (a client
// gone, a size limit hit) leaves neither the blob nor a temporary file.
func TestDirFailedPutLeavesNothing(t *testing.T) {
	root := t.TempDir()
	d, err := blob.NewDir(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Put(t.Context(), "key-1", &failingReader{n: 100000}); err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Fatalf("Put = %v, want the reader's error", err)
	}
	if left := files(t, root); len(left) != 0 {
		t.Errorf("files left: %v", left)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := d.Put(ctx, "key-2", strings.NewReader("data")); err == nil {
		t.Error("Put with a cancelled context succeeded")
	}
	if left := files(t, root); len(left) != 0 {
		t.Errorf("files left: %v", left)
	}
}

// files lists the regular files under root.
func files(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(path string, e os.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			out = append(out, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
