package outdir

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The journal is the commit point of an out-dir change: a file "journal" in the staging folder,
// written (fsynced, then renamed into place) only once every new file is staged. It lists the
// operations of the change; each can be run again from any state a cut-short run or its undo
// left, so completing a journal is running it again.

// journalName is the journal's file name inside a staging folder.
const journalName = "journal"

// journalHeader and journalEnd frame a journal, so that a file cut short is never taken for one.
const (
	journalHeader = "meshroute out-dir journal v1"
	journalEnd    = "end"
)

// ErrPending: the change is journaled but not all of it is in place; the next Open on the
// folder completes it.
var ErrPending = errors.New("the change was interrupted after it began")

// Journal operations, on a relative path "<cluster>" or "<cluster>/<file>".
const (
	opMkdir  = "mkdir"  // create the cluster folder if missing
	opRemove = "remove" // move a stale file aside
	opWrite  = "write"  // move the existing file aside, the staged one in
	opRmdir  = "rmdir"  // remove the cluster folder if it is empty
	opSwap   = "swap"   // move the cluster folder aside (if any), the staged one in
	opDrop   = "drop"   // move the cluster folder aside
)

type journalOp struct{ kind, rel string }

type journal struct {
	dir, staging string
	ops          []journalOp
}

func (j *journal) target(rel string) string { return filepath.Join(j.dir, filepath.FromSlash(rel)) }
func (j *journal) staged(rel string) string {
	return filepath.Join(j.staging, "new", filepath.FromSlash(rel))
}
func (j *journal) aside(rel string) string {
	return filepath.Join(j.staging, "old", filepath.FromSlash(rel))
}

// write commits the change: the journal appears whole or not at all.
func (j *journal) write() error {
	var b bytes.Buffer
	b.WriteString(journalHeader + "\n")
	for _, op := range j.ops {
		fmt.Fprintf(&b, "%s %s\n", op.kind, strconv.Quote(op.rel))
	}
	b.WriteString(journalEnd + "\n")
	tmp := filepath.Join(j.staging, journalName+".tmp")
	if err := writeSynced(tmp, b.Bytes()); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(j.staging, journalName)); err != nil {
		return err
	}
	return syncDir(j.staging)
}

// readJournal reads the journal of a staging folder; fs.ErrNotExist means the run that staged
// there never committed.
func readJournal(dir, staging string) (*journal, error) {
	data, err := os.ReadFile(filepath.Join(staging, journalName))
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) < 2 || lines[0] != journalHeader || lines[len(lines)-1] != journalEnd {
		return nil, errors.New("not a complete meshroute journal")
	}
	j := &journal{dir: dir, staging: staging}
	for _, line := range lines[1 : len(lines)-1] {
		kind, quoted, _ := strings.Cut(line, " ")
		rel, err := strconv.Unquote(quoted)
		if err != nil || !validOp(kind, rel) {
			return nil, fmt.Errorf("bad journal line %q", line)
		}
		j.ops = append(j.ops, journalOp{kind, rel})
	}
	return j, nil
}

// validOp keeps a damaged journal from naming anything outside the cluster folders.
func validOp(kind, rel string) bool {
	c, name, nested := strings.Cut(rel, "/")
	switch kind {
	case opMkdir, opRmdir, opSwap, opDrop:
		return !nested && checkSegment(c) == nil
	case opRemove, opWrite:
		return nested && checkSegment(c) == nil && checkSegment(name) == nil
	}
	return false
}

// apply runs every operation. On a failure it undoes what it did, newest first, and forgets the
// journal, so the tree is the old one again; if the undo fails too, the journal stays and the
// error is ErrPending.
func (j *journal) apply() error {
	var undo []func() error
	for _, op := range j.ops {
		if err := j.step(op, &undo); err != nil {
			for i := len(undo) - 1; i >= 0; i-- {
				if uerr := undo[i](); uerr != nil {
					return j.pending(fmt.Errorf("%v; undoing it failed too: %v", err, uerr))
				}
			}
			if rmErr := os.Remove(filepath.Join(j.staging, journalName)); rmErr != nil {
				return j.pending(fmt.Errorf("%v; then forgetting the undone change failed: %v", err, rmErr))
			}
			return err
		}
	}
	return j.finish()
}

// complete runs a journal an interrupted run left, without undo: the staging is whole, so
// going forward is always possible.
func (j *journal) complete() error {
	for _, op := range j.ops {
		if err := j.step(op, nil); err != nil {
			return err
		}
	}
	return j.finish()
}

func (j *journal) pending(err error) error {
	return fmt.Errorf("%w: %v; the next meshroute run into %s completes it (journal %s)",
		ErrPending, err, j.dir, filepath.Join(j.staging, journalName))
}

