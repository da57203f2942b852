package cmd

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/compiler/envoy"
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/schema"
)

// caseModel is the validated model of a valid case with one gateway; broken, every forwarding
// route gets an empty rewrite pattern, which the schema never lets through: the model a bug
// would produce, and one whose bootstrap Envoy refuses.
func caseModel(t *testing.T, broken bool) *pipeline.Validated {
	t.Helper()
	in := pipeline.Inputs{FS: goldentest.LoadDiagCase(t, "mr4015-weights-scaled-ok").FS(), Paths: []schema.Input{{Path: "."}}}
	v, ds, err := pipeline.Validate(context.Background(), in, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diag.HasErrors(ds) {
		t.Fatalf("case does not compile: %v", ds)
	}
	if !broken {
		return v
	}
	for _, c := range v.Model.Clusters {
		for _, g := range c.Gateways {
			for _, l := range g.Listeners {
				for _, vh := range l.VirtualHosts {
					for _, r := range vh.Routes {
						if r.Forward != nil {
							r.Forward.RegexRewrite = &model.RegexRewrite{Pattern: ""}
						}
					}
				}
			}
		}
	}
	return v
}

// TestCompileEnvoyInternalError: a bootstrap that fails Envoy's load checks stops the pipeline
// before anything reaches standard output or an out-dir, and is an internal error naming it,
// exit code 2 — not 1, which would blame the input.
func TestCompileEnvoyInternalError(t *testing.T) {
	const want = "internal error: Envoy would refuse the bootstrap cluster-1/envoy-istio-gateways-virtualgateway-north-south-gloo-mesh.yaml"
	opts := pipeline.Options{Target: targetEnvoy}
	if _, err := pipeline.Emit(context.Background(), caseModel(t, false), opts); err != nil {
		t.Fatalf("the unbroken case: %v", err)
	}
	res, err := pipeline.Emit(context.Background(), caseModel(t, true), opts)
	if res != nil {
		t.Errorf("a result came back with the error")
	}
	err = compileError(err)
	var ee *exitError
	var ib *envoy.InvalidBootstrapError
	if !errors.As(err, &ee) || ee.code != exitUsage || !errors.As(err, &ib) || !strings.Contains(err.Error(), want) || !strings.HasSuffix(err.Error(), "; nothing was written") {
		t.Fatalf("error %v, want exit code %d with %q", err, exitUsage, want)
	}
}
