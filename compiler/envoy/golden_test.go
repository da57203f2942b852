package envoy_test

import (
	"context"
	"testing"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/schema"
)

// compileEnvoy runs the pipeline for the Envoy target, whose own check (Validate on every
// bootstrap) fails the test; nil when validation reports an error (compile writes nothing).
func compileEnvoy(t *testing.T, path string) (*pipeline.Result, []diag.Diagnostic) {
	t.Helper()
	in := pipeline.Inputs{Paths: []schema.Input{{Path: path}}}
	res, ds, err := pipeline.Compile(context.Background(), in, pipeline.Options{Target: pipeline.TargetEnvoy})
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return res, ds
}

// TestGolden compiles every testdata case that validates without errors to Envoy bootstraps,
// checked as compile checks them, and compares the YAML with
// golden/<case>/envoy/<cluster>/envoy-<gateway ns>-<gateway name>.yaml.
func TestGolden(t *testing.T) {
	compiled := 0
	for _, c := range goldentest.Cases(t) {
		t.Run(c, func(t *testing.T) {
			res, _ := compileEnvoy(t, goldentest.Path("testdata", c))
			if res == nil {
				t.Skip("validation reports errors, so compile writes nothing")
			}
			compiled++
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
			goldentest.CompareDir(t, c+"/envoy", files)
		})
	}
	if compiled == 0 {
		t.Error("no testdata case compiled")
	}
}
