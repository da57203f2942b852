package routetest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/gen"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/schema"
)

// TestTargetsAgree feeds the same requests through the Istio and the Envoy evaluators, each on
// its own emitted config, and asserts the same outcome. The requests are derived from the
// routes themselves (one satisfying each matcher, one with only its path), so every route and
// the misses around it are exercised on both encodings — on every case that compiles (folders
// and diagnostic archives).
func TestTargetsAgree(t *testing.T) {
	for _, c := range goldentest.AllCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			fsys, input := c.Input()
			in := pipeline.Inputs{FS: fsys, Paths: []schema.Input{{Path: input}}}
			if !compiles(in) {
				t.Skip("does not compile (a diagnostics case)")
			}
			istio := compileWith(t, pipeline.TargetIstio, in)
			envoy := compileWith(t, pipeline.TargetEnvoy, in)
			n, outcomes := 0, map[string]int{}
			for _, rc := range gen.Requests(istio.Model) {
				a, errA := istio.Evaluate(rc.Cluster, rc.Req)
				b, errB := envoy.Evaluate(rc.Cluster, rc.Req)
				if (errA == nil) != (errB == nil) {
					t.Errorf("%s: istio error %v, envoy error %v", rc, errA, errB)
					continue
				}
				if errA != nil {
					outcomes["error"]++
					continue
				}
				n++
				outcomes[a.Outcome]++
				if diff := cmp.Diff(gen.Comparable(a), gen.Comparable(b)); diff != "" {
					t.Errorf("%s: istio and envoy disagree (-istio +envoy):\n%s", rc, diff)
				}
			}
			if n == 0 && len(istio.Model.Clusters) > 0 && hasGatewaySets(istio.Model) {
				t.Fatal("no request evaluated")
			}
			t.Logf("%d requests agree: %v", n, outcomes)
		})
	}
}

// compiles reports whether a case loads and validates without errors.
func compiles(in pipeline.Inputs) bool {
	_, ds, err := pipeline.Validate(context.Background(), in, pipeline.Options{})
	return err == nil && !diag.HasErrors(ds)
}

// hasGatewaySets reports whether any cluster serves a route set on a gateway (the requests
// derived here go through gateways only).
func hasGatewaySets(m *model.Model) bool {
	for _, c := range m.Clusters {
		for _, rs := range c.RouteSets {
			if len(rs.Gateways) > 0 {
				return true
			}
		}
	}
	return false
}
