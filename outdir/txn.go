package outdir

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Txn is one change of the folder, fed file by file: each file is compared with what the
// folder holds and, when its bytes differ, staged (written and fsynced) at once, so the caller
// never holds more than the files it is rendering; Commit then removes the stale files and
// moves the staged ones in, all or nothing (see treePlan.commit). Put may be called from
// several goroutines.
type Txn struct {
	ctx     context.Context
	dir     string
	only    []string        // the managed cluster folders; nil: every folder
	managed map[string]bool // only, as a set
	dryRun  bool            // plan only (compile --check): stage nothing
	stage   *stager
	began   time.Time // files changed since are checked against sums (Snapshot)

	mu      sync.Mutex
	seen    map[string]bool // "<cluster>/<file>" put so far
	plan    *treePlan
	touched map[string]bool              // cluster folders that received a file
	sums    map[string][sha256.Size]byte // every file put, by key
	staged  map[string]stamp             // the files staged, as written (Snapshot)
}

// Begin starts a change of the named cluster folders (--cluster: only they are written or
// cleaned, even when they receive no file); nil means every folder of DIR, where meshroute's
// files the change does not put are removed. Files carry GeneratedHeader, added when missing.
// A file without it is never replaced or removed, hidden folders are ignored. Cancelling ctx
// before Commit's journal is written leaves the folder as it was; so does Discard.
func (o *Dir) Begin(ctx context.Context, clusters []string) (*Txn, error) {
	return begin(ctx, o.dir, clusters, false)
}

func begin(ctx context.Context, dir string, clusters []string, dryRun bool) (*Txn, error) {
	t := &Txn{ctx: ctx, dir: dir, only: clusters, managed: map[string]bool{}, dryRun: dryRun,
		stage: &stager{dir: dir}, began: time.Now(), seen: map[string]bool{}, touched: map[string]bool{},
		sums: map[string][sha256.Size]byte{}, staged: map[string]stamp{},
		plan: &treePlan{dir: dir, writes: map[string]bool{}, replace: map[string]bool{}, unchanged: map[string]int{}}}
	for _, c := range clusters {
		if err := checkSegment(c); err != nil {
			return nil, fmt.Errorf("cluster folder %q: %w", c, err)
		}
		t.managed[c] = true
	}
	return t, nil
}

// Put adds one file, "<cluster>/<file>", to the change: left alone when the folder already
// holds these bytes, else staged. A file of the same name the user wrote (no GeneratedHeader)
// is an error, as is a name outside the managed folders or put twice.
func (t *Txn) Put(key string, content []byte) error {
	if err := t.ctx.Err(); err != nil {
		return err
	}
	cluster, name, ok := strings.Cut(key, "/")
	if !ok || checkSegment(cluster) != nil || checkSegment(name) != nil {
		return fmt.Errorf("output file %q: want <cluster>/<file>", key)
	}
	if t.only != nil && !t.managed[cluster] {
		return fmt.Errorf("output file %q is outside the clusters being written (%s)", key, strings.Join(t.only, ", "))
	}
	t.mu.Lock()
	dup := t.seen[key]
	t.seen[key], t.touched[cluster] = true, true
	t.mu.Unlock()
	if dup {
		return fmt.Errorf("internal error: two outputs for %s", key)
	}
	if !bytes.HasPrefix(content, []byte(GeneratedHeader)) {
		content = append([]byte(GeneratedHeader), content...)
	}
	current, err := t.current(cluster, name, content)
	if err != nil {
		return err
	}
	if !t.dryRun {
		sum := sha256.Sum256(content)
		t.mu.Lock()
		t.sums[key] = sum
		t.mu.Unlock()
	}
	if current == fileSame {
		t.mu.Lock()
		t.plan.unchanged[cluster]++
		t.mu.Unlock()
		return nil // unchanged files are left alone, so a re-run does not touch their timestamps
	}
	if !t.dryRun {
		st, err := t.stage.put(key, content)
		if err != nil {
			return err
		}
		t.mu.Lock()
		t.staged[key] = st
		t.mu.Unlock()
	}
	t.mu.Lock()
	t.plan.writes[key] = true // staged: Commit needs the name only
	t.plan.replace[key] = current == fileOurs
	t.mu.Unlock()
	return nil
}

// What the folder holds where a file is to be written.
const (
	fileAbsent = iota
	fileOurs   // a generated file with other bytes
	fileSame   // a generated file with these very bytes
)

// current reads what the folder holds at cluster/name: one read answers whether it was
// meshroute's and whether it is already current.
func (t *Txn) current(cluster, name string, content []byte) (int, error) {
	folder := filepath.Join(t.dir, cluster)
	path := filepath.Join(folder, name)
	info, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fileAbsent, nil
	case errors.Is(err, syscall.ENOTDIR):
		return 0, fmt.Errorf("%s exists and is not a folder", folder)
	case err != nil:
		return 0, err
	case !info.Mode().IsRegular():
		return 0, fmt.Errorf("%s exists and is not a regular file; meshroute will not replace it", path)
	}
	old, err := os.ReadFile(path)
	switch {
	case err != nil:
		return 0, err
	case !hasGeneratedHeader(old):
		return 0, fmt.Errorf("%s exists and was not written by meshroute (no %q first line); move it away or choose another --out-dir",
			path, strings.TrimSpace(GeneratedHeader))
	case bytes.Equal(old, content):
		return fileSame, nil
	}
	return fileOurs, nil
}

// finishPlan completes the plan once every file is in: the folders to clean, and in them the
// generated files no longer put.
func (t *Txn) finishPlan() (*treePlan, error) {
	p := t.plan
	folders := map[string]bool{}
	for c := range t.touched {
		folders[c] = true
	}
	for c := range t.managed {
		folders[c] = true
	}
	if t.only == nil {
		entries, err := os.ReadDir(t.dir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) { // a folder not written yet is empty
			return nil, err
		}
		for _, e := range entries {
			if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				folders[e.Name()] = true
			}
		}
	}
	p.folders = slices.Sorted(func(yield func(string) bool) {
		for c := range folders {
			if !yield(c) {
				return
			}
		}
	})
	for _, c := range p.folders {
		if err := t.findStale(c); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// findStale adds to the plan the generated files of one cluster folder that were not put.
func (t *Txn) findStale(cluster string) error {
	path := filepath.Join(t.dir, cluster)
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%s exists and is not a folder", path)
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return err
	}
	for _, e := range entries {
		rel := cluster + "/" + e.Name()
		if t.seen[rel] || !e.Type().IsRegular() {
			continue
		}
		generated, err := isGenerated(filepath.Join(path, e.Name()))
		if err != nil {
			return err
		}
		if generated {
			t.plan.remove = append(t.plan.remove, rel)
		}
	}
	return nil
}

// Commit carries the change out and says what it did per cluster folder.
func (t *Txn) Commit() (Summary, error) {
	p, err := t.finishPlan()
	if err != nil {
		t.Discard()
		return nil, err
	}
	if err := p.commit(t.ctx, t.stage); err != nil {
		return nil, err
	}
	return p.summary(), nil
}

// Discard drops what was staged; the folder stays as it was.
func (t *Txn) Discard() { t.stage.discard() }
