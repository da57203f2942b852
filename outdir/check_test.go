package outdir

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/internal/goldentest"
)

// TestPlanClusters: the dry run lists exactly what the write then does, touches nothing, and
// finds the written folder current.
func TestPlanClusters(t *testing.T) {
	for _, tc := range []struct {
		name     string
		before   map[string]string
		files    map[string]string
		clusters []string
		want     []Change
	}{{
		name:  "no folder yet: every file is new",
		files: map[string]string{"c2/b.yaml": "b\n", "c1/a.yaml": "a\n"},
		want:  []Change{{ChangeNew, "c1/a.yaml"}, {ChangeNew, "c2/b.yaml"}},
	}, {
		name:   "changed, unchanged, stale and the user's files",
		before: map[string]string{"c1/a.yaml": h + "old\n", "c1/same.yaml": h + "s\n", "c1/gone.yaml": h + "x\n", "c1/mine.yaml": "user\n"},
		files:  map[string]string{"c1/a.yaml": "a\n", "c1/same.yaml": "s\n", "c1/new.yaml": "n\n"},
		want:   []Change{{ChangeChanged, "c1/a.yaml"}, {ChangeRemoved, "c1/gone.yaml"}, {ChangeNew, "c1/new.yaml"}},
	}, {
		name:   "a cluster no longer produced",
		before: map[string]string{"c1/a.yaml": h + "a\n", "c2/b.yaml": h + "b\n"},
		files:  map[string]string{"c1/a.yaml": "a\n"},
		want:   []Change{{ChangeRemoved, "c2/b.yaml"}},
	}, {
		name:     "--cluster leaves the other folders out",
		before:   map[string]string{"c1/a.yaml": h + "a\n", "c2/b.yaml": h + "b\n"},
		files:    map[string]string{"c1/a.yaml": "a2\n"},
		clusters: []string{"c1"},
		want:     []Change{{ChangeChanged, "c1/a.yaml"}},
	}, {
		name:   "current",
		before: map[string]string{"c1/a.yaml": h + "a\n"},
		files:  map[string]string{"c1/a.yaml": "a\n"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			put(t, dir, tc.before)
			files := asBytes(tc.files)
			before := goldentest.ReadTree(t, dir)
			got, err := PlanClusters(dir, files, tc.clusters)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, goldentest.ReadTree(t, dir)); diff != "" {
				t.Errorf("the dry run changed the folder (-before +after):\n%s", diff)
			}
			if err := writeTree(dir, files, tc.clusters); err != nil {
				t.Fatal(err)
			}
			if after, err := PlanClusters(dir, files, tc.clusters); err != nil || len(after) > 0 {
				t.Errorf("after the write: %v, %v; want no change", after, err)
			}
		})
	}
}

// TestPlanClustersRefuses: a user's file where meshroute would write fails the check as it
// fails the write.
func TestPlanClustersRefuses(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, map[string]string{"c1/a.yaml": "user\n"})
	if _, err := PlanClusters(dir, map[string][]byte{"c1/a.yaml": []byte("a\n")}, nil); err == nil {
		t.Error("no error for a user's file in the way")
	}
}
