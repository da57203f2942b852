package outdir

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/meshroute/meshroute/internal/parallel"
)

// The build cache lets compile --out-dir skip a run whose result is already in the folder. After
// a change it records, in a hidden file of DIR, the caller's key (a hash of everything the output
// depends on but the folder itself), a payload (what to replay: diagnostics, summaries) and the
// state of the folder as the change left it: every entry of every cluster folder with its size,
// times and inode. A later run with the same key finds the folder in that very state, so it
// would read the same previous output and write the same files: it replays the payload instead.
// Any write, rename or removal since alters the state; a file changed within the clock tick of
// the record is compared by content (git's "racily clean" rule).

// CacheFile is the record's file name in DIR; hidden, so never taken for a cluster folder. It
// is bookkeeping, not output: deleting it costs the next run its shortcut, nothing else.
const CacheFile = ".meshroute-cache"

// cacheFormat changes whenever the record's layout or meaning does.
const cacheFormat = "meshroute out-dir cache v2"

// stampSlack widens "changed during this run" to cover a file system's clock running behind
// the process's (coarse timestamps lag by up to a tick).
const stampSlack = 2 * time.Second

// stamp is what the record keeps of one entry of DIR.
type stamp struct {
	Mode               uint32 // fs.FileMode type bits
	Size, Mtime, Ctime int64
	Ino                uint64
}

// entry is one cluster folder ("<cluster>") or one entry in it ("<cluster>/<name>").
type entry struct {
	Rel   string
	Stamp stamp
	// Sum is the SHA-256 of a file changed since the change began, so that one changed again
	// within the same clock tick is still told apart, and of every file the change put, so
	// that the next change knows the file without reading it (recordIndex).
	Sum []byte
	// Entry: a ServiceEntry file (serviceentry-*.yaml in a cluster folder), whose VIP the
	// next compile's PreviousVIPs takes from here while the file keeps its stamp.
	Entry bool
	VIP   VIP
}

type cacheRecord struct {
	Format  string
	Key     [sha256.Size]byte
	Payload []byte
	Entries []entry
}

// Cached returns the payload recorded with key when the folder is exactly as the change that
// recorded it left it. It reads only; without the lock a change in progress fails the
// comparison (or leaves a staging folder, which also misses).
func Cached(dir string, key [sha256.Size]byte) ([]byte, bool) {
	rec := readRecord(dir)
	if rec == nil || rec.Key != key {
		return nil, false
	}
	now, ok, err := scanTree(dir, nil)
	if err != nil || !ok || len(now) != len(rec.Entries) {
		return nil, false
	}
	var racy []int
	for i, e := range rec.Entries {
		if now[i].Rel != e.Rel || now[i].Stamp != e.Stamp {
			return nil, false
		}
		if rec.racy(e) {
			if e.Sum == nil {
				return nil, false
			}
			racy = append(racy, i)
		}
	}
	err = parallel.ForEach(len(racy), func(i int) error {
		e := rec.Entries[racy[i]]
		sum, err := fileSum(filepath.Join(dir, filepath.FromSlash(e.Rel)))
		if err != nil || !bytes.Equal(sum, e.Sum) {
			return errors.New("changed")
		}
		return nil
	})
	return rec.Payload, err == nil
}

// Snapshot is the state of the folder right after a change, to be remembered with a key.
type Snapshot struct {
	dir     string
	entries []entry
	vips    map[string]VIP // the change's ServiceEntries, as put (Txn.PutEntry)
}

