//go:build linux

package cmd

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/outdir"
)

// A re-run with nothing changed replays the first run's diagnostics and summary without
// compiling, printing what a full re-run prints; any change of an input byte, of a flag that
// changes the output, or of the folder (a hand-edited or deleted output file) compiles in full
// and puts the folder right.
func TestCompileCache(t *testing.T) {
	hits := 0
	defer func(f func(string, [sha256.Size]byte) ([]byte, bool)) { cachedRecord = f }(cachedRecord)
	cachedRecord = func(dir string, key [sha256.Size]byte) ([]byte, bool) {
		payload, ok := outdir.Cached(dir, key)
		if ok {
			hits++
		}
		return payload, ok
	}
	root := t.TempDir()
	in := filepath.Join(root, "in")
	if err := os.CopyFS(in, os.DirFS(goldentest.Path("testdata", "gloo-delegation"))); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(root, "out")
	compile := func(extra ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"compile", "-f", in, "--out-dir", out}, extra...), env{stdout: &stdout, stderr: &stderr})
		return code, stderr.String()
	}
	expect := func(step string, wantHit bool, extra ...string) string {
		t.Helper()
		before := hits
		code, stderr := compile(extra...)
		if code != exitOK {
			t.Fatalf("%s: exit %d\n%s", step, code, stderr)
		}
		if hit := hits > before; hit != wantHit {
			t.Fatalf("%s: cache hit = %v, want %v\n%s", step, hit, wantHit, stderr)
		}
		return stderr
	}
	expect("first run", false)
	want := goldentest.ReadTree(t, out)
	delete(want, outdir.CacheFile)
	replayed := expect("re-run", true)
	if err := os.Remove(filepath.Join(out, outdir.CacheFile)); err != nil {
		t.Fatal(err)
	}
	if full := expect("re-run without the record", false); full != replayed {
		t.Errorf("the replay printed\n%s\na full run prints\n%s", replayed, full)
	}
	if !bytes.Contains([]byte(replayed), []byte("warning MR3002")) {
		t.Errorf("the replay lost the warning:\n%s", replayed)
	}
	expect("re-run once the record is back", true)
	if code, stderr := compile("--check"); code != exitOK || !bytes.Contains([]byte(stderr), []byte("up to date")) {
		t.Errorf("--check on a cached folder: exit %d\n%s", code, stderr)
	}

	one := filepath.Join(out, "cluster-1")
	entries, err := os.ReadDir(one)
	if err != nil || len(entries) == 0 {
		t.Fatalf("no output in %s: %v", one, err)
	}
	file := filepath.Join(one, entries[0].Name())
	content, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		change func() error
		flags  []string
	}{
		{"a hand-edited output file", func() error { return os.WriteFile(file, append(content, "# edited\n"...), 0o644) }, nil},
		{"a deleted output file", func() error { return os.Remove(file) }, nil},
		{"a changed flag", func() error { return nil }, []string{"--suppress", "MR3002"}},
	} {
		if err := tc.change(); err != nil {
			t.Fatal(err)
		}
		expect(tc.name, false, tc.flags...)
		got := goldentest.ReadTree(t, out)
		delete(got, outdir.CacheFile)
		if !equalTrees(got, want) {
			t.Errorf("%s: the full run did not restore the output", tc.name)
		}
		expect(tc.name+", re-run", true, tc.flags...)
	}
	expect("back to the first flags", false)

	root1 := filepath.Join(in, "root.yaml")
	data, err := os.ReadFile(root1)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(root1, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	expect("a changed input byte", false)
	expect("a changed input byte, re-run", true)
}
