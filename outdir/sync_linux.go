package outdir

import (
	"os"

	"golang.org/x/sys/unix"
)

// On Linux the staged files are written without an fsync each: one syncfs of the staging
// folder's file system, before the journal is written, makes all of them durable at once (the
// same guarantee for a fraction of the cost: per-file fsync was a third of compile's CPU on a
// large fleet, docs/performance.md).
const syncEachStagedFile = false

// syncStaging flushes the file system holding the staging folder.
func syncStaging(path string) error {
	d, err := os.Open(path)
	if err != nil {
		return err
	}
	defer d.Close()
	return unix.Syncfs(int(d.Fd()))
}
