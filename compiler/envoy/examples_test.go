package envoy

import (
	"os"
	"testing"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/schema"
	"github.com/meshroute/meshroute/validate"
)

// TestExamplesLoad: every bootstrap of every example under examples/ (what users run first, and
// what `make demo` compiles) passes Validate. TestGolden covers testdata/; examples are not
// copied there, so without this an example could ship a bootstrap Envoy refuses.
func TestExamplesLoad(t *testing.T) {
	entries, err := os.ReadDir(goldentest.Path("examples"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			set, ds, err := (&schema.Loader{}).Load([]schema.Input{{Path: goldentest.Path("examples", e.Name())}})
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			m, vds := validate.Run(set, validate.Options{})
			for _, d := range append(ds, vds...) {
				if d.Severity == diag.Error {
					t.Fatalf("an example must compile: %s %s", d.Code, d.Message)
				}
			}
			n := 0
			for cluster, bs := range Emit(m, Options{}) {
				for _, b := range bs {
					n++
					if err := Validate(b.Config); err != nil {
						t.Errorf("%s/%s would not load in Envoy:\n%v", cluster, b.FileName(), err)
					}
				}
			}
			if n == 0 {
				t.Error("no bootstrap emitted")
			}
		})
	}
}
