package routetest

import (
	"bytes"
	"testing"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/pipeline"
)

// TestResilienceExample: the global app with the failover policies of examples/resilience fails
// over the same way in both targets.
func TestResilienceExample(t *testing.T) {
	for _, target := range []string{pipeline.TargetIstio, pipeline.TargetEnvoy} {
		t.Run(target, func(t *testing.T) {
			c := compileCase(t, target, "examples/resilience")
			tests, ds, err := LoadFiles([]string{goldentest.Path("examples/resilience/tests.yaml")})
			if err != nil || diag.HasErrors(ds) {
				t.Fatal(err, ds)
			}
			if rep := Run(c, tests); rep.Failed > 0 || rep.Passed == 0 {
				var b bytes.Buffer
				_ = WriteText(&b, rep, OutputOptions{})
				t.Errorf("%d failed:\n%s", rep.Failed, b.String())
			}
		})
	}
}
