//go:build !linux

package outdir

import (
	"io"
	"os"
)

// createFile creates path, which must not exist, with parts one after the other (fsynced when
// sync is set) and returns its stamp as written (none here: see stampOf).
func createFile(path string, sync bool, parts ...[]byte) (stamp, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return stamp{}, err
	}
	for _, part := range parts {
		if _, err := f.Write(part); err != nil {
			f.Close()
			return stamp{}, err
		}
	}
	if sync {
		if err := f.Sync(); err != nil {
			f.Close()
			return stamp{}, err
		}
	}
	return stamp{}, f.Close()
}

// readFile reads the first len(buf) bytes of the file path into buf (fewer when the file is
// shorter); the caller has checked it is a regular file.
func readFile(path string, buf []byte) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n, err := io.ReadFull(f, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return n, err
}
