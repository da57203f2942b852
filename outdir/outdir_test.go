package outdir

import (
	"context"
	"errors"
	"github.com/meshroute/meshroute/internal/goldentest"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/schema"
)

func put(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// asBytes is a test table's files as WriteClusters takes them.
func asBytes(files map[string]string) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range files {
		out[k] = []byte(v)
	}
	return out
}

const h = GeneratedHeader

// marker is the output marker as every written tree holds it.
var marker = map[string]string{schema.OutputMarker: markerText}

// withMarker is want plus the output marker.
func withMarker(want map[string]string) map[string]string {
	out := maps.Clone(want)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, marker)
	return out
}

// writeTree is one compile --out-dir: lock and recover, write, unlock.
func writeTree(dir string, files map[string][]byte, clusters []string) error {
	o, err := Open(context.Background(), dir, 0)
	if err != nil {
		return err
	}
	defer o.Close()
	_, err = o.WriteClusters(context.Background(), files, clusters)
	return err
}

func TestWriteTree(t *testing.T) {
	for _, tc := range []struct {
		name     string
		before   map[string]string
		files    map[string]string
		clusters []string
		want     map[string]string
	}{{
		name:  "fresh folder",
		files: map[string]string{"c1/a.yaml": "a\n", "c2/b.yaml": "b\n"},
		want:  map[string]string{"c1/": "", "c1/a.yaml": h + "a\n", "c2/": "", "c2/b.yaml": h + "b\n"},
	}, {
		name:   "stale generated file removed, user's files kept",
		before: map[string]string{"c1/a.yaml": h + "old\n", "c1/gone.yaml": h + "x\n", "c1/mine.yaml": "user\n", "README.md": "hi\n"},
		files:  map[string]string{"c1/a.yaml": "a\n"},
		want:   map[string]string{"c1/": "", "c1/a.yaml": h + "a\n", "c1/mine.yaml": "user\n", "README.md": "hi\n"},
	}, {
		name:   "cluster no longer produced: its generated files go, an emptied folder too",
		before: map[string]string{"c1/a.yaml": h + "a\n", "c2/b.yaml": h + "b\n", "c3/c.yaml": h + "c\n", "c3/keep.txt": "k\n"},
		files:  map[string]string{"c1/a.yaml": "a\n"},
		want:   map[string]string{"c1/": "", "c1/a.yaml": h + "a\n", "c3/": "", "c3/keep.txt": "k\n"},
	}, {
		name:     "--cluster touches only the named folders",
		before:   map[string]string{"c1/a.yaml": h + "a\n", "c1/gone.yaml": h + "x\n", "c2/b.yaml": h + "b\n"},
		files:    map[string]string{"c1/a.yaml": "a2\n"},
		clusters: []string{"c1"},
		want:     map[string]string{"c1/": "", "c1/a.yaml": h + "a2\n", "c2/": "", "c2/b.yaml": h + "b\n"},
	}, {
		name:     "--cluster with no output cleans that folder",
		before:   map[string]string{"c1/a.yaml": h + "a\n", "c2/b.yaml": h + "b\n"},
		files:    map[string]string{},
		clusters: []string{"c1"},
		want:     map[string]string{"c2/": "", "c2/b.yaml": h + "b\n"},
	}, {
		name:   "hidden folders and nested folders are never touched",
		before: map[string]string{".git/HEAD": h + "x\n", "c1/sub/x.yaml": h + "x\n"},
		files:  map[string]string{"c1/a.yaml": "a\n"},
		want: map[string]string{".git/": "", ".git/HEAD": h + "x\n", "c1/": "", "c1/a.yaml": h + "a\n",
			"c1/sub/": "", "c1/sub/x.yaml": h + "x\n"},
	}, {
		name:  "content that already has the header is not prefixed twice",
		files: map[string]string{"c1/a.yaml": h + "a\n"},
		want:  map[string]string{"c1/": "", "c1/a.yaml": h + "a\n"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			put(t, dir, tc.before)
			files := asBytes(tc.files)
			if err := writeTree(dir, files, tc.clusters); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(withMarker(tc.want), goldentest.ReadTree(t, dir)); diff != "" {
				t.Errorf("tree (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWriteTreeRefusesLeavesUnchanged: every refusal happens before the first change.
func TestWriteTreeRefusesLeavesUnchanged(t *testing.T) {
	before := withMarker(map[string]string{"c1/a.yaml": h + "a\n", "c1/mine.yaml": "user\n", "c2": "a file, not a folder"})
	for _, tc := range []struct {
		name     string
		files    map[string]string
		clusters []string
		want     string
	}{
		{"overwrite a user's file", map[string]string{"c1/mine.yaml": "x", "c1/b.yaml": "b"}, nil, "not written by meshroute"},
		{"cluster folder is a file", map[string]string{"c2/b.yaml": "b", "c1/b.yaml": "b"}, nil, "not a folder"},
		{"key without a cluster", map[string]string{"a.yaml": "a"}, nil, "want <cluster>/<file>"},
		{"key escaping the folder", map[string]string{"../c1/a.yaml": "a"}, nil, "want <cluster>/<file>"},
		{"nested key", map[string]string{"c1/x/a.yaml": "a"}, nil, "want <cluster>/<file>"},
		{"hidden cluster", map[string]string{".c/a.yaml": "a"}, nil, "want <cluster>/<file>"},
		{"file outside --cluster", map[string]string{"c3/a.yaml": "a"}, []string{"c1"}, "outside the clusters"},
		{"bad --cluster", map[string]string{}, []string{"../x"}, "not a plain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			put(t, dir, before)
			want := goldentest.ReadTree(t, dir)
			files := asBytes(tc.files)
			err := writeTree(dir, files, tc.clusters)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if diff := cmp.Diff(want, goldentest.ReadTree(t, dir)); diff != "" {
				t.Errorf("folder changed (-before +after):\n%s", diff)
			}
		})
	}
}

// TestWriteTreeRollsBack makes each rename fail in turn and checks the folder is restored: c1
// changes file by file, c2 is new, c3 is dropped and c4 replaced as a whole.
func TestWriteTreeRollsBack(t *testing.T) {
	before := withMarker(map[string]string{"c1/a.yaml": h + "a\n", "c1/gone.yaml": h + "g\n", "c1/mine.yaml": "user\n",
		"c3/old.yaml": h + "o\n", "c4/x.yaml": h + "x\n", "c4/gone.yaml": h + "g\n"})
	files := map[string][]byte{"c1/a.yaml": []byte("a2\n"), "c1/b.yaml": []byte("b\n"), "c2/c.yaml": []byte("c\n"),
		"c4/x.yaml": []byte("x2\n"), "c4/y.yaml": []byte("y\n")}
	defer func() { rename = os.Rename }()
	for failAt := 1; ; failAt++ {
		dir := t.TempDir()
		put(t, dir, before)
		want := goldentest.ReadTree(t, dir)
		calls := 0
		rename = func(from, to string) error {
			calls++
			if calls == failAt {
				return errors.New("injected failure")
			}
			return os.Rename(from, to)
		}
		err := writeTree(dir, maps.Clone(files), nil)
		if err == nil {
			if failAt == 1 {
				t.Fatal("no rename happened")
			}
			break // every rename position has been tried
		}
		if diff := cmp.Diff(want, goldentest.ReadTree(t, dir)); diff != "" {
			t.Errorf("failure at rename %d: folder not restored (-before +after):\n%s", failAt, diff)
		}
	}
}

func TestWriteTreeKeepsUnchangedFiles(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, map[string]string{"c1/a.yaml": h + "a\n"})
	old := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	path := filepath.Join(dir, "c1", "a.yaml")
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	if err := writeTree(dir, map[string][]byte{"c1/a.yaml": []byte("a\n")}, nil); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !info.ModTime().Equal(old) {
		t.Errorf("unchanged file was rewritten")
	}
}

func TestIsGenerated(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		content string
		want    bool
	}{
		{h + "x", true},
		{strings.TrimSuffix(h, "\n") + "\r\nx", true},
		{strings.TrimSuffix(h, "\n"), true},
		{"x\n" + h, false},
		{"", false},
		{"# Code generated by something else. DO NOT EDIT.\n", false},
	} {
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
			t.Fatal(err)
		}
		if got, err := isGenerated(path); err != nil || got != tc.want {
			t.Errorf("isGenerated(%q) = %v, %v; want %v", tc.content, got, err, tc.want)
		}
	}
}
