package outdir

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/internal/parallel"
)

// apply carries out a plan in two phases. Staging: every new file is written and fsynced into a
// staging folder inside dir, and the list of renames is written as a journal; until the journal
// exists nothing in the tree has changed, so a cancelled ctx, an error or a kill leaves dir as
// it was (a killed run's staging folder is removed by the next Open). Commit: the journaled
// renames, which the next Open completes if this process dies half-way.
func (p *treePlan) apply(ctx context.Context) (err error) {
	if len(p.writes) == 0 && len(p.remove) == 0 {
		return nil
	}
	staging, err := os.MkdirTemp(p.dir, stagingPrefix)
	if err != nil {
		return err
	}
	defer func() {
		if errors.Is(err, ErrPending) {
			return // the journal is the next run's to complete
		}
		if rmErr := os.RemoveAll(staging); rmErr != nil && err == nil {
			err = fmt.Errorf("removing the staging folder: %w", rmErr)
		}
	}()
	j := &journal{dir: p.dir, staging: staging, ops: p.ops()}
	for _, c := range p.folders {
		for _, d := range []string{filepath.Join(staging, "new", c), filepath.Join(staging, "old", c)} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
		}
	}
	keys := sortedKeys(p.writes)
	// fsync dominates when thousands of files change; the writes go in parallel.
	err = parallel.ForEach(len(keys), func(i int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return writeSynced(j.staged(keys[i]), p.writes[keys[i]])
	})
	if err != nil {
		return err
	}
	// Durable staging before the journal: a power cut must not leave a journal naming files
	// that were never on disk.
	var dirs []string
	for _, c := range p.folders {
		dirs = append(dirs, filepath.Join(staging, "new", c), filepath.Join(staging, "old", c))
	}
	for _, d := range append(dirs, filepath.Join(staging, "new"), filepath.Join(staging, "old")) {
		if err := syncDir(d); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := j.write(); err != nil {
		return err
	}
	return j.apply()
}

// ops lists the plan's renames in the order they run: create the written folders, move the
// stale files aside, move each new file in (its old version aside first), then drop the
// folders the clean-up emptied.
func (p *treePlan) ops() []journalOp {
	written := map[string]bool{}
	for rel := range p.writes {
		c, _, _ := strings.Cut(rel, "/")
		written[c] = true
	}
	var ops []journalOp
	for _, c := range p.folders {
		if written[c] {
			ops = append(ops, journalOp{opMkdir, c})
		}
	}
	cleaned := map[string]bool{}
	for _, rel := range p.remove {
		c, _, _ := strings.Cut(rel, "/")
		cleaned[c] = true
		ops = append(ops, journalOp{opRemove, rel})
	}
	for _, rel := range sortedKeys(p.writes) {
		ops = append(ops, journalOp{opWrite, rel})
	}
	// A cluster folder left empty by the clean-up goes too (a cluster no longer produced); one
	// holding the user's files stays, as os.Remove refuses non-empty folders.
	for _, c := range p.folders {
		if cleaned[c] && !written[c] {
			ops = append(ops, journalOp{opRmdir, c})
		}
	}
	return ops
}

func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
