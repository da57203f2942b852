package outdir

import (
	"context"
	"errors"
	"github.com/meshroute/meshroute/internal/goldentest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/schema"
)

// recoverTree runs what the next compile runs first and returns the folder it leaves.
func recoverTree(t *testing.T, dir string) (map[string]string, *Dir) {
	t.Helper()
	o, err := Open(context.Background(), dir, 0)
	if err != nil {
		t.Fatalf("recovering %s: %v", dir, err)
	}
	o.Close()
	return goldentest.ReadTree(t, dir), o
}

// TestWriteTreeCrashAtEveryRename photographs the folder before every rename of a change (and
// of its undo, when a rename fails) and recovers each photograph as the next run would: every
// one must come back as exactly the new tree, since the journal is written before the first
// rename. c1 changes file by file, c2 is new, c3 is dropped and c4 replaced as a whole.
func TestWriteTreeCrashAtEveryRename(t *testing.T) {
	before := withMarker(map[string]string{"c1/a.yaml": h + "a\n", "c1/gone.yaml": h + "g\n", "c1/mine.yaml": "user\n",
		"c3/old.yaml": h + "o\n", "c4/x.yaml": h + "x\n", "c4/gone.yaml": h + "g\n"})
	files := map[string][]byte{"c1/a.yaml": []byte("a2\n"), "c1/b.yaml": []byte("b\n"), "c2/c.yaml": []byte("c\n"),
		"c4/x.yaml": []byte("x2\n"), "c4/y.yaml": []byte("y\n")}
	newDir := t.TempDir()
	put(t, newDir, before)
	if err := writeTree(newDir, files, nil); err != nil {
		t.Fatal(err)
	}
	want := goldentest.ReadTree(t, newDir)
	defer func() { rename = os.Rename }()
	// failAt 0 is the run that succeeds; failAt k makes rename k fail, so the rest is its undo.
	for failAt := 0; failAt < 40; failAt++ {
		dir := t.TempDir()
		put(t, dir, before)
		var photos []string
		calls := 0
		rename = func(from, to string) error {
			calls++
			// The folder as a process killed at this moment would leave it.
			photo := filepath.Join(t.TempDir(), "photo")
			if err := os.CopyFS(photo, os.DirFS(dir)); err != nil {
				t.Fatal(err)
			}
			photos = append(photos, photo)
			if calls == failAt {
				return errors.New("injected failure")
			}
			return os.Rename(from, to)
		}
		err := writeTree(dir, files, nil)
		rename = os.Rename
		if failAt > calls {
			break // every rename position has failed once
		}
		if (err == nil) != (failAt == 0) {
			t.Fatalf("failAt %d: error %v", failAt, err)
		}
		for i, photo := range photos {
			got, o := recoverTree(t, photo)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("failAt %d, killed before rename %d: recovered tree (-new +got):\n%s", failAt, i+1, diff)
			}
			if o.Completed != 1 {
				t.Errorf("failAt %d, killed before rename %d: completed %d journals, want 1", failAt, i+1, o.Completed)
			}
		}
	}
}

// TestOpenRemovesUncommittedStaging: a run killed while staging leaves a staging folder
// without a journal; the next run removes it and the tree is the old one.
func TestOpenRemovesUncommittedStaging(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, withMarker(map[string]string{"c1/a.yaml": h + "a\n"}))
	tree := goldentest.ReadTree(t, dir)
	put(t, dir, map[string]string{
		stagingPrefix + "1/new/c1/a.yaml":           h + "a2\n",
		stagingPrefix + "2/new/c1/b.yaml":           h + "b\n",
		stagingPrefix + "2/" + journalName + ".tmp": "meshroute out-dir journal v1\nwrite",
	})
	got, o := recoverTree(t, dir)
	if diff := cmp.Diff(tree, got); diff != "" {
		t.Errorf("recovered tree (-old +got):\n%s", diff)
	}
	if o.Removed != 2 || o.Completed != 0 {
		t.Errorf("removed %d, completed %d; want 2, 0", o.Removed, o.Completed)
	}
}

// TestOpenRefusesDamagedJournal: a journal that does not parse is not guessed at.
func TestOpenRefusesDamagedJournal(t *testing.T) {
	for _, journal := range []string{
		"meshroute out-dir journal v1\nwrite \"c1/a.yaml\"\n",       // no end line
		"meshroute out-dir journal v1\nwrite \"../a.yaml\"\nend\n",  // outside the cluster folders
		"meshroute out-dir journal v1\nmove \"c1/a.yaml\"\nend\n",   // unknown operation
		"meshroute out-dir journal v1\nremove \"c1/.git/x\"\nend\n", // nested and hidden
		"something else\nend\n",
	} {
		dir := t.TempDir()
		put(t, dir, map[string]string{stagingPrefix + "1/" + journalName: journal, "c1/a.yaml": h + "a\n"})
		want := goldentest.ReadTree(t, dir)
		_, err := Open(context.Background(), dir, 0)
		if err == nil || !strings.Contains(err.Error(), "move that folder away") {
			t.Errorf("journal %q: error %v", journal, err)
		}
		delete(want, schema.OutputMarker)
		got := goldentest.ReadTree(t, dir)
		delete(got, schema.OutputMarker)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("journal %q: folder changed (-before +after):\n%s", journal, diff)
		}
	}
}

// TestWriteClustersCancelled: cancelling before the commit point changes nothing and leaves
// no staging folder.
func TestWriteClustersCancelled(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, map[string]string{"c1/a.yaml": h + "a\n"})
	o, err := Open(context.Background(), dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	want := goldentest.ReadTree(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = o.WriteClusters(ctx, map[string][]byte{"c1/a.yaml": []byte("a2\n"), "c2/b.yaml": []byte("b\n")}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if diff := cmp.Diff(want, goldentest.ReadTree(t, dir)); diff != "" {
		t.Errorf("folder changed (-before +after):\n%s", diff)
	}
}

// TestOpenLock: a second run waits for the first, up to its bound, and a cancelled
// context ends the wait.
func TestOpenLock(t *testing.T) {
	dir := t.TempDir()
	first, err := Open(context.Background(), dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := Open(context.Background(), dir, 200*time.Millisecond); !errors.Is(err, ErrLocked) {
		t.Errorf("second run while the first holds the lock: %v, want ErrLocked", err)
	}
	if waited := time.Since(start); waited < 200*time.Millisecond {
		t.Errorf("gave up after %s, want the whole wait", waited)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := Open(ctx, dir, time.Minute); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled wait: %v", err)
	}
	time.AfterFunc(100*time.Millisecond, func() { first.Close() })
	second, err := Open(context.Background(), dir, 10*time.Second)
	if err != nil {
		t.Fatalf("waiting run did not get the released lock: %v", err)
	}
	second.Close()
}
