package goldentest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// ReadTree reads every file and folder under dir, hidden ones included: slash paths relative to
// dir → content, folders as "path/" → "". A missing dir is an empty tree. Tests of the out-dir
// compare whole trees with it (before and after a write, a crash or a recovery).
func ReadTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." {
				got[rel+"/"] = ""
			}
			return nil
		}
		b, err := os.ReadFile(path)
		got[rel] = string(b)
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return got
}
