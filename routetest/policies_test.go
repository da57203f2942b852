package routetest

import (
	"strings"
	"testing"

	"github.com/meshroute/meshroute/pipeline"
)

// Wrong policy expectations fail on both targets, each with what the route really does.
func TestPolicyExpectationsFail(t *testing.T) {
	const doc = `apiVersion: meshroute.dev/v1alpha1
kind: RouteTest
spec:
  tests:
  - name: wrong
    cluster: cluster-1
    gateway: istio-gateways/istio-ingressgateway
    request: {host: shop.example.com, path: /api}
    expect:
      destinations: [{kind: SERVICE, name: web, weight: 80}, {kind: SERVICE, name: reviews, weight: 20}]
      timeout: 1s
      retries: {attempts: 3, retryOn: 5xx}
      fault: {abort: {httpStatus: 500}}
      headers: {request: {add: {x-shop: silver}}, response: {remove: [server]}}
`
	want := []string{
		"expected timeout 1s, got 5s",
		"expected retries 3 attempts on 5xx, got 3 attempts, 1.5s per try on connect-failure,retriable-status-codes,503",
		"expected fault abort 500 for 0%, got none",
		"expected request header x-shop: silver added, got added {x-shop: gold}",
		"expected response header server removed, got removed []",
	}
	tests, ds := Parse("policies.yaml", []byte(doc))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	for _, target := range []string{pipeline.TargetIstio, pipeline.TargetEnvoy} {
		rep := Run(compileCase(t, target, "testdata/policy-routes"), tests)
		if rep.Failed != 1 {
			t.Fatalf("%s: %d failed, want 1", target, rep.Failed)
		}
		got := strings.Join(rep.Cases[0].Problems, "\n")
		if got != strings.Join(want, "\n") {
			t.Errorf("%s problems:\n%s\nwant:\n%s", target, got, strings.Join(want, "\n"))
		}
	}
}
