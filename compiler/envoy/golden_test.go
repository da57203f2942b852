package envoy_test

import (
	"context"
	"io/fs"
	"sync/atomic"
	"testing"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/schema"
)

// compileEnvoy runs the pipeline for the Envoy target, whose own check (Validate on every
// bootstrap) fails the test; nil when validation reports an error (compile writes nothing).
func compileEnvoy(t *testing.T, fsys fs.FS, path string) (*pipeline.Result, []diag.Diagnostic) {
	t.Helper()
	in := pipeline.Inputs{FS: fsys, Paths: []schema.Input{{Path: path}}}
	res, ds, err := pipeline.Compile(context.Background(), in, pipeline.Options{Target: pipeline.TargetEnvoy})
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return res, ds
}

// TestGolden compiles every case that validates without errors to Envoy bootstraps, checked as
// compile checks them; for a behaviour case it compares the YAML with
// golden/<case>/envoy/<cluster>/envoy-<gateway ns>-<gateway name>.yaml (a diagnostic case keeps
// no Envoy golden: its point is the diagnostic).
func TestGolden(t *testing.T) {
	var compiled atomic.Int32
	t.Cleanup(func() { // after the parallel subtests
		if compiled.Load() == 0 {
			t.Error("no testdata case compiled")
		}
	})
	for _, c := range goldentest.AllCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			fsys, input := c.Input()
			res, _ := compileEnvoy(t, fsys, input)
			if res == nil {
				t.Skip("validation reports errors, so compile writes nothing")
			}
			compiled.Add(1)
			files := map[string][]byte{}
			for _, cluster := range res.Model.ClusterNames() {
				fs, err := res.Files(cluster)
				if err != nil {
					t.Fatalf("render %s: %v", cluster, err)
				}
				for _, f := range fs {
					files[cluster+"/"+f.Name] = f.Data
				}
			}
			if c.Diag == nil {
				goldentest.CompareDir(t, c.Name+"/envoy", files)
			}
		})
	}
}
