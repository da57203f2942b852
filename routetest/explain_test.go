package routetest

import (
	"bytes"
	"testing"

	"github.com/meshroute/meshroute/eval"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/pipeline"
)

// TestExplainGolden pins the text (no colour) and JSON explanations of a delegated route, a
// request falling through to 404, a header-conditioned miss, and a backend with destination
// policies.
func TestExplainGolden(t *testing.T) {
	t.Chdir(goldentest.Root()) // relative positions in the golden files
	gw := func(ns, svc string) *eval.GatewayRef { return &eval.GatewayRef{Namespace: ns, Service: svc} }
	tests := []struct {
		name, input string
		req         eval.Request
		outcome     string
	}{
		{"delegated", "testdata/gateway-api-path-order",
			eval.Request{Gateway: gw("istio-gateways", "istio-ingressgateway"), Host: "path-order.example.com", Path: "/match/prefix/one/extra"}, eval.Forward},
		{"not-found", "testdata/gateway-api-path-order",
			eval.Request{Gateway: gw("istio-gateways", "istio-ingressgateway"), Host: "path-order.example.com", Path: "/matches"}, eval.NotFound},
		{"header-miss", "testdata/matchers",
			eval.Request{Gateway: gw("istio-gateways", "istio-ingressgateway"), Host: "shop.example.com", Path: "/headers/x",
				Headers: map[string]string{"x-user": "alice", "x-canary": "true"}}, eval.Forward},
		// the destination policies on the chosen backend, and its failover order
		{"destination-policies", "testdata/policy-destinations",
			eval.Request{Gateway: gw("istio-gateways", "istio-ingressgateway"), Host: "shop.example.com", Path: "/reviews"}, eval.Forward},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := compileCase(t, pipeline.TargetIstio, tt.input)
			x, err := Explain(c, "cluster-1", tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if x.Outcome != tt.outcome {
				t.Errorf("outcome %s, want %s", x.Outcome, tt.outcome)
			}
			var text, js bytes.Buffer
			if err := WriteExplainText(&text, x, false); err != nil {
				t.Fatal(err)
			}
			if err := WriteExplainJSON(&js, x); err != nil {
				t.Fatal(err)
			}
			goldentest.CompareFile(t, "explain/"+tt.name+".txt", text.Bytes())
			goldentest.CompareFile(t, "explain/"+tt.name+".json", js.Bytes())
		})
	}
}
