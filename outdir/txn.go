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
	kept    map[string]stamp             // the files left as they were, as Put found them (Snapshot)
	vips    map[string]VIP               // the ServiceEntries put with their VIP (PutEntry)
	// absent says, per cluster folder put to, whether it was missing at its first Put: its
	// files are then new, and none is looked up.
	absent map[string]bool
	record *record // the folder's build-cache record, which knows the files it stamped
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
		sums: map[string][sha256.Size]byte{}, staged: map[string]stamp{}, kept: map[string]stamp{}, vips: map[string]VIP{},
		absent: map[string]bool{},
		plan: &treePlan{dir: dir, writes: map[string]bool{}, replace: map[string]bool{}, unchanged: map[string]int{},
			whole: map[string]bool{}, perm: map[string]fs.FileMode{}}}
	t.record = readRecord(dir)
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
func (t *Txn) Put(key string, content []byte) error { return t.put(key, content, nil) }

// PutEntry is Put for a ServiceEntry, with the VIP that PreviousVIPs would read from content:
// the snapshot's PreviousVIPs takes it from here instead of reading the file back.
func (t *Txn) PutEntry(key string, content []byte, vip VIP) error { return t.put(key, content, &vip) }

func (t *Txn) put(key string, content []byte, vip *VIP) error {
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
	// The header goes in front of content as it is hashed, compared and written, never by
	// copying content: at fleet scale that copy was a twelfth of compile's allocation.
	f := fileBytes{body: content}
	if !bytes.HasPrefix(content, generatedHeader) {
		f.head = generatedHeader
	}
	sum := f.sum()
	current, found, err := t.current(cluster, name, f, sum)
	if err != nil {
		return err
	}
	if !t.dryRun {
		t.mu.Lock()
		t.sums[key] = sum
		if vip != nil && f.len() <= maxPreviousFile { // a larger file is read as none
			t.vips[key] = *vip
		}
		t.mu.Unlock()
	}
	if current == fileSame {
		t.mu.Lock()
		t.plan.unchanged[cluster]++
		t.kept[key] = found
		t.mu.Unlock()
		return nil // unchanged files are left alone, so a re-run does not touch their timestamps
	}
	if !t.dryRun {
		st, err := t.stage.put(key, f.head, f.body)
		if err != nil {
			return err
		}
		t.mu.Lock()
		t.staged[key] = st
		t.mu.Unlock()
	}
	t.mu.Lock()
	t.plan.writes[key] = true // staged: Commit needs the name only
	if current == fileOurs {
		t.plan.replace[key] = true // a new file (every one on a first run) is not recorded
	}
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
// meshroute's and whether it is already current — none when the build-cache record knows the
// file by its stamp and its content by sum. A file left as it is comes with its stamp.
func (t *Txn) current(cluster, name string, content fileBytes, sum [sha256.Size]byte) (int, stamp, error) {
	if absent, err := t.folderAbsent(cluster); err != nil || absent {
		return fileAbsent, stamp{}, err
	}
	folder := filepath.Join(t.dir, cluster)
	path := filepath.Join(folder, name)
	info, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fileAbsent, stamp{}, nil
	case errors.Is(err, syscall.ENOTDIR):
		return 0, stamp{}, fmt.Errorf("%s exists and is not a folder", folder)
	case err != nil:
		return 0, stamp{}, err
	case !info.Mode().IsRegular():
		return 0, stamp{}, errNotRegular(path)
	}
	st, _ := stampOf(info)
	if e, ok := t.record.known(cluster+"/"+name, st); ok && bytes.Equal(e.Sum, sum[:]) {
		return fileSame, st, nil
	}
	same, generated, err := compareFile(path, info.Size(), content)
	switch {
	case err != nil:
		return 0, stamp{}, err
	case !generated:
		return 0, stamp{}, errNotOurs(path)
	case same:
		return fileSame, st, nil
	}
	return fileOurs, stamp{}, nil
}

