//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows)

package outdir

import "os"

// tryLock only opens path: these systems have no flock in the syscall package, so concurrent
// runs into one DIR are not detected there (docs/cli.md).
func tryLock(path string) (f *os.File, ok bool, err error) {
	f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	return f, err == nil, err
}

// syncDir does nothing where folder handles cannot be flushed portably.
func syncDir(string) error { return nil }
