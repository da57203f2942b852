package gen

import (
	"context"
	"fmt"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/schema"
)

// Result is what `meshroute validate` and `meshroute compile` make of a case, through the
// library calls the commands make.
type Result struct {
	Set         *schema.Set
	Model       *model.Model
	Diagnostics []diag.Diagnostic // loader's and validate's
	// Istio and Envoy are nil when a diagnostic is an error (compile refuses).
	Istio, Envoy *pipeline.Result
}

// HasErrors reports whether validate would exit 1.
func (r *Result) HasErrors() bool { return diag.HasErrors(r.Diagnostics) }

// Compile loads the case from memory, validates it and, when nothing is an error, emits (and
// checks) both targets. A panic anywhere is returned as an error naming the seed, so a
// property test can report the input instead of dying.
func Compile(c *Case) (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("seed %d: panic: %v", c.Seed, p)
		}
	}()
	ctx := context.Background()
	in := pipeline.Inputs{FS: c.FS("in"), Paths: []schema.Input{{Path: "in"}}}
	v, ds, err := pipeline.Validate(ctx, in, pipeline.Options{})
	if err != nil {
		return nil, fmt.Errorf("seed %d: load: %w", c.Seed, err)
	}
	res = &Result{Set: v.Set, Model: v.Model, Diagnostics: ds}
	if res.HasErrors() {
		return res, nil
	}
	if res.Istio, err = pipeline.Emit(ctx, v, pipeline.Options{Target: pipeline.TargetIstio}); err != nil {
		return nil, fmt.Errorf("seed %d: istio: %w", c.Seed, err)
	}
	if res.Envoy, err = pipeline.Emit(ctx, v, pipeline.Options{Target: pipeline.TargetEnvoy}); err != nil {
		return nil, fmt.Errorf("seed %d: envoy: %w", c.Seed, err)
	}
	return res, nil
}

// Manifests is the output as compile --out-dir would write it: cluster/file name → bytes,
// Istio objects and Envoy bootstraps (under envoy/).
func (r *Result) Manifests() (map[string][]byte, error) {
	out := map[string][]byte{}
	for prefix, pr := range map[string]*pipeline.Result{"": r.Istio, "envoy/": r.Envoy} {
		if pr == nil {
			continue
		}
		for _, cluster := range pr.Model.ClusterNames() {
			files, err := pr.Files(cluster)
			if err != nil {
				return nil, fmt.Errorf("%s%s: %w", prefix, cluster, err)
			}
			for _, f := range files {
				name := prefix + cluster + "/" + f.Name
				if _, dup := out[name]; dup { // compile --out-dir refuses two files of one name
					return nil, fmt.Errorf("two objects write %s", name)
				}
				out[name] = f.Data
			}
		}
	}
	return out, nil
}
