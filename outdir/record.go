package outdir

import (
	"encoding/gob"
	"os"
	"path/filepath"
	"sync"
)

// record is the folder's build-cache record as read: besides the replay (Cached), what it says
// of a file whose stamp has not changed since — its SHA-256, a ServiceEntry's VIP — spares the
// next change reading that file (Txn.Put, PreviousVIPs).
type record struct {
	cacheRecord
	at    int64             // the record's modification time: entries changed since are racy
	index map[string]*entry // by Rel
}

// racy: the entry may have changed within the clock tick of the record, so its stamp does not
// vouch for its content.
func (r *record) racy(e entry) bool {
	return os.FileMode(e.Stamp.Mode).IsRegular() && max(e.Stamp.Mtime, e.Stamp.Ctime) >= r.at
}

// known is the recorded entry of a file of the folder that still has the recorded stamp st,
// when its stamp vouches for its content.
func (r *record) known(rel string, st stamp) (*entry, bool) {
	if r == nil {
		return nil, false
	}
	e, ok := r.index[rel]
	if !ok || e.Stamp != st || r.racy(*e) {
		return nil, false
	}
	return e, true
}

// lastRecord keeps the record last read, with the stamp of its file: a run asks for it up to
// three times (the replay, the previous VIPs, the change), and it is tens of megabytes on a
// large fleet.
var lastRecord struct {
	sync.Mutex
	dir   string
	stamp stamp
	rec   *record
}

// readRecord reads dir's record; nil when there is none that this build can read, or this
// system gives no stamps.
func readRecord(dir string) *record {
	path := filepath.Join(dir, CacheFile)
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil
	}
	st, ok := stampOf(info)
	if !ok {
		return nil
	}
	lastRecord.Lock()
	defer lastRecord.Unlock()
	if lastRecord.rec != nil && lastRecord.dir == dir && lastRecord.stamp == st {
		return lastRecord.rec
	}
	rec := &record{at: info.ModTime().UnixNano()}
	if gob.NewDecoder(f).Decode(&rec.cacheRecord) != nil || rec.Format != cacheFormat {
		return nil
	}
	rec.index = make(map[string]*entry, len(rec.Entries))
	for i := range rec.Entries {
		rec.index[rec.Entries[i].Rel] = &rec.Entries[i]
	}
	lastRecord.dir, lastRecord.stamp, lastRecord.rec = dir, st, rec
	return rec
}
