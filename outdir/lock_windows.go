package outdir

import (
	"errors"
	"os"
	"syscall"
)

// errSharingViolation is ERROR_SHARING_VIOLATION, which the syscall package does not name.
const errSharingViolation = syscall.Errno(32)

// tryLock opens (creating) path with no sharing allowed: while this process holds the handle,
// no other can open the file, and Windows closes it when the process dies.
func tryLock(path string) (f *os.File, ok bool, err error) {
	name, err := syscall.UTF16PtrFromString(path)
	if err != nil {
		return nil, false, err
	}
	h, err := syscall.CreateFile(name, syscall.GENERIC_READ|syscall.GENERIC_WRITE, 0, nil,
		syscall.OPEN_ALWAYS, syscall.FILE_ATTRIBUTE_NORMAL, 0)
	if errors.Is(err, errSharingViolation) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return os.NewFile(uintptr(h), path), true, nil
}

// syncDir does nothing: Windows cannot flush a folder handle, and NTFS journals its metadata.
func syncDir(string) error { return nil }
