package outdir

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// stager writes a change's new files into a staging folder inside dir, created with the first
// file (a change that writes nothing leaves dir untouched), each durable before the journal is
// written (fsynced as it is written, or all at once by syncStaging).
// Until a journal exists nothing in the tree has changed, so a cancelled ctx, an error or a
// kill leaves dir as it was (a killed run's staging folder is removed by the next Open).
type stager struct {
	dir     string
	mu      sync.Mutex
	staging string          // "" until the first file
	made    map[string]bool // folders created under it
}

// put stages one file and returns its stamp as written (the rename into DIR keeps its inode,
// size and modification time), or no stamp where the system gives none.
func (s *stager) put(rel string, parts ...[]byte) (stamp, error) {
	path, err := s.folder(filepath.Join("new", filepath.Dir(filepath.FromSlash(rel))))
	if err != nil {
		return stamp{}, err
	}
	return createFile(filepath.Join(path, filepath.Base(rel)), syncEachStagedFile, parts...)
}

// folder creates (once) and returns a folder inside the staging folder.
func (s *stager) folder(rel string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.staging == "" {
		staging, err := os.MkdirTemp(s.dir, stagingPrefix)
		if err != nil {
			return "", err
		}
		s.staging, s.made = staging, map[string]bool{}
	}
	path := filepath.Join(s.staging, rel)
	if !s.made[rel] {
		if err := os.MkdirAll(path, 0o755); err != nil {
			return "", err
		}
		s.made[rel] = true
	}
	return path, nil
}

func (s *stager) discard() {
	if s.staging != "" {
		_ = os.RemoveAll(s.staging)
		s.staging = ""
	}
}

// commit carries out a plan whose new files are staged: it journals the renames (the commit
// point) and runs them, which the next Open completes if this process dies half-way.
func (p *treePlan) commit(ctx context.Context, s *stager) (err error) {
	if len(p.writes) == 0 && len(p.remove) == 0 {
		s.discard()
		return nil
	}
	ops := p.ops()
	// The folders the renames need: "new" and "old" themselves, and per cluster folder changed
	// file by file its two; a folder moved whole is staged as it is, and its old one is moved
	// aside as a whole.
	dirs := []string{"new", "old"}
	for _, op := range ops {
		c, _, _ := strings.Cut(op.rel, "/")
		switch op.kind {
		case opMkdir:
			dirs = append(dirs, filepath.Join("new", c), filepath.Join("old", c))
		case opRemove:
			dirs = append(dirs, filepath.Join("old", c))
		case opSwap:
			dirs = append(dirs, filepath.Join("new", c))
		}
	}
	slices.Sort(dirs)
	dirs = slices.Compact(dirs)
	var paths []string
	for _, d := range dirs {
		path, err := s.folder(d)
		if err != nil {
			s.discard()
			return err
		}
		paths = append(paths, path)
	}
	defer func() {
		if errors.Is(err, ErrPending) {
			return // the journal is the next run's to complete
		}
		if rmErr := os.RemoveAll(s.staging); rmErr != nil && err == nil {
			err = fmt.Errorf("removing the staging folder: %w", rmErr)
		}
	}()
	// A folder replaced whole keeps its permissions.
	for _, op := range ops {
		if perm, ok := p.perm[op.rel]; ok && op.kind == opSwap {
			if err := os.Chmod(filepath.Join(s.staging, "new", op.rel), perm); err != nil {
				return err
			}
		}
	}
	j := &journal{dir: p.dir, staging: s.staging, ops: ops}
	// Durable staging before the journal: a power cut must not leave a journal naming files
	// that were never on disk.
	if err := syncStaging(s.staging); err != nil {
		return err
	}
	for _, d := range paths {
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

// ops lists the plan's renames in the order they run. A cluster folder moved whole is one
// operation: the staged folder takes the place of the old one (if any), or the old one goes.
// Every other written folder is created if missing, its stale files moved aside, each new
// file moved in (its old version aside first); a folder the clean-up emptied is dropped last.
func (p *treePlan) ops() []journalOp {
	written, cleaned := map[string]bool{}, map[string]bool{}
	for rel := range p.writes {
		c, _, _ := strings.Cut(rel, "/")
		written[c] = true
	}
	for _, rel := range p.remove {
		c, _, _ := strings.Cut(rel, "/")
		cleaned[c] = true
	}
	var ops []journalOp
	for _, c := range p.folders {
		switch {
		case p.whole[c] && written[c]:
			ops = append(ops, journalOp{opSwap, c})
		case p.whole[c] && cleaned[c]:
			ops = append(ops, journalOp{opDrop, c})
		case written[c]:
			ops = append(ops, journalOp{opMkdir, c})
		}
	}
	for _, rel := range p.remove {
		if c, _, _ := strings.Cut(rel, "/"); !p.whole[c] {
			ops = append(ops, journalOp{opRemove, rel})
		}
	}
	for _, rel := range slices.Sorted(maps.Keys(p.writes)) {
		if c, _, _ := strings.Cut(rel, "/"); !p.whole[c] {
			ops = append(ops, journalOp{opWrite, rel})
		}
	}
	// A cluster folder left empty by the clean-up goes too (a cluster no longer produced); one
	// holding the user's files stays, as os.Remove refuses non-empty folders.
	for _, c := range p.folders {
		if cleaned[c] && !written[c] && !p.whole[c] {
			ops = append(ops, journalOp{opRmdir, c})
		}
	}
	return ops
}

func writeSynced(path string, data []byte) error {
	_, err := createFile(path, true, data)
	return err
}