// step runs one operation if its effect is not already there, recording how to undo it.
// Completing a journal (undo nil) may find any operation done or half-done; applying it
// finds each one not started.
func (j *journal) step(op journalOp, undo *[]func() error) error {
	record := func(f func() error) {
		if undo != nil {
			*undo = append(*undo, f)
		}
	}
	target := j.target(op.rel)
	switch op.kind {
	case opMkdir:
		if err := os.Mkdir(target, 0o755); errors.Is(err, fs.ErrExist) {
			return nil
		} else if err != nil {
			return err
		}
		record(func() error { return os.Remove(target) })
	case opRemove:
		return j.moveAside(op.rel, record)
	case opWrite:
		staged := j.staged(op.rel)
		if undo == nil {
			if there, err := exists(staged); err != nil || !there {
				return err // already moved in
			}
		}
		if err := j.moveAside(op.rel, record); err != nil {
			return err
		}
		if err := rename(staged, target); err != nil {
			return err
		}
		record(func() error { return rename(target, staged) })
	case opSwap:
		staged := j.staged(op.rel)
		there, err := exists(staged)
		if err != nil {
			return err
		}
		if there { // else already moved in
			if err := j.folderAside(op.rel, record); err != nil {
				return err
			}
			if err := rename(staged, target); err != nil {
				return err
			}
			record(func() error { return rename(target, staged) })
		}
		return j.keepOthers(op.rel, record)
	case opDrop:
		if err := j.folderAside(op.rel, record); err != nil {
			return err
		}
		return j.keepOthers(op.rel, record)
	case opRmdir:
		if os.Remove(target) == nil {
			record(func() error { return os.Mkdir(target, 0o755) })
		}
	}
	return nil
}

// moveAside moves a file of the tree into the staging folder's "old", if it is there.
func (j *journal) moveAside(rel string, record func(func() error)) error {
	target, aside := j.target(rel), j.aside(rel)
	if err := rename(target, aside); errors.Is(err, fs.ErrNotExist) {
		// Not there, unless it is the way aside that is missing.
		if there, xerr := exists(target); xerr != nil || there {
			return cmp.Or(xerr, err)
		}
		return nil
	} else if err != nil {
		return err
	}
	record(func() error { return rename(aside, target) })
	return nil
}

// folderAside moves a cluster folder into the staging folder's "old" as a whole, unless it is
// there already (the staging folder holds no "old/<cluster>" before) or there is none.
func (j *journal) folderAside(c string, record func(func() error)) error {
	aside, target := j.aside(c), j.target(c)
	if done, err := exists(aside); err != nil || done {
		return err
	}
	if there, err := exists(target); err != nil || !there {
		return err
	}
	if err := rename(target, aside); err != nil {
		return err
	}
	record(func() error { return rename(aside, target) })
	return nil
}

// keepOthers moves back into a cluster folder replaced or dropped whole what its old version
// holds that the change neither replaces nor removes: an entry that appeared after the change
// was planned (a file of the user's, a sub-folder) stays in the tree.
func (j *journal) keepOthers(c string, record func(func() error)) error {
	aside, target := j.aside(c), j.target(c)
	entries, err := os.ReadDir(aside)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	placed, err := names(target)
	if err != nil {
		return err
	}
	for _, e := range entries {
		from, to := filepath.Join(aside, e.Name()), filepath.Join(target, e.Name())
		if placed[e.Name()] {
			continue // replaced
		}
		if e.Type().IsRegular() {
			if generated, err := isGenerated(from); err != nil {
				return err
			} else if generated {
				continue // meshroute's, no longer produced
			}
		}
		if placed == nil {
			if err := os.Mkdir(target, 0o755); err != nil {
				return err
			}
			record(func() error { return os.Remove(target) })
			placed = map[string]bool{}
		}
		if err := rename(from, to); err != nil {
			return err
		}
		record(func() error { return rename(to, from) })
	}
	return nil
}

// names lists a folder's entries; nil when it does not exist.
func names(dir string) (map[string]bool, error) {
	f, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	list, err := f.Readdirnames(-1)
	set := make(map[string]bool, len(list))
	for _, n := range list {
		set[n] = true
	}
	return set, err
}

// finish makes the renames durable, then drops the journal: from here the staging folder holds
// only the replaced files, and removing it is the caller's clean-up.
func (j *journal) finish() error {
	synced := map[string]bool{}
	for _, op := range j.ops {
		c, _, _ := strings.Cut(op.rel, "/")
		if synced[c] {
			continue
		}
		synced[c] = true
		if err := syncDir(j.target(c)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return j.pending(err)
		}
	}
	if err := syncDir(j.dir); err != nil {
		return j.pending(err)
	}
	if err := os.Remove(filepath.Join(j.staging, journalName)); err != nil {
		return j.pending(err)
	}
	return nil
}

func exists(path string) (bool, error) {
	_, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// rename is os.Rename; tests replace it to fail or to photograph the tree at every rename.
var rename = os.Rename

// recover completes or removes what interrupted runs left in the folder. It runs under the lock,
// so no staging folder belongs to a live run.
func (o *Dir) recover() error {
	entries, err := os.ReadDir(o.dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), stagingPrefix) {
			continue
		}
		staging := filepath.Join(o.dir, e.Name())
		j, err := readJournal(o.dir, staging)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			o.Removed++
		case err != nil:
			return fmt.Errorf("%s: %v: move that folder away to go on", staging, err)
		default:
			if err := j.complete(); err != nil {
				return fmt.Errorf("completing the change an interrupted run left in %s: %w", staging, err)
			}
			o.Completed++
		}
		if err := os.RemoveAll(staging); err != nil {
			return err
		}
	}
	return nil
}
