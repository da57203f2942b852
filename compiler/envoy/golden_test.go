package envoy

import (
	"sync/atomic"
	"testing"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/render"
	"github.com/meshroute/meshroute/schema"
	"github.com/meshroute/meshroute/validate"
)

// TestGolden compiles every case that validates without errors to Envoy bootstraps and checks
// each one with Validate; for a behaviour case it compares the YAML with
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
			set, ds, err := (&schema.Loader{FS: fsys}).Load([]schema.Input{{Path: input}})
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			m, vds := validate.Run(set, validate.Options{})
			for _, d := range append(ds, vds...) {
				if d.Severity == diag.Error {
					t.Skipf("validation reports errors, so compile writes nothing: %s %s", d.Code, d.Message)
				}
			}
			compiled.Add(1)
			files := map[string][]byte{}
			for cluster, bs := range Emit(m, Options{}) {
				for _, b := range bs {
					name := cluster + "/" + b.FileName()
					if err := Validate(b.Config); err != nil {
						t.Errorf("%s would not load in Envoy:\n%v", name, err)
					}
					y, err := render.ProtoYAML(b.Config)
					if err != nil {
						t.Fatalf("render %s: %v", name, err)
					}
					files[name] = y
				}
			}
			if c.Diag == nil {
				goldentest.CompareDir(t, c.Name+"/envoy", files)
			}
		})
	}
}
