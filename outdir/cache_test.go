//go:build linux

package outdir

import (
	"context"
	"crypto/sha256"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// remembered writes files into a new out-dir as one change and records it with key.
func remembered(t *testing.T, key [sha256.Size]byte, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	o, err := Open(context.Background(), dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	snap := commitAll(t, o, files)
	if err := snap.Remember(key, []byte("payload")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// commitAll puts files into o as one change, commits it and returns its snapshot.
func commitAll(t *testing.T, o *Dir, files map[string]string) *Snapshot {
	t.Helper()
	txn, err := o.Begin(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := putAll(txn, asBytes(files)); err != nil {
		t.Fatal(err)
	}
	if _, err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	snap, err := txn.Snapshot()
	if err != nil || snap == nil {
		t.Fatalf("Snapshot = %v, %v; want a snapshot", snap, err)
	}
	return snap
}

// Every change to the folder after the record, however small, and any other key, misses.
func TestCachedMissesAnyChange(t *testing.T) {
	key, other := sha256.Sum256([]byte("key")), sha256.Sum256([]byte("other"))
	files := map[string]string{"c1/a.yaml": h + "a: 1\n", "c1/b.yaml": h + "b: 1\n", "c2/a.yaml": h + "a: 2\n"}
	past := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		change func(dir string) error
		key    [sha256.Size]byte
		hit    bool
	}{
		{"nothing changed", func(string) error { return nil }, key, true},
		{"another key", func(string) error { return nil }, other, false},
		{"content edited", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "c1", "a.yaml"), []byte(h+"a: 10\n"), 0o644)
		}, key, false},
		{"edited to the same size, times set back", func(dir string) error {
			path := filepath.Join(dir, "c1", "a.yaml")
			info, err := os.Stat(path)
			if err != nil {
				return err
			}
			if err := os.WriteFile(path, []byte(h+"a: 9\n"), 0o644); err != nil {
				return err
			}
			return os.Chtimes(path, info.ModTime(), info.ModTime())
		}, key, false},
		{"file removed", func(dir string) error { return os.Remove(filepath.Join(dir, "c2", "a.yaml")) }, key, false},
		{"file added", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "c2", "notes.txt"), []byte("mine"), 0o644)
		}, key, false},
		{"cluster folder added", func(dir string) error { return os.Mkdir(filepath.Join(dir, "c3"), 0o755) }, key, false},
		{"a staging folder left", func(dir string) error { return os.Mkdir(filepath.Join(dir, stagingPrefix+"x"), 0o755) }, key, false},
		{"record older than the files: compared by content", func(dir string) error {
			return os.Chtimes(filepath.Join(dir, CacheFile), past, past)
		}, key, true},
		{"record deleted", func(dir string) error { return os.Remove(filepath.Join(dir, CacheFile)) }, key, false},
		{"record damaged", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, CacheFile), []byte("not a record"), 0o644)
		}, key, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := remembered(t, key, files)
			if err := tc.change(dir); err != nil {
				t.Fatal(err)
			}
			payload, hit := Cached(dir, tc.key)
			if hit != tc.hit {
				t.Fatalf("Cached hit = %v, want %v", hit, tc.hit)
			}
			if hit && string(payload) != "payload" {
				t.Errorf("payload %q", payload)
			}
		})
	}
}

