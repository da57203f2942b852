package schema

import (
	"crypto/sha256"
	"errors"
	"testing"
	"testing/fstest"
)

// The fingerprint changes exactly when what Load reads changes: a byte, a file added or
// renamed, the --services cluster; a file the walk leaves out does not count.
func TestFingerprint(t *testing.T) {
	base := fstest.MapFS{
		"in/a.yaml":       {Data: []byte("kind: A\n")},
		"in/b.yaml":       {Data: []byte("kind: B\n")},
		"in/notes.txt":    {Data: []byte("not an input")},
		"in/.hidden.yaml": {Data: []byte("kind: H\n")},
	}
	sum := func(fsys fstest.MapFS, inputs ...Input) string {
		t.Helper()
		h := sha256.New()
		l := &Loader{FS: fsys}
		if err := l.Fingerprint(inputs, h); err != nil {
			t.Fatal(err)
		}
		return string(h.Sum(nil))
	}
	with := func(path, data string) fstest.MapFS {
		out := fstest.MapFS{}
		for k, v := range base {
			out[k] = v
		}
		if data == "" {
			delete(out, path)
		} else {
			out[path] = &fstest.MapFile{Data: []byte(data)}
		}
		return out
	}
	in := []Input{{Path: "in"}}
	want := sum(base, in...)
	if got := sum(with("in/notes.txt", "changed"), in...); got != want {
		t.Error("a file the walk leaves out changed the fingerprint")
	}
	if got := sum(with("in/.hidden.yaml", "kind: X\n"), in...); got != want {
		t.Error("a hidden file changed the fingerprint")
	}
	renamed := with("in/b.yaml", "")
	renamed["in/c.yaml"] = base["in/b.yaml"]
	for name, got := range map[string]string{
		"a changed byte":     sum(with("in/a.yaml", "kind: a\n"), in...),
		"a file added":       sum(with("in/c.yaml", "kind: C\n"), in...),
		"a file renamed":     sum(renamed, in...),
		"a services cluster": sum(base, Input{Path: "in", ServicesCluster: "c1"}),
	} {
		if got == want {
			t.Errorf("%s left the fingerprint as it was", name)
		}
	}
	if err := (&Loader{FS: base}).Fingerprint([]Input{{Path: "in"}, {Path: StdinPath}}, sha256.New()); !errors.Is(err, ErrNoFingerprint) {
		t.Errorf("standard input: %v, want ErrNoFingerprint", err)
	}
}
