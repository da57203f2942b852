package outdir

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
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
func (s *stager) put(rel string, data []byte) (stamp, error) {
	path, err := s.folder(filepath.Join("new", filepath.Dir(filepath.FromSlash(rel))))
	if err != nil {
		return stamp{}, err
	}
	info, err := writeNew(filepath.Join(path, filepath.Base(rel)), data, syncEachStagedFile)
	if err != nil {
		return stamp{}, err
	}
	st, _ := stampOf(info)
	return st, nil
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
	var dirs []string
	for _, c := range p.folders {
		for _, d := range []string{filepath.Join("new", c), filepath.Join("old", c)} {
			path, err := s.folder(d)
			if err != nil {
				s.discard()
				return err
			}
			dirs = append(dirs, path)
		}
	}
	defer func() {
		if errors.Is(err, ErrPending) {
			return // the journal is the next run's to complete
		}
		if rmErr := os.RemoveAll(s.staging); rmErr != nil && err == nil {
			err = fmt.Errorf("removing the staging folder: %w", rmErr)
		}
	}()
	j := &journal{dir: p.dir, staging: s.staging, ops: p.ops()}
	// Durable staging before the journal: a power cut must not leave a journal naming files
	// that were never on disk.
	if err := syncStaging(s.staging); err != nil {
		return err
	}
	for _, d := range append(dirs, filepath.Join(s.staging, "new"), filepath.Join(s.staging, "old")) {
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
	for _, rel := range slices.Sorted(maps.Keys(p.writes)) {
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
	_, err := writeNew(path, data, true)
	return err
}

// writeNew creates path, which must not exist, with data; fsynced when sync is set.
func writeNew(path string, data []byte, sync bool) (fs.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, err
	}
	if sync {
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, err
		}
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return info, f.Close()
}
