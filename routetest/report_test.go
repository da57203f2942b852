package routetest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/pipeline"
)

// mixedTests has passing and deliberately failing expectations over examples/global-app.
const mixedTests = `apiVersion: meshroute.dev/v1alpha1
kind: RouteTest
spec:
  tests:
  - name: passes
    cluster: cluster-1
    gateway: gloo-mesh-gateways/istio-ingressgateway
    request: {host: www.example.com, path: /global-app}
    expect:
      destination: {kind: VIRTUAL_DESTINATION, name: global-app-vd, namespace: global}
  - name: wrong destination
    cluster: cluster-2
    gateway: gloo-mesh-gateways/istio-ingressgateway
    request: {host: www.example.com, paths: [/global-app, /other]}
    expect:
      destination: {kind: SERVICE, name: global-app, namespace: global}
      route: global-app
  - name: wrong gateway
    cluster: cluster-1
    gateway: gloo-mesh-gateways/no-such-gateway
    request: {host: www.example.com}
    expect: {notFound: true}
`

func TestReportGolden(t *testing.T) {
	t.Chdir(goldentest.Root())
	c := compileCase(t, pipeline.TargetIstio, "examples/global-app")
	tests, ds := Parse("tests.yaml", []byte(mixedTests))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	rep := Run(c, tests)
	if rep.Passed != 1 || rep.Failed != 3 || rep.OK(0) {
		t.Errorf("passed %d failed %d OK %v, want 1, 3, false", rep.Passed, rep.Failed, rep.OK(0))
	}
	var text, js, junit bytes.Buffer
	if err := WriteText(&text, rep, OutputOptions{DetailedCoverage: true, FailUnder: 75}); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, rep); err != nil {
		t.Fatal(err)
	}
	if err := WriteJUnit(&junit, rep); err != nil {
		t.Fatal(err)
	}
	goldentest.CompareFile(t, "routetest/mixed.txt", text.Bytes())
	goldentest.CompareFile(t, "routetest/mixed.json", js.Bytes())
	goldentest.CompareFile(t, "routetest/mixed.junit.xml", junit.Bytes())
}

// TestCoverage: one route per cluster is emitted; tests reaching cluster-1 only cover half, and
// --fail-under decides the verdict.
func TestCoverage(t *testing.T) {
	c := compileCase(t, pipeline.TargetIstio, "examples/global-app")
	tests, ds := Parse("tests.yaml", []byte(strings.SplitN(mixedTests, "  - name: wrong destination", 2)[0]))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	rep := Run(c, tests)
	cov := rep.Coverage
	if cov.Routes != 2 || cov.Hit != 1 || cov.Percent != 50 || len(cov.Uncovered) != 1 || cov.Uncovered[0].Cluster != "cluster-2" {
		t.Fatalf("coverage %+v", cov)
	}
	for _, tt := range []struct {
		failUnder float64
		ok        bool
	}{{0, true}, {50, true}, {50.1, false}, {100, false}} {
		if got := rep.OK(tt.failUnder); got != tt.ok {
			t.Errorf("OK(%g) = %v, want %v", tt.failUnder, got, tt.ok)
		}
	}
	var text bytes.Buffer
	_ = WriteText(&text, rep, OutputOptions{FailUnder: 60})
	if !strings.Contains(text.String(), "coverage: 1 of 2 routes (50.0%), below --fail-under 60%") {
		t.Errorf("text report:\n%s", text.String())
	}
}

// TestChangedPrefixFails is the acceptance check: the example's tests catch a RouteTable whose
// prefix changed, with an expected/actual line pointing at the test.
func TestChangedPrefixFails(t *testing.T) {
	dir := t.TempDir()
	src := goldentest.Path("examples", "global-app")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "tests.yaml" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.ReplaceAll(b, []byte("prefix: /global-app"), []byte("prefix: /global-app-v2"))
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, target := range []string{pipeline.TargetIstio, pipeline.TargetEnvoy} {
		c := compileCase(t, target, dir)
		tests, ds, err := LoadFiles([]string{filepath.Join(src, "tests.yaml")})
		if err != nil || len(ds) > 0 {
			t.Fatal(err, ds)
		}
		rep := Run(c, tests)
		if rep.OK(0) || rep.Failed == 0 {
			t.Fatalf("%s: the changed prefix went unnoticed", target)
		}
		var text bytes.Buffer
		_ = WriteText(&text, rep, OutputOptions{})
		want := "FAIL global-app through the cluster-1 gateway [cluster-1 GET www.example.com/global-app, default port 80]: expected VIRTUAL_DESTINATION global/global-app-vd port 8080, got not found (no route of host www.example.com matches); expected route global-app, got no route"
		if !strings.Contains(text.String(), want) {
			t.Errorf("%s: no clear expected/actual line in:\n%s", target, text.String())
		}
	}
}