// Snapshot reads the folder's state after Commit. It is nil when the folder cannot be cached
// (no inode change times here, a staging folder left) or is not what the change wrote: a file
// changed since the change began must hold the bytes Put gave it (someone else may have
// written it meanwhile). A file still the one this change staged (same inode, size and
// modification time) holds them; any other is read. The stamps the change already knows
// (knownStamp) are taken as they are: if such a file changed since, the state recorded is not
// the folder's, and the record never replays.
func (t *Txn) Snapshot() (*Snapshot, error) {
	entries, ok, err := scanTree(t.dir, t.knownStamp)
	if err != nil || !ok {
		return nil, err
	}
	since := t.began.Add(-stampSlack).UnixNano()
	var fresh []int
	for i, e := range entries {
		if fs.FileMode(e.Stamp.Mode).IsRegular() && max(e.Stamp.Mtime, e.Stamp.Ctime) >= since {
			fresh = append(fresh, i)
		}
	}
	for i := range entries {
		if sum, ok := t.sums[entries[i].Rel]; ok {
			entries[i].Sum = sum[:] // checked below when the file changed since the change began
		}
	}
	errChanged := errors.New("changed")
	err = parallel.ForEach(len(fresh), func(i int) error {
		e := &entries[fresh[i]]
		if st, ok := t.staged[e.Rel]; ok && st.Ino == e.Stamp.Ino && st.Size == e.Stamp.Size && st.Mtime == e.Stamp.Mtime {
			sum := t.sums[e.Rel]
			e.Sum = sum[:]
			return nil
		}
		sum, err := fileSum(filepath.Join(t.dir, filepath.FromSlash(e.Rel)))
		if err != nil {
			return err
		}
		if put, ok := t.sums[e.Rel]; ok && !bytes.Equal(sum, put[:]) {
			return errChanged
		}
		e.Sum = sum
		return nil
	})
	switch {
	case errors.Is(err, errChanged):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return &Snapshot{dir: t.dir, entries: entries, vips: t.vips}, nil
}

// knownStamp is the stamp of a file this change put, when it is known without asking: a file
// left as it was (as Put found it), or one staged in a cluster folder moved in whole (a
// folder's rename changes none of its files' stamps, while a file's own rename changes its
// inode change time). A file changed since has another stamp, which the next run sees.
func (t *Txn) knownStamp(rel string) (stamp, bool) {
	if st, ok := t.kept[rel]; ok {
		return st, true
	}
	c, _, _ := strings.Cut(rel, "/")
	st, ok := t.staged[rel]
	return st, ok && t.plan.whole[c]
}

// Remember records the snapshot with key and payload, replacing an earlier record (left as it
// is when it already says the same). Call it holding the folder's lock, before anything else
// changes the folder.
func (s *Snapshot) Remember(key [sha256.Size]byte, payload []byte) error {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(cacheRecord{Format: cacheFormat, Key: key, Payload: payload, Entries: s.entries}); err != nil {
		return err
	}
	path := filepath.Join(s.dir, CacheFile)
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b.Bytes()) {
		return nil
	}
	// Written aside and renamed: a record is whole or absent (one cut short does not decode).
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// scanTree stamps every non-hidden entry of dir and of each cluster folder in it, sorted by
// path, asking known first for regular files in cluster folders (nil: ask the system for
// every entry); ok is false when the state cannot be trusted (a staging folder is there, or
// this system gives no inode change times). A missing dir has no entries.
func scanTree(dir string, known func(rel string) (stamp, bool)) (entries []entry, ok bool, err error) {
	top, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, true, nil
	}
	if err != nil {
		return nil, false, err
	}
	var folders []string
	for _, d := range top {
		name := d.Name()
		if strings.HasPrefix(name, stagingPrefix) {
			return nil, false, nil
		}
		if strings.HasPrefix(name, ".") {
			continue
		}
		if d.IsDir() {
			folders = append(folders, name)
		}
	}
	inside := make([][]entry, len(folders))
	err = parallel.ForEach(len(folders), func(i int) error {
		names, err := os.ReadDir(filepath.Join(dir, folders[i]))
		if err != nil {
			return err
		}
		inside[i] = make([]entry, 0, len(names))
		for _, n := range names {
			rel := folders[i] + "/" + n.Name()
			if st, ok := knownRegular(known, rel, n); ok {
				inside[i] = append(inside[i], entry{Rel: rel, Stamp: st})
				continue
			}
			e, ok, err := stampEntry(dir, rel)
			if err != nil || !ok {
				return err
			}
			inside[i] = append(inside[i], e)
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	total := len(top)
	for _, in := range inside {
		total += len(in)
	}
	entries = make([]entry, 0, total)
	fi := 0
	for _, d := range top {
		if strings.HasPrefix(d.Name(), ".") {
			continue
		}
		e, ok, err := stampEntry(dir, d.Name())
		if err != nil || !ok {
			return nil, false, err
		}
		entries = append(entries, e)
		if d.IsDir() {
			entries = append(entries, inside[fi]...)
			fi++
		}
	}
	return entries, true, nil
}

func knownRegular(known func(string) (stamp, bool), rel string, e fs.DirEntry) (stamp, bool) {
	if known == nil || !e.Type().IsRegular() {
		return stamp{}, false
	}
	return known(rel)
}

// stampEntry stamps dir/rel; ok is false when the system gives no stamp.
func stampEntry(dir, rel string) (entry, bool, error) {
	info, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		return entry{}, false, err
	}
	st, ok := stampOf(info)
	if info.IsDir() {
		st.Size, st.Mtime, st.Ctime = 0, 0, 0 // its listing is compared entry by entry
	}
	return entry{Rel: rel, Stamp: st}, ok, nil
}

// fileSum is the SHA-256 of a file's content.
func fileSum(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(buf)
	h := sha256.New()
	if _, err := io.CopyBuffer(h, f, *buf); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// copyBuffers spare fileSum a buffer per file (hundreds of thousands on a large fleet).
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}