// A file written by someone else between Put and the snapshot is not what the change wrote:
// there is nothing to remember, or what is remembered never replays — whether the file was
// moved in with its folder, moved in on its own, or left as it was.
func TestSnapshotRefusesAFileChangedMeanwhile(t *testing.T) {
	key := sha256.Sum256([]byte("key"))
	for _, tc := range []struct {
		name   string
		before map[string]string
	}{
		{"folder moved in whole", nil},
		{"file moved in on its own", map[string]string{"c1/mine.txt": "user\n"}},
		{"file left as it was", map[string]string{"c1/a.yaml": h + "a: 1\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			put(t, dir, tc.before)
			o, err := Open(context.Background(), dir, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			txn, err := o.Begin(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := putAll(txn, asBytes(map[string]string{"c1/a.yaml": h + "a: 1\n"})); err != nil {
				t.Fatal(err)
			}
			if _, err := txn.Commit(); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "c1", "a.yaml"), []byte(h+"a: 22\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			snap, err := txn.Snapshot()
			if err != nil || snap == nil {
				return
			}
			if err := snap.Remember(key, []byte("payload")); err != nil {
				t.Fatal(err)
			}
			if _, hit := Cached(dir, key); hit {
				t.Error("the record replays over a file changed after the change")
			}
		})
	}
}

// The stamps a snapshot knows without asking (files moved in with their folder, files left as
// they were) are the ones the system gives: a first run, a full replacement and a partial one.
func TestSnapshotKnownStampsAreTheSystems(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	for i, files := range []map[string]string{
		{"c1/a.yaml": "a\n", "c1/b.yaml": "b\n", "c2/a.yaml": "a\n"},
		{"c1/a.yaml": "a2\n", "c1/c.yaml": "c\n", "c2/a.yaml": "a\n"},
		{"c1/a.yaml": "a2\n", "c1/c.yaml": "c2\n", "c2/a.yaml": "a\n", "c3/a.yaml": "a\n"},
	} {
		o, err := Open(context.Background(), dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		snap := commitAll(t, o, files)
		asked, ok, err := scanTree(dir, nil)
		if err != nil || !ok {
			t.Fatalf("run %d: scanTree: %v, %v", i, ok, err)
		}
		if len(asked) != len(snap.entries) {
			t.Fatalf("run %d: %d entries known, %d there", i, len(snap.entries), len(asked))
		}
		for j := range asked {
			asked[j].Sum = snap.entries[j].Sum
		}
		if diff := cmp.Diff(asked, snap.entries); diff != "" {
			t.Errorf("run %d: snapshot (-system +known):\n%s", i, diff)
		}
		o.Close()
	}
}

// The VIPs of the folder as a snapshot records it are what PreviousVIPs reads there: the
// ServiceEntries put with their VIP, the change's others and everything else read from the
// folder, merged in the folder's order (here --cluster leaves cluster-2's older output).
func TestSnapshotPreviousVIPs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	put(t, dir, map[string]string{
		"cluster-1/serviceentry-shop-mine.yaml":  string(seYAML(t, "mine", []string{"mine.example.com"}, "240.4.4.4")),
		"cluster-1/serviceentry-shop-old.yaml":   h + string(seYAML(t, "old", []string{"old.example.com"}, "240.6.6.6")),
		"cluster-2/serviceentry-shop-fed-b.yaml": h + string(seYAML(t, "fed-b", []string{"b.global", "c.global"}, "240.3.3.3")),
	})
	o, err := Open(context.Background(), dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	txn, err := o.Begin(context.Background(), []string{"cluster-1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name string
		data []byte
		vip  *VIP
	}{
		{"serviceentry-shop-vd-a.yaml", seYAML(t, "vd-a", []string{"a.example.com", "a2.example.com"}, "240.1.1.1"),
			&VIP{[]string{"a.example.com", "a2.example.com"}, "240.1.1.1"}},
		{"serviceentry-shop-fed-b.yaml", seYAML(t, "fed-b", []string{"b.global"}, "240.2.2.2"), &VIP{[]string{"b.global"}, "240.2.2.2"}},
		{"serviceentry-shop-broken.yaml", []byte("kind: ServiceEntry\nspec: [\n"), nil},
	} {
		if f.vip != nil {
			err = txn.PutEntry("cluster-1/"+f.name, f.data, *f.vip)
		} else {
			err = txn.Put("cluster-1/"+f.name, f.data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	snap, err := txn.Snapshot()
	if err != nil || snap == nil {
		t.Fatalf("Snapshot = %v, %v", snap, err)
	}
	got, err := snap.PreviousVIPs()
	if err != nil {
		t.Fatal(err)
	}
	want, err := PreviousVIPs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("snapshot's VIPs (-read +known):\n%s", diff)
	}
	if got["b.global"] != "240.2.2.2" || got["c.global"] != "240.3.3.3" || got["old.example.com"] != "" {
		t.Errorf("VIPs %v: want cluster-1's b.global, cluster-2's c.global, no removed file's", got)
	}
}

// The record spares the next change reading a file that kept its stamp — its VIP and its
// content are taken from the record — and never one that changed, even to the same size with
// its times set back.
func TestRecordKnowsOnlyUnchangedFiles(t *testing.T) {
	se := "c1/serviceentry-shop-a.yaml"
	first := seYAML(t, "a", []string{"a.example.com"}, "240.1.1.1")
	edited := seYAML(t, "a", []string{"a.example.com"}, "240.1.1.2")
	for _, edit := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "out")
		change := func(files map[string][]byte, vip VIP) Summary {
			t.Helper()
			o, err := Open(context.Background(), dir, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			txn, err := o.Begin(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range slices.Sorted(maps.Keys(files)) {
				if k == se {
					err = txn.PutEntry(k, files[k], vip)
				} else {
					err = txn.Put(k, files[k])
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			done, err := txn.Commit()
			if err != nil {
				t.Fatal(err)
			}
			snap, err := txn.Snapshot()
			if err != nil || snap == nil {
				t.Fatalf("Snapshot = %v, %v", snap, err)
			}
			if _, err := snap.PreviousVIPs(); err != nil {
				t.Fatal(err)
			}
			if err := snap.Remember(sha256.Sum256([]byte("key")), nil); err != nil {
				t.Fatal(err)
			}
			return done
		}
		files := map[string][]byte{se: first, "c1/b.yaml": []byte(h + "b\n")}
		// The VIP handed over is not the file's: what the record says shows through.
		change(files, VIP{[]string{"a.example.com"}, "240.9.9.9"})
		path := filepath.Join(dir, filepath.FromSlash(se))
		if edit {
			info, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, append([]byte(h), edited...), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(path, info.ModTime(), info.ModTime()); err != nil {
				t.Fatal(err)
			}
		}
		vips, err := PreviousVIPs(dir)
		if err != nil {
			t.Fatal(err)
		}
		want := map[bool]string{false: "240.9.9.9", true: "240.1.1.2"}[edit]
		if got := vips["a.example.com"]; got != want {
			t.Errorf("edited %v: previous VIP %s, want %s", edit, got, want)
		}
		done := change(files, VIP{[]string{"a.example.com"}, "240.1.1.1"})
		wantCounts := map[bool]Counts{false: {Unchanged: 2}, true: {Written: 1, Unchanged: 1}}[edit]
		if done["c1"] != wantCounts {
			t.Errorf("edited %v: second change did %+v, want %+v", edit, done["c1"], wantCounts)
		}
	}
}
