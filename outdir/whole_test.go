package outdir

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/internal/goldentest"
)

// countRenames makes rename count the renames that happen, until the test ends.
func countRenames(t *testing.T) *int {
	n := new(int)
	rename = func(from, to string) error {
		err := os.Rename(from, to)
		if err == nil {
			*n++
		}
		return err
	}
	t.Cleanup(func() { rename = os.Rename })
	return n
}

// A cluster folder that is missing, or whose every entry the change replaces or removes, moves
// as a whole: one rename in (two with the old one moved aside), one out; any other is changed
// file by file.
func TestWholeFolderMoves(t *testing.T) {
	for _, tc := range []struct {
		name     string
		before   map[string]string
		files    map[string]string
		clusters []string
		renames  int
		want     map[string]string
	}{{
		name:    "new cluster folders",
		files:   map[string]string{"c1/a.yaml": "a\n", "c1/b.yaml": "b\n", "c2/c.yaml": "c\n"},
		renames: 2,
		want:    map[string]string{"c1/": "", "c1/a.yaml": h + "a\n", "c1/b.yaml": h + "b\n", "c2/": "", "c2/c.yaml": h + "c\n"},
	}, {
		name:    "every file replaced or removed",
		before:  map[string]string{"c1/a.yaml": h + "a\n", "c1/gone.yaml": h + "g\n"},
		files:   map[string]string{"c1/a.yaml": "a2\n", "c1/b.yaml": "b\n"},
		renames: 2,
		want:    map[string]string{"c1/": "", "c1/a.yaml": h + "a2\n", "c1/b.yaml": h + "b\n"},
	}, {
		name:    "cluster no longer produced",
		before:  map[string]string{"c1/a.yaml": h + "a\n", "c2/x.yaml": h + "x\n", "c2/y.yaml": h + "y\n"},
		files:   map[string]string{"c1/a.yaml": "a\n"},
		renames: 1,
		want:    map[string]string{"c1/": "", "c1/a.yaml": h + "a\n"},
	}, {
		name:     "--cluster naming a cluster that produces nothing",
		before:   map[string]string{"c1/a.yaml": h + "a\n", "c2/b.yaml": h + "b\n"},
		files:    map[string]string{},
		clusters: []string{"c1"},
		renames:  1,
		want:     map[string]string{"c2/": "", "c2/b.yaml": h + "b\n"},
	}, {
		name:    "an unchanged file: file by file",
		before:  map[string]string{"c1/a.yaml": h + "a\n", "c1/b.yaml": h + "b\n"},
		files:   map[string]string{"c1/a.yaml": "a\n", "c1/b.yaml": "b2\n"},
		renames: 2,
		want:    map[string]string{"c1/": "", "c1/a.yaml": h + "a\n", "c1/b.yaml": h + "b2\n"},
	}, {
		name:    "a file of the user's: file by file",
		before:  map[string]string{"c1/a.yaml": h + "a\n", "c1/mine.txt": "user\n", "c1/sub/x.yaml": h + "x\n"},
		files:   map[string]string{"c1/a.yaml": "a2\n"},
		renames: 2,
		want:    map[string]string{"c1/": "", "c1/a.yaml": h + "a2\n", "c1/mine.txt": "user\n", "c1/sub/": "", "c1/sub/x.yaml": h + "x\n"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			put(t, dir, tc.before)
			renames := countRenames(t)
			if err := writeTree(dir, asBytes(tc.files), tc.clusters); err != nil {
				t.Fatal(err)
			}
			if *renames != tc.renames {
				t.Errorf("%d renames, want %d", *renames, tc.renames)
			}
			if diff := cmp.Diff(withMarker(tc.want), goldentest.ReadTree(t, dir)); diff != "" {
				t.Errorf("tree (-want +got):\n%s", diff)
			}
		})
	}
}

// An entry that appears in a folder moved whole after the change was planned (the user's file,
// a sub-folder) is still there afterwards, and the undo of a failed change keeps it too.
func TestWholeFolderKeepsWhatAppears(t *testing.T) {
	for _, tc := range []struct {
		name   string
		before map[string]string
		files  map[string]string
		want   map[string]string
	}{{
		name:   "folder replaced",
		before: map[string]string{"c1/a.yaml": h + "a\n"},
		files:  map[string]string{"c1/a.yaml": "a2\n"},
		want:   map[string]string{"c1/": "", "c1/a.yaml": h + "a2\n", "c1/mine.txt": "user\n", "c1/sub/": "", "c1/sub/x": "x\n"},
	}, {
		name:   "folder dropped",
		before: map[string]string{"c1/a.yaml": h + "a\n", "c2/a.yaml": h + "a\n"},
		files:  map[string]string{"c2/a.yaml": "a\n"},
		want:   map[string]string{"c1/": "", "c1/mine.txt": "user\n", "c1/sub/": "", "c1/sub/x": "x\n", "c2/": "", "c2/a.yaml": h + "a\n"},
	}} {
		for _, fail := range []bool{false, true} {
			t.Run(tc.name, func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "out")
				put(t, dir, withMarker(tc.before))
				old := goldentest.ReadTree(t, dir)
				calls := 0
				rename = func(from, to string) error {
					calls++
					if calls == 1 { // the user writes while the change runs
						put(t, dir, map[string]string{"c1/mine.txt": "user\n", "c1/sub/x": "x\n"})
					}
					if fail && strings.HasSuffix(from, "mine.txt") {
						return os.ErrPermission
					}
					return os.Rename(from, to)
				}
				defer func() { rename = os.Rename }()
				err := writeTree(dir, asBytes(tc.files), nil)
				want := tc.want
				if fail {
					if err == nil {
						t.Fatal("the injected failure went unnoticed")
					}
					want = old // with the user's entries
					maps.Copy(want, map[string]string{"c1/mine.txt": "user\n", "c1/sub/": "", "c1/sub/x": "x\n"})
				} else {
					if err != nil {
						t.Fatal(err)
					}
					want = withMarker(want)
				}
				if diff := cmp.Diff(want, goldentest.ReadTree(t, dir)); diff != "" {
					t.Errorf("failing %v: tree (-want +got):\n%s", fail, diff)
				}
			})
		}
	}
}

// A cluster folder missing when its files were put, yet there with a file of the user's of the
// same name at commit, is refused as Put would have refused it: nothing changes.
func TestWholeFolderAppearingWithTheUsersFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	o, err := Open(context.Background(), dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	txn, err := o.Begin(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := putAll(txn, asBytes(map[string]string{"c1/a.yaml": "a\n", "c1/b.yaml": "b\n"})); err != nil {
		t.Fatal(err)
	}
	put(t, dir, map[string]string{"c1/a.yaml": "mine\n"})
	want := withMarker(map[string]string{"c1/": "", "c1/a.yaml": "mine\n"})
	if _, err := txn.Commit(); err == nil || !strings.Contains(err.Error(), "not written by meshroute") {
		t.Errorf("Commit: %v, want a refusal", err)
	}
	if diff := cmp.Diff(want, goldentest.ReadTree(t, dir)); diff != "" {
		t.Errorf("folder changed (-before +after):\n%s", diff)
	}
}