// folderAbsent reports, once per cluster, whether DIR/<cluster> is missing.
func (t *Txn) folderAbsent(cluster string) (bool, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if absent, ok := t.absent[cluster]; ok {
		return absent, nil
	}
	_, err := os.Lstat(filepath.Join(t.dir, cluster))
	absent := errors.Is(err, fs.ErrNotExist)
	if err != nil && !absent && !errors.Is(err, syscall.ENOTDIR) {
		return false, err
	}
	t.absent[cluster] = absent // ENOTDIR: the per-file look says what is wrong
	return absent, nil
}

// compareFile reads the regular file path of the given size: whether it holds content, and
// whether its first line is GeneratedHeader. A file of another size is read only as far as its
// first line.
func compareFile(path string, size int64, content fileBytes) (same, generated bool, err error) {
	buf := readBuffers.Get().(*[]byte)
	defer readBuffers.Put(buf)
	want := len(GeneratedHeader) + 1 // the header line, ended by "\r\n" or "\n"
	sameSize := size == int64(content.len())
	if sameSize {
		want = content.len()
	}
	if cap(*buf) < want {
		*buf = make([]byte, want)
	}
	n, err := readFile(path, (*buf)[:want])
	if err != nil {
		return false, false, err
	}
	data := (*buf)[:n]
	if n == want && !sameSize && !bytes.Contains(data, []byte("\n")) {
		// A first line longer than the header's, unless all that follows it is "\r"s.
		if data, err = os.ReadFile(path); err != nil {
			return false, false, err
		}
	}
	return sameSize && content.equal(data), hasGeneratedHeader(data), nil
}

// fileBytes is a file's content as two parts, written one after the other.
type fileBytes struct{ head, body []byte }

func (f fileBytes) len() int { return len(f.head) + len(f.body) }

func (f fileBytes) equal(data []byte) bool {
	return len(data) == f.len() && bytes.Equal(data[:len(f.head)], f.head) && bytes.Equal(data[len(f.head):], f.body)
}

func (f fileBytes) sum() [sha256.Size]byte {
	if len(f.head) == 0 {
		return sha256.Sum256(f.body)
	}
	h := sha256.New()
	h.Write(f.head)
	h.Write(f.body)
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// readBuffers spare compareFile a buffer per file.
var readBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

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

// findStale adds to the plan the generated files of one cluster folder that were not put, and
// whether the folder moves as a whole: when it is missing, or when every entry in it is a
// generated file the change replaces or removes.
func (t *Txn) findStale(cluster string) error {
	path := filepath.Join(t.dir, cluster)
	p := t.plan
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		p.whole[cluster] = true
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
	others := 0 // entries the change leaves: the user's, sub-folders, unchanged files
	for _, e := range entries {
		rel := cluster + "/" + e.Name()
		if t.seen[rel] {
			if t.absent[cluster] {
				// The folder appeared after the file was put without a look: check it now.
				if err := t.replaceable(filepath.Join(path, e.Name()), e); err != nil {
					return err
				}
				p.replace[rel] = p.writes[rel]
			}
			if !p.writes[rel] {
				others++
			}
			continue
		}
		if !e.Type().IsRegular() {
			others++
			continue
		}
		generated, err := isGenerated(filepath.Join(path, e.Name()))
		if err != nil {
			return err
		}
		if generated {
			p.remove = append(p.remove, rel)
		} else {
			others++
		}
	}
	if others == 0 {
		p.whole[cluster] = true
		p.perm[cluster] = info.Mode().Perm()
	}
	return nil
}

// replaceable refuses what Put refuses to replace: anything but a generated regular file.
func (t *Txn) replaceable(path string, e fs.DirEntry) error {
	if !e.Type().IsRegular() {
		return errNotRegular(path)
	}
	generated, err := isGenerated(path)
	if err != nil {
		return err
	}
	if !generated {
		return errNotOurs(path)
	}
	return nil
}

// The refusals to replace what is in the way of a file to write.
func errNotRegular(path string) error {
	return fmt.Errorf("%s exists and is not a regular file; meshroute will not replace it", path)
}

func errNotOurs(path string) error {
	return fmt.Errorf("%s exists and was not written by meshroute (no %q first line); move it away or choose another --out-dir",
		path, strings.TrimSpace(GeneratedHeader))
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
