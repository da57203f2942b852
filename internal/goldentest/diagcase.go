package goldentest

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"
)

// DiagDir holds the diagnostic cases, one txtar archive each: testdata/diag/<code>-<name>.txtar
// shows one diagnostic (…-ok.txtar: the input fixed), inputs and expectations side by side.
const DiagDir = "testdata/diag"

// expectations are the sections of a diagnostic case that hold what `meshroute validate`
// prints, in the order they are written; every other section is an input file, named as in a
// user's repository (the name is the file:line:col position the diagnostics point at).
var expectations = []string{"validate.txt", "validate.json", "validate.github"}

// DiagCase is one diagnostic case archive.
type DiagCase struct {
	Name    string // file name without .txtar: mr2001-unknown-virtual-gateway
	path    string
	archive *txtar.Archive
}

// DiagCases parses every archive under testdata/diag (sorted by name).
func DiagCases(t testing.TB) []*DiagCase {
	t.Helper()
	paths, err := filepath.Glob(Path(DiagDir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	cases := make([]*DiagCase, 0, len(paths))
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, &DiagCase{Name: strings.TrimSuffix(filepath.Base(p), ".txtar"), path: p, archive: a})
	}
	return cases
}

// LoadDiagCase returns the diagnostic case of that name.
func LoadDiagCase(t testing.TB, name string) *DiagCase {
	t.Helper()
	for _, c := range DiagCases(t) {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no %s/%s.txtar", DiagDir, name)
	return nil
}

// FS holds the case's input files, read with schema.Loader{FS: c.FS()} and the input path ".".
func (c *DiagCase) FS() fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, f := range c.archive.Files {
		if !slices.Contains(expectations, f.Name) {
			fsys[path.Clean(f.Name)] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
		}
	}
	return fsys
}

// Extract writes the input files into a fresh temporary folder and returns it, for code that
// reads paths rather than an fs.FS.
func (c *DiagCase) Extract(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	for name, f := range c.FS() {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Compare holds the expectation sections to got (section name → content; a name left out must
// have no section). With -update it rewrites the archive: inputs byte for byte as they were, then
// the expectations in their fixed order.
func (c *DiagCase) Compare(t testing.TB, got map[string][]byte) {
	t.Helper()
	for name := range got {
		if !slices.Contains(expectations, name) {
			t.Fatalf("%s is not an expectation section (%v)", name, expectations)
		}
		got[name] = withNewline(got[name]) // txtar ends every section with one
	}
	if *Update {
		c.rewrite(t, got)
		return
	}
	label := filepath.ToSlash(filepath.Join(DiagDir, c.Name+".txtar"))
	for _, name := range expectations {
		want, ok := c.section(name)
		g, expected := got[name]
		switch {
		case ok && !expected:
			t.Errorf("%s: section %s is no longer produced (go test ./... -update removes it)", label, name)
		case !ok && expected:
			t.Errorf("%s: no section %s (go test ./... -update adds it):\n%s", label, name, g)
		case ok:
			if diff := cmp.Diff(string(want), string(g)); diff != "" {
				t.Errorf("%s: section %s differs from what the code generates (-want +got; go test ./... -update refreshes):\n%s", label, name, diff)
			}
		}
	}
}

func (c *DiagCase) section(name string) ([]byte, bool) {
	for _, f := range c.archive.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

func (c *DiagCase) rewrite(t testing.TB, got map[string][]byte) {
	t.Helper()
	a := &txtar.Archive{Comment: c.archive.Comment}
	for _, f := range c.archive.Files {
		if !slices.Contains(expectations, f.Name) {
			a.Files = append(a.Files, f)
		}
	}
	for _, name := range expectations {
		if data, ok := got[name]; ok {
			a.Files = append(a.Files, txtar.File{Name: name, Data: data})
		}
	}
	data := txtar.Format(a)
	if old, err := os.ReadFile(c.path); err == nil && bytes.Equal(old, data) {
		return
	}
	if err := os.WriteFile(c.path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	c.archive = a
}

func withNewline(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] != '\n' {
		return append(b, '\n')
	}
	return b
}

// Case is one input set of the golden tests: a behaviour case folder testdata/<name>/ (Diag nil)
// or a diagnostic case archive.
type Case struct {
	Name string
	Diag *DiagCase
}

// AllCases lists the behaviour case folders, then the diagnostic case archives.
func AllCases(t testing.TB) []Case {
	t.Helper()
	var cases []Case
	for _, name := range Cases(t) {
		cases = append(cases, Case{Name: name})
	}
	for _, c := range DiagCases(t) {
		cases = append(cases, Case{Name: c.Name, Diag: c})
	}
	return cases
}

// Input is where a schema.Loader reads the case: FS and the input path within it. Positions are
// relative to the repository root for a folder (testdata/<name>/…) and to the archive for a
// diagnostic case, as a user running meshroute there would see them.
func (c Case) Input() (fs.FS, string) {
	if c.Diag != nil {
		return c.Diag.FS(), "."
	}
	return os.DirFS(Root()), "testdata/" + c.Name
}
