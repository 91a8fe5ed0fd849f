// Package atomicfile replaces files so that a reader or a crash sees either
// the old file or the whole new one, never a part.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
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

// Output writes a command's -o file: atomically (a temporary file in the same
// directory, renamed over it) for a regular file, keeping the mode an
// existing file has; directly for a device or a pipe (/dev/null, a FIFO).
// Missing directories are created, as the store's are. Every error is one
// line that names path, never the temporary file.
func Output(path string, write func(io.Writer) error) error {
	fail := func(why string) error { return fmt.Errorf("write %s: %s", path, why) }
	perm := os.FileMode(0o644)
	switch fi, err := os.Stat(path); {
	case err == nil && fi.IsDir():
		return fail("it is a directory; give a file name for -o")
	case err == nil && !fi.Mode().IsRegular():
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return fail(reason(err))
		}
		bw := bufio.NewWriterSize(f, 64<<10)
		err = errors.Join(write(bw), bw.Flush())
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fail(reason(err))
		}
		return nil
	case err == nil:
		perm = fi.Mode().Perm()
	case errors.Is(err, syscall.ENOTDIR):
		return fail("a part of the path is a file, not a directory")
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		if errors.Is(err, syscall.ENOTDIR) {
			return fail("a part of the path is a file, not a directory")
		}
		return fail("cannot create its directory " + dir + ": " + reason(err))
	}
	if err := Write(path, perm, write); err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist): // /proc, /sys: the directory is there, new files are not allowed
			return fail("the file system of " + dir + " takes no new files; choose another -o path")
		case errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS):
			return fail("cannot create a file in " + dir + " (" + reason(err) + "); choose another -o path")
		}
		return fail(reason(err))
	}
	return nil
}

// reason is what went wrong, without the path an *fs.PathError carries:
// the path named would be the temporary file's.
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return err.Error()
}

// ToOutput writes with write to the -o file path as Output does, or to
// stdout, buffered, when path is "" or "-". On stdout a write that fails
// leaves unwritten what is still buffered.
func ToOutput(stdout io.Writer, path string, write func(io.Writer) error) error {
	if path != "" && path != "-" {
		return Output(path, write)
	}
	bw := bufio.NewWriterSize(stdout, 64<<10)
	if err := write(bw); err != nil {
		return err
	}
	return bw.Flush()
}
