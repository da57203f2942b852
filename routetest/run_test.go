package routetest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/eval"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/schema"
)

// compileCase loads input paths (relative to the repository root) and compiles them for target.
func compileCase(t *testing.T, target string, paths ...string) *Compiled {
	t.Helper()
	var inputs []schema.Input
	for _, p := range paths {
		if !filepath.IsAbs(p) && !strings.HasPrefix(p, ".") {
			if wd, _ := os.Getwd(); wd != goldentest.Root() {
				p = goldentest.Path(p)
			}
		}
		inputs = append(inputs, schema.Input{Path: p})
	}
	return compileWith(t, target, pipeline.Inputs{Paths: inputs})
}

// compileWith compiles in for target.
func compileWith(t *testing.T, target string, in pipeline.Inputs) *Compiled {
	t.Helper()
	res, ds, err := pipeline.Compile(context.Background(), in, pipeline.Options{Target: target})
	if err != nil {
		t.Fatal(err)
	}
	if res == nil {
		t.Fatalf("%v does not compile: %v", in.Paths, ds)
	}
	return New(res)
}

func TestExamples(t *testing.T) {
	for _, tt := range []struct{ inputs, tests string }{
		{"examples/global-app", "examples/global-app/tests.yaml"},
		{"examples/workspaces", "examples/workspaces/tests.yaml"},
		{"examples/gloo-2.9-lab", "examples/gloo-2.9-lab/tests.yaml"},
		{"testdata/gateway-api-path-order", "testdata/gateway-api-path-order/tests.yaml"},
		// rewrite expectations on routes that rewrite only the host (or nothing) compare the
		// request's own path
		{"testdata/routes-actions", "testdata/routes-actions/tests.yaml"},
		{"testdata/routes-delegation", "testdata/routes-delegation/tests.yaml"},
		{"testdata/external-services", "testdata/external-services/tests.yaml"},
		// egress gateways: the sidecar's hop and the egress gateway's (expect.egress)
		{"testdata/egress-gateway", "testdata/egress-gateway/tests.yaml"},
		{"testdata/routes-conditions", "testdata/routes-conditions/tests.yaml"},
		{"testdata/routes-specificity", "testdata/routes-specificity/tests.yaml"},
		{"testdata/gloo-request-matching", "testdata/gloo-request-matching/tests.yaml"},
		{"testdata/gloo-redirect-rewrite-https", "testdata/gloo-redirect-rewrite-https/tests.yaml"},
		{"testdata/gloo-delegation", "testdata/gloo-delegation/tests.yaml"},
		{"testdata/gloo-multicluster-east-west", "testdata/gloo-multicluster-east-west/tests.yaml"},
		// two root tables on one host: on different ports, and on one port with disjoint routes
		{"testdata/ingress-host-tables-per-port", "testdata/ingress-host-tables-per-port/tests.yaml"},
		// tcp and tls connections from sidecars (skipped on the envoy target: mesh requests)
		{"testdata/mesh-tcp-routes", "testdata/mesh-tcp-routes/tests.yaml"},
		{"testdata/mesh-tls-routes", "testdata/mesh-tls-routes/tests.yaml"},
		// tcp and tls connections to a gateway's tcp and TLS passthrough ports, on both targets
		{"testdata/gateway-tcp-tls", "testdata/gateway-tcp-tls/tests.yaml"},
		// failover order: endpoint priorities (and distribute weights) per client locality
		{"testdata/policy-destinations", "testdata/policy-destinations/tests.yaml"},
		{"testdata/policy-failover-modes", "testdata/policy-failover-modes/tests.yaml"},
		// route policies: timeouts, retries, fault and headers on the emitted routes
		{"testdata/policy-routes", "testdata/policy-routes/tests.yaml"},
		// a diagnostic case archive (testdata/diag/<name>.txtar), with its tests.yaml section
		{"mr3014-disjoint-host-tables", "tests.yaml"},
	} {
		for _, target := range []string{pipeline.TargetIstio, pipeline.TargetEnvoy} {
			t.Run(tt.inputs+"/"+target, func(t *testing.T) {
				inputs, testFile := tt.inputs, goldentest.Path(tt.tests)
				if !strings.Contains(inputs, "/") {
					inputs = goldentest.LoadDiagCase(t, inputs).Extract(t)
					testFile = filepath.Join(inputs, tt.tests)
				}
				c := compileCase(t, target, inputs)
				tests, ds, err := LoadFiles([]string{testFile})
				if err != nil || diag.HasErrors(ds) {
					t.Fatal(err, ds)
				}
				rep := Run(c, tests)
				var out bytes.Buffer
				_ = WriteText(&out, rep, OutputOptions{DetailedCoverage: true})
				t.Log(out.String())
				if rep.Failed > 0 {
					var b bytes.Buffer
					_ = WriteText(&b, rep, OutputOptions{DetailedCoverage: true})
					t.Errorf("%d failed:\n%s", rep.Failed, b.String())
				}
			})
		}
	}
}

