package outdir

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/meshroute/meshroute/schema"
)

// markerText is what the output marker says to someone who finds it.
const markerText = `# This folder is meshroute's --out-dir (docs/output-layout.md). meshroute -f skips every folder
# holding this file, and compile --out-dir locks it while writing. Keep it.
`

// lockPoll is how often a waiting run retries the lock.
const lockPoll = 50 * time.Millisecond

// ErrLocked: another process held the out-dir's lock for the whole wait.
var ErrLocked = errors.New("another meshroute run is writing this folder")

// Dir is an --out-dir this process holds: locked against other runs, with whatever an
// interrupted earlier run left behind already completed or undone.
type Dir struct {
	dir  string
	lock *os.File
	// What Open recovered: journaled changes it completed, and staging folders of runs
	// stopped before their change began, which it removed.
	Completed, Removed int
}

// Open creates dir if needed, writes the output marker (schema.OutputMarker) and locks it,
// waiting up to wait for another run to finish (ErrLocked after that; ctx ends the wait early).
// Holding the lock, it then recovers the folder: a staging folder with a journal is a committed
// change whose renames were cut short, and is completed; one without was never started, and
// is removed. Close releases the lock.
func Open(ctx context.Context, dir string, wait time.Duration) (*Dir, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, schema.OutputMarker)
	deadline := time.Now().Add(wait)
	for {
		f, ok, err := tryLock(path)
		if err != nil {
			return nil, err
		}
		if ok {
			o := &Dir{dir: dir, lock: f}
			if err := o.init(); err != nil {
				o.Close()
				return nil, err
			}
			return o, nil
		}
		if !time.Now().Before(deadline) {
			return nil, fmt.Errorf("%w (it holds the lock on %s; waited %s)", ErrLocked, path, wait)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

// init fills a new marker and recovers what earlier runs left.
func (o *Dir) init() error {
	info, err := o.lock.Stat()
	if err != nil {
		return err
	}
	if info.Size() == 0 {
		if _, err := o.lock.WriteString(markerText); err != nil {
			return err
		}
		if err := o.lock.Sync(); err != nil {
			return err
		}
	}
	return o.recover()
}

// Close releases the lock; the marker stays.
func (o *Dir) Close() error { return o.lock.Close() }

// HasMarker reports whether dir already holds the output marker: it is an --out-dir an earlier
// run wrote, which another run may be writing now.
func HasMarker(dir string) bool {
	info, err := os.Stat(filepath.Join(dir, schema.OutputMarker))
	return err == nil && info.Mode().IsRegular()
}
