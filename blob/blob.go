// Package blob keeps the files of claims (photos, videos, proof of purchase
// documents) outside the database: in a local directory by default, or in
// any store that implements Store (an S3-compatible bucket).
//
// Keys are names the program generates, never user input: Dir refuses any
// key that could leave its directory.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Store keeps blobs by key.
type Store interface {
	// Put stores everything r yields under key and returns its size. When r
	// fails, nothing is stored and the error is returned.
	Put(ctx context.Context, key string, r io.Reader) (int64, error)
	// Open returns the blob and its size; ErrNotFound when there is none.
	Open(ctx context.Context, key string) (io.ReadCloser, int64, error)
	// Delete removes the blob; deleting a missing blob is not an error.
	Delete(ctx context.Context, key string) error
}

// ErrNotFound is returned by Open for a key that holds no blob.
var ErrNotFound = errors.New("blob not found")

// Dir is a Store in a local directory. Each blob is a file, written to a
// temporary name, synced and renamed, so a reader never sees half a blob and
// a crash leaves at most a stray temporary file.
type Dir struct {
	path string
}

var _ Store = (*Dir)(nil)

// NewDir returns a Store in the directory path, which it creates if needed.
func NewDir(path string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, fmt.Errorf("blob directory: %w", err)
	}
	return &Dir{path: path}, nil
}

// ValidKey reports whether key is a name Dir accepts: 3 to 128 ASCII
// letters, digits, '-' and '_', so no key can name a path outside the
// directory or a hidden or temporary file.
func ValidKey(key string) bool {
	if len(key) < 3 || len(key) > 128 {
		return false
	}
	for _, c := range []byte(key) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// file returns the path of key. Blobs fan out by the key's first two
// characters, so no directory grows to millions of entries.
func (d *Dir) file(key string) (string, error) {
	if !ValidKey(key) {
		return "", fmt.Errorf("blob key %q: only letters, digits, '-' and '_', 3 to 128 of them", key)
	}
	return filepath.Join(d.path, key[:2], key), nil
}

// Put writes r to the blob key.
func (d *Dir) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	name, err := d.file(key)
	if err != nil {
		return 0, err
	}
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, fmt.Errorf("put blob %s: %w", key, err)
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return 0, fmt.Errorf("put blob %s: %w", key, err)
	}
	n, err := copyCtx(ctx, tmp, r)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return 0, fmt.Errorf("put blob %s: %w", key, err)
	}
	// The rename is durable only once the directory entry is.
	if err := syncDir(dir); err != nil {
		return 0, fmt.Errorf("put blob %s: %w", key, err)
	}
	return n, nil
}

// copyCtx copies like io.Copy but stops when ctx is done: a client that
// goes away stops the upload.
func copyCtx(ctx context.Context, w io.Writer, r io.Reader) (int64, error) {
	buf := make([]byte, 64<<10)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		m, rerr := r.Read(buf)
		if m > 0 {
			if _, err := w.Write(buf[:m]); err != nil {
				return n, err
			}
			n += int64(m)
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, rerr
		}
	}
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Open returns the blob key for reading.
func (d *Dir) Open(_ context.Context, key string) (io.ReadCloser, int64, error) {
	name, err := d.file(key)
	if err != nil {
		return nil, 0, err
	}
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, fmt.Errorf("open blob %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("open blob %s: %w", key, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("open blob %s: %w", key, err)
	}
	return f, st.Size(), nil
}

// Delete removes the blob key.
func (d *Dir) Delete(_ context.Context, key string) error {
	name, err := d.file(key)
	if err != nil {
		return err
	}
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete blob %s: %w", key, err)
	}
	return nil
}

// String names the directory, for logs.
func (d *Dir) String() string { return "dir:" + strings.TrimSuffix(d.path, string(filepath.Separator)) }
