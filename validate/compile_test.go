package validate_test

import (
	"context"
	"os"
	"testing"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/schema"
	"github.com/meshroute/meshroute/validate"
)

// TestCompileRefusesExactlyOnErrors: compile emits only when validate reports no error
// (DESIGN.md §6). Suppressing every code must not change that, and whenever validate passes the
// emitter must accept the model. It runs the pipeline compile runs, so it lives outside
// package validate (the pipeline imports validate).
func TestCompileRefusesExactlyOnErrors(t *testing.T) {
	ctx := context.Background()
	for _, name := range goldentest.Cases(t) {
		t.Run(name, func(t *testing.T) {
			in := pipeline.Inputs{FS: os.DirFS(goldentest.Root()), Paths: []schema.Input{{Path: "testdata/" + name}}}
			v, ds, err := pipeline.Validate(ctx, in, pipeline.Options{})
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			_, quiet, err := pipeline.Validate(ctx, in, pipeline.Options{Suppress: []validate.Suppression{{Code: "*"}}})
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if diag.HasErrors(ds) != diag.HasErrors(quiet) {
				t.Fatalf("suppressing every code changed whether compile refuses: %v vs %v", ds, quiet)
			}
			for _, d := range quiet {
				if d.Severity != diag.Error {
					t.Errorf("suppress * kept %s", d)
				}
			}
			if diag.HasErrors(ds) {
				return // compile refuses; the model need not be emittable
			}
			res, err := pipeline.Emit(ctx, v, pipeline.Options{Target: pipeline.TargetIstio})
			if err != nil {
				t.Fatalf("emit: %v", err)
			}
			for _, c := range v.Model.Clusters {
				if _, ok := res.Istio[c.Name]; !ok && len(c.RouteSets)+len(c.Gateways)+len(c.Backends) > 0 {
					t.Errorf("validate passed but nothing was emitted for cluster %s", c.Name)
				}
			}
		})
	}
}
