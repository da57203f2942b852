package envoy_test

import (
	"context"
	"os"
	"testing"

	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/schema"
)

// layeredOn names the examples that add to another one (a folder of policies for an app), which
// are compiled with it.
var layeredOn = map[string]string{"resilience": "global-app"}

// TestExamplesLoad: every bootstrap of every example under examples/ (what users run first, and
// what `make demo` compiles) passes the Envoy target's check. TestGolden covers testdata/;
// examples are not copied there, so without this an example could ship a bootstrap Envoy refuses.
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
			in := pipeline.Inputs{Paths: []schema.Input{{Path: goldentest.Path("examples", e.Name())}}}
			if base, ok := layeredOn[e.Name()]; ok {
				in.Paths = append([]schema.Input{{Path: goldentest.Path("examples", base)}}, in.Paths...)
			}
			res, ds, err := pipeline.Compile(context.Background(), in, pipeline.Options{Target: pipeline.TargetEnvoy})
			if err != nil {
				t.Fatal(err)
			}
			if res == nil {
				t.Fatalf("an example must compile: %v", ds)
			}
			n := 0
			for _, bs := range res.Envoy {
				n += len(bs)
			}
			if n == 0 {
				t.Error("no bootstrap emitted")
			}
		})
	}
}
