package render_test

import (
	"context"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/render"
	"github.com/meshroute/meshroute/schema"
)

// TestWalkerMatchesProtojsonOnGoldenCases compiles every testdata case for both targets and
// checks that the walker builds, for every emitted Istio spec and Envoy bootstrap, the very
// tree protojson's output gives, without leaving any of them to protojson.
func TestWalkerMatchesProtojsonOnGoldenCases(t *testing.T) {
	var specs, bootstraps, treeOnly int
	for _, c := range goldentest.AllCases(t) {
		fsys, input := c.Input()
		in := pipeline.Inputs{FS: fsys, Paths: []schema.Input{{Path: input}}}
		v, ds, err := pipeline.Validate(context.Background(), in, pipeline.Options{})
		if err != nil || diag.HasErrors(ds) {
			continue // compile writes nothing for it
		}
		for _, target := range []string{pipeline.TargetIstio, pipeline.TargetEnvoy} {
			res, err := pipeline.Emit(context.Background(), v, pipeline.Options{Target: target})
			if err != nil {
				continue // a target refuses this case (a diagnostic elsewhere)
			}
			for cluster, objs := range res.Istio {
				for _, o := range objs {
					name := c.Name + "/" + cluster + "/" + o.Kind + "/" + o.Name
					if o.Spec != nil {
						specs++
						compareTrees(t, name, o.Spec, false)
					}
					if !compareYAML(t, name, o) {
						treeOnly++
					}
				}
			}
			for cluster, bs := range res.Envoy {
				for _, b := range bs {
					bootstraps++
					compareTrees(t, c.Name+"/"+cluster+"/"+b.FileName(), b.Config, true)
				}
			}
		}
	}
	if specs < 100 || bootstraps < 10 {
		t.Fatalf("only %d specs and %d bootstraps compared", specs, bootstraps)
	}
	t.Logf("%d specs and %d bootstraps compared; %d objects left to the tree path", specs, bootstraps, treeOnly)
	if treeOnly*20 > specs {
		t.Errorf("%d of %d objects left to the tree path: the direct writer is not what is being tested", treeOnly, specs)
	}
}

// compareYAML checks that ObjectYAML's direct path, when it takes o, writes the tree path's
// bytes; it reports whether it took o.
func compareYAML(t *testing.T, name string, o render.Object) bool {
	t.Helper()
	got, ok := render.DirectYAML(o)
	want, err := render.TreeYAML(o)
	switch {
	case !ok:
		return false
	case err != nil:
		t.Errorf("%s: the tree path fails (%v), the direct path does not", name, err)
	case string(got) != string(want):
		t.Errorf("%s: direct YAML differs from the tree's:\n--- tree\n%s\n--- direct\n%s", name, want, got)
	}
	return true
}

func compareTrees(t *testing.T, name string, m proto.Message, envoy bool) {
	t.Helper()
	got, err := render.WalkedTree(m, envoy)
	if err != nil {
		t.Errorf("%s: walker: %v", name, err)
		return
	}
	want, err := render.OracleTree(m, envoy)
	if err != nil {
		t.Errorf("%s: protojson: %v", name, err)
		return
	}
	if d := render.TreeDiff(want, got); d != "" {
		t.Errorf("%s: walker tree differs from protojson's: %s", name, d)
	}
}
