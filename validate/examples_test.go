package validate

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/internal/goldentest"
)

// TestExampleCopiesInSync keeps each testdata/example-<name>/ case byte-identical to
// examples/<name>/: the case is how the golden and conformance checks see the example, so a copy
// that drifted would let the shipped example go unchecked.
func TestExampleCopiesInSync(t *testing.T) {
	for _, c := range goldentest.Cases(t) {
		name, ok := strings.CutPrefix(c, "example-")
		if !ok {
			continue
		}
		example, copied := goldentest.Path("examples", name), goldentest.Path("testdata", c)
		want, got := readTree(t, example), readTree(t, copied)
		for file, data := range want {
			if !bytes.Equal(got[file], data) {
				t.Errorf("testdata/%s/%s differs from examples/%s/%s (copy the example over)", c, file, name, file)
			}
		}
		for file := range got {
			if _, ok := want[file]; !ok {
				t.Errorf("testdata/%s/%s is not in examples/%s", c, file, name)
			}
		}
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestGoldenHasNoCopies keeps the golden tree free of byte-identical files: a copy asserts
// nothing its original does not, and hundreds of them hid what each case is for.
func TestGoldenHasNoCopies(t *testing.T) {
	files, seen := readTree(t, goldentest.Path("golden")), map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		data := files[name]
		if first, ok := seen[string(data)]; ok {
			t.Errorf("golden/%s is a copy of golden/%s", name, first)
			continue
		}
		seen[string(data)] = name
	}
}