// TestRedirectSchemeAndSubsetForms: expect.redirect.scheme asserts the httpsRedirect, and a
// subset is given by name or by its labels; wrong ones fail with both forms in the message.
func TestRedirectSchemeAndSubsetForms(t *testing.T) {
	const doc = `apiVersion: meshroute.dev/v1alpha1
kind: RouteTest
spec:
  tests:
  - name: https redirect
    cluster: east-1
    gateway: gloo-mesh-gateways/istio-ingressgateway
    port: 80
    request: {host: bookinfo.example.com}
    expect: {redirect: {scheme: https, code: 301}}
  - name: not an http redirect
    cluster: east-1
    gateway: gloo-mesh-gateways/istio-ingressgateway
    port: 80
    request: {host: bookinfo.example.com}
    expect: {redirect: {scheme: http}}
  - name: testers by labels
    cluster: east-1
    gateway: gloo-mesh-gateways/istio-ingressgateway
    port: 443
    request: {host: bookinfo.example.com, path: /reviews/0, headers: {x-bookinfo-tester: "true"}}
    expect: {destination: {kind: SERVICE, name: reviews, subset: {version: v3}}}
  - name: testers by name
    cluster: east-1
    gateway: gloo-mesh-gateways/istio-ingressgateway
    port: 443
    request: {host: bookinfo.example.com, path: /reviews/0, headers: {x-bookinfo-tester: "true"}}
    expect: {destination: {kind: SERVICE, name: reviews, subset: version-v3}}
  - name: not v2
    cluster: east-1
    gateway: gloo-mesh-gateways/istio-ingressgateway
    port: 443
    request: {host: bookinfo.example.com, path: /reviews/0, headers: {x-bookinfo-tester: "true"}}
    expect: {destination: {kind: SERVICE, name: reviews, subset: {version: v2}}}
`
	tests, ds := Parse("t.yaml", []byte(doc))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	for _, target := range []string{pipeline.TargetIstio, pipeline.TargetEnvoy} {
		rep := Run(compileCase(t, target, "examples/bookinfo-multicluster"), tests)
		var got []string
		for _, c := range rep.Cases {
			got = append(got, c.Test+": "+strings.Join(c.Problems, "; ")+c.Error)
		}
		want := []string{
			"https redirect: ",
			"not an http redirect: expected redirect to http, got redirect 301 to https://bookinfo.example.com/",
			"testers by labels: ",
			"testers by name: ",
			"not v2: expected SERVICE reviews subset {version=v2}, got SERVICE bookinfo-backends/reviews in east-1 port 9080 subset version-v3",
		}
		if diff := strings.Join(got, "\n"); diff != strings.Join(want, "\n") {
			t.Errorf("%s:\n%s\nwant\n%s", target, diff, strings.Join(want, "\n"))
		}
	}
}

// TestDefaultPort: without a port, a gateway test uses the first listener that serves the host
// rather than bookinfo's port-80 listener, which only redirects to https; failures name it.
func TestDefaultPort(t *testing.T) {
	const doc = `apiVersion: meshroute.dev/v1alpha1
kind: RouteTest
spec:
  tests:
  - name: served on 443
    cluster: east-1
    gateway: gloo-mesh-gateways/istio-ingressgateway
    request: {host: bookinfo.example.com, path: /productpage}
    expect: {destination: {kind: SERVICE, name: productpage}}
  - name: wrong
    cluster: east-1
    gateway: gloo-mesh-gateways/istio-ingressgateway
    request: {host: bookinfo.example.com, path: /productpage}
    expect: {notFound: true}
  - name: named port is not defaulted
    cluster: east-1
    gateway: gloo-mesh-gateways/istio-ingressgateway
    port: 80
    request: {host: bookinfo.example.com, path: /productpage}
    expect: {notFound: true}
`
	tests, ds := Parse("t.yaml", []byte(doc))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	for _, target := range []string{pipeline.TargetIstio, pipeline.TargetEnvoy} {
		c := compileCase(t, target, "examples/bookinfo-multicluster")
		rep := Run(c, tests)
		var b bytes.Buffer
		_ = WriteText(&b, rep, OutputOptions{})
		out := b.String()
		if rep.Passed != 1 || rep.Failed != 2 ||
			!strings.Contains(out, "FAIL wrong [east-1 GET bookinfo.example.com/productpage, default port 443]: expected not found") ||
			!strings.Contains(out, "FAIL named port is not defaulted [east-1 GET bookinfo.example.com/productpage]: expected not found (404), got redirect 301 to https://") {
			t.Errorf("%s:\n%s", target, out)
		}
		x, err := Explain(c, "east-1", tests[0].request())
		if err != nil {
			t.Fatal(err)
		}
		var xb bytes.Buffer
		_ = WriteExplainText(&xb, x, false)
		if want := "via      gateway gloo-mesh-gateways/istio-ingressgateway port 443 (default) in cluster east-1 (" + target + " target)\n"; !strings.Contains(xb.String(), want) {
			t.Errorf("%s explain: want %q in\n%s", target, want, xb.String())
		}
	}
}

// request is the test's first case's request (tests here have one host and path).
func (t *Test) request() eval.Request {
	cases, _ := Expand(t)
	return cases[0].Request
}
