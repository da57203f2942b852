package gen

import (
	"fmt"

	envoyc "github.com/meshroute/meshroute/compiler/envoy"
	"github.com/meshroute/meshroute/compiler/istio"
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/render"
	"github.com/meshroute/meshroute/schema"
	"github.com/meshroute/meshroute/validate"
)

// Result is what `meshroute validate` and `meshroute compile` make of a case, through the same
// library calls the commands make.
type Result struct {
	Set         *schema.Set
	Model       *model.Model
	Diagnostics []diag.Diagnostic // loader's, then validate's
	// Istio and Envoy are nil when a diagnostic is an error (compile refuses).
	Istio map[string][]render.Object
	Envoy map[string][]envoyc.Bootstrap
}

// HasErrors reports whether validate would exit 1.
func (r *Result) HasErrors() bool { return diag.HasErrors(r.Diagnostics) }

// Compile loads the case from memory, validates it and, when nothing is an error, emits both
// targets. A panic anywhere is returned as an error naming the seed, so a property test can
// report the input instead of dying.
func Compile(c *Case) (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("seed %d: panic: %v", c.Seed, p)
		}
	}()
	set, ds, err := (&schema.Loader{FS: c.FS("in")}).Load([]schema.Input{{Path: "in"}})
	if err != nil {
		return nil, fmt.Errorf("seed %d: load: %w", c.Seed, err)
	}
	res = &Result{Set: set, Diagnostics: ds}
	if set == nil {
		return res, nil
	}
	m, vds := validate.Run(set, validate.Options{})
	res.Model = m
	res.Diagnostics = append(res.Diagnostics, vds...)
	if res.HasErrors() {
		return res, nil
	}
	res.Istio = istio.Emit(m)
	res.Envoy = envoyc.Emit(m, envoyc.Options{})
	return res, nil
}

// Manifests renders the output as compile --out-dir would write it: cluster/file name → bytes,
// Istio objects and Envoy bootstraps (under envoy/).
func (r *Result) Manifests() (map[string][]byte, error) {
	out := map[string][]byte{}
	for cluster, objs := range r.Istio {
		for _, o := range objs {
			data, err := render.ObjectYAML(o)
			if err != nil {
				return nil, fmt.Errorf("%s %s/%s: %w", o.Kind, o.Namespace, o.Name, err)
			}
			name := cluster + "/" + render.ManifestFileName(o)
			if _, dup := out[name]; dup { // compile --out-dir refuses two files of one name
				return nil, fmt.Errorf("two objects write %s", name)
			}
			out[name] = data
		}
	}
	for cluster, bs := range r.Envoy {
		for _, b := range bs {
			data, err := render.ProtoYAML(b.Config)
			if err != nil {
				return nil, fmt.Errorf("envoy %s: %w", b.FileName(), err)
			}
			out["envoy/"+cluster+"/"+b.FileName()] = data
		}
	}
	return out, nil
}
