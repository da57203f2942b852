package render

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// apply carries out a plan: stage every new file inside dir, then move the old files aside and
// the new ones into place. Any failure undoes the moves done so far, so dir ends as it was.
func (p *treePlan) apply() (err error) {
	if p.created {
		if err := os.MkdirAll(p.dir, 0o755); err != nil {
			return err
		}
	}
	if len(p.writes) == 0 && len(p.remove) == 0 {
		return nil
	}
	staging, err := os.MkdirTemp(p.dir, stagingPrefix)
	if err != nil {
		return err
	}
	defer func() {
		if rmErr := os.RemoveAll(staging); rmErr != nil && err == nil {
			err = fmt.Errorf("removing the staging folder: %w", rmErr)
		}
		if err != nil && p.created {
			_ = os.Remove(p.dir) // only succeeds if empty: nothing of ours is left
		}
	}()
	newDir, oldDir := filepath.Join(staging, "new"), filepath.Join(staging, "old")
	keys := sortedKeys(p.writes)
	for _, c := range p.folders {
		for _, d := range []string{filepath.Join(newDir, c), filepath.Join(oldDir, c)} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
		}
	}
	// fsync dominates when thousands of files change; the writes go in parallel.
	err = forEach(len(keys), func(i int) error {
		return writeSynced(filepath.Join(newDir, filepath.FromSlash(keys[i])), p.writes[keys[i]])
	})
	if err != nil {
		return err
	}
	return p.commit(newDir, oldDir, keys)
}

// rename is os.Rename; tests replace it to make a rename fail half-way.
var rename = os.Rename

// commit performs the renames, recording how to undo each one.
func (p *treePlan) commit(newDir, oldDir string, keys []string) error {
	var undo []func()
	fail := func(err error) error {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
		return err
	}
	target := func(rel string) string { return filepath.Join(p.dir, filepath.FromSlash(rel)) }
	aside := func(rel string) string { return filepath.Join(oldDir, filepath.FromSlash(rel)) }
	written := map[string]bool{}
	for _, rel := range keys {
		c, _, _ := strings.Cut(rel, "/")
		written[c] = true
	}
	for _, c := range p.folders {
		if !written[c] {
			continue
		}
		folder := filepath.Join(p.dir, c)
		if _, err := os.Stat(folder); errors.Is(err, os.ErrNotExist) {
			if err := os.Mkdir(folder, 0o755); err != nil {
				return fail(err)
			}
			undo = append(undo, func() { _ = os.Remove(folder) })
		}
	}
	cleaned := map[string]bool{}
	for _, rel := range p.remove {
		c, _, _ := strings.Cut(rel, "/")
		cleaned[c] = true
		if err := rename(target(rel), aside(rel)); err != nil {
			return fail(err)
		}
		undo = append(undo, func() { _ = os.Rename(aside(rel), target(rel)) })
	}
	for _, rel := range keys {
		if _, err := os.Lstat(target(rel)); err == nil {
			if err := rename(target(rel), aside(rel)); err != nil {
				return fail(err)
			}
			undo = append(undo, func() { _ = os.Rename(aside(rel), target(rel)) })
		}
		if err := rename(filepath.Join(newDir, filepath.FromSlash(rel)), target(rel)); err != nil {
			return fail(err)
		}
		undo = append(undo, func() { _ = os.Remove(target(rel)) })
	}
	// A cluster folder left empty by the clean-up goes too (a cluster no longer produced); one
	// holding the user's files stays, as os.Remove refuses non-empty folders.
	for _, c := range p.folders {
		if cleaned[c] && !written[c] {
			_ = os.Remove(filepath.Join(p.dir, c))
		}
	}
	return nil
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
