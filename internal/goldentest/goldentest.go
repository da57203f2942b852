// Package goldentest compares test output with files under golden/ and rewrites them when the
// tests run with -update. Every package with tests imports it, so that `go test ./... -update`
// finds the flag in each test binary.
package goldentest

import (
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Update is set by `go test ./... -update`.
var Update = flag.Bool("update", false, "rewrite golden files from the current output")

// Root returns the repository root (the folder holding go.mod).
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Path joins a path under the repository root.
func Path(elem ...string) string { return filepath.Join(append([]string{Root()}, elem...)...) }

// Cases lists the behaviour case folders under testdata/ (sorted); the diagnostic cases are
// archives, listed by DiagCases.
func Cases(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(Path("testdata"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != filepath.Base(DiagDir) {
			cases = append(cases, e.Name())
		}
	}
	return cases
}

// CompareFile compares got with golden file rel (relative to golden/), or writes it with -update.
func CompareFile(t testing.TB, rel string, got []byte) {
	t.Helper()
	compare(t, Path("golden", rel), rel, got)
}

// CompareGeneratedDoc keeps a page of docs/ in step with the code that generates it: it fails
// when the file differs from got, and rewrites it with -update.
func CompareGeneratedDoc(t testing.TB, name string, got []byte) {
	t.Helper()
	compare(t, Path("docs", name), "docs/"+name, got)
}

// compare is the one golden comparison: with -update it writes path, otherwise a missing or
// different file fails the test, named by label.
func compare(t testing.TB, path, label string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./... -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from what the code generates (-want +got; go test ./... -update refreshes):\n%s", label, diff)
	}
}

// CompareDir compares a whole tree of files (relative names → content) with golden/<rel>/:
// with -update the folder is replaced, otherwise missing, extra and differing files all fail.
func CompareDir(t testing.TB, rel string, files map[string][]byte) {
	t.Helper()
	dir := Path("golden", rel)
	if *Update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		CompareFile(t, filepath.Join(rel, name), files[name])
	}
	if *Update {
		return
	}
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		name, _ := filepath.Rel(dir, path)
		if _, ok := files[filepath.ToSlash(name)]; !ok && !strings.HasPrefix(filepath.Base(name), ".") {
			t.Errorf("golden/%s/%s is no longer produced (go test ./... -update removes it)", rel, name)
		}
		return nil
	})
}

// CompareOptionalFile is CompareFile for a golden that exists only when got is not nil: a nil
// got expects no file, and -update removes it.
func CompareOptionalFile(t testing.TB, rel string, got []byte) {
	t.Helper()
	if got != nil {
		CompareFile(t, rel, got)
		return
	}
	path := Path("golden", rel)
	if *Update {
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		return
	}
	if _, err := os.Stat(path); err == nil {
		t.Errorf("golden/%s is no longer produced (go test ./... -update removes it)", rel)
	}
}
