// Package atomicfile replaces files so that a reader or a crash sees either
// the old file or the whole new one, never a part.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write replaces path with what write writes, through a temporary file in
// the same directory that gets mode perm before any byte is written, is
// synced, and is renamed over path. On any error the temporary file is
// removed and path is left as it was.
func Write(path string, perm os.FileMode, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteSecret replaces path with b as a secret file: mode 0600, in a
// directory created with mode 0700 if it is missing.
func WriteSecret(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return Write(path, 0o600, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// ErrNotRegular is the error of ReadSecret for a path that is not a
// regular file.
var ErrNotRegular = errors.New("not a regular file")

// ReadSecret reads the secret file at path. A mode wider than 0600 is
// narrowed first and returned as widened (0 when it was not). An absent
// file gives an error matching fs.ErrNotExist; a directory or device one
// matching ErrNotRegular.
func ReadSecret(path string) (b []byte, widened os.FileMode, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("%s: %w", path, ErrNotRegular)
	}
	if perm := fi.Mode().Perm(); perm&^0o600 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return nil, 0, fmt.Errorf("narrow mode to 0600: %w", err)
		}
		widened = perm
	}
	b, err = os.ReadFile(path)
	return b, widened, err
}
