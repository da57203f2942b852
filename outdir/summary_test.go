package outdir

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// A write counts per cluster folder what it wrote, found already current and removed; a
// second write of the same files touches no file.
func TestWriteSummary(t *testing.T) {
	dir := t.TempDir()
	write := func(files map[string]string) Summary {
		t.Helper()
		o, err := Open(context.Background(), dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer o.Close()
		in := map[string][]byte{}
		for k, v := range files {
			in[k] = []byte(v)
		}
		s, err := o.WriteClusters(context.Background(), in, nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	first := map[string]string{"c1/a.yaml": "a\n", "c1/b.yaml": "b\n", "c2/c.yaml": "c\n"}
	if diff := cmp.Diff(Summary{"c1": {Written: 2}, "c2": {Written: 1}}, write(first)); diff != "" {
		t.Errorf("first write (-want +got):\n%s", diff)
	}
	stamp := func() time.Time {
		info, err := os.Stat(filepath.Join(dir, "c1", "a.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		return info.ModTime()
	}
	before := stamp()
	time.Sleep(10 * time.Millisecond)
	if diff := cmp.Diff(Summary{"c1": {Unchanged: 2}, "c2": {Unchanged: 1}}, write(first)); diff != "" {
		t.Errorf("same write (-want +got):\n%s", diff)
	}
	if after := stamp(); !after.Equal(before) {
		t.Errorf("an unchanged file was rewritten: %v → %v", before, after)
	}
	second := map[string]string{"c1/a.yaml": "a2\n", "c2/c.yaml": "c\n"}
	if diff := cmp.Diff(Summary{"c1": {Written: 1, Removed: 1}, "c2": {Unchanged: 1}}, write(second)); diff != "" {
		t.Errorf("changed write (-want +got):\n%s", diff)
	}
}
