package routetest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/pipeline"
)

// TestMeshRequests runs mesh (sidecar) tests: source labels select the workloadSelectors' rules,
// headers and query parameters pick subsets, and the default route splits by weight.
func TestMeshRequests(t *testing.T) {
	const doc = `apiVersion: meshroute.dev/v1alpha1
kind: RouteTest
spec:
  tests:
  - name: jason sees v2
    cluster: cluster-1
    mesh: {namespace: bookinfo, labels: {app: productpage}}
    port: 9080
    request: {host: reviews.bookinfo.svc.cluster.local, headers: {end-user: jason}}
    expect:
      destination: {kind: SERVICE, name: reviews, namespace: bookinfo, cluster: cluster-1, port: 9080, subset: {version: v2}}
      route: jason
  - name: canary by header or query
    cluster: cluster-1
    mesh: {namespace: bookinfo, labels: {app: web-frontend, version: v1}}
    port: 9080
    request: {host: reviews, paths: ['/?canary=yes', '/reviews/1?canary']}
    expect:
      destination: {kind: SERVICE, name: reviews}
      route: canary
  - name: everyone else is split
    cluster: cluster-1
    mesh: {namespace: bookinfo, labels: {app: productpage}}
    port: 9080
    request: {host: reviews.bookinfo.svc.cluster.local, headers: {end-user: alice}}
    expect:
      destinations:
      - {kind: SERVICE, name: reviews, subset: {version: v1}, weight: 80}
      - {kind: SERVICE, name: reviews, subset: version-v2, weight: 20}
  - name: other workloads keep default routing to the Service
    cluster: cluster-1
    mesh: {namespace: bookinfo, labels: {app: details}}
    port: 9080
    request: {host: reviews.bookinfo.svc.cluster.local}
    expect:
      destination: {kind: SERVICE, name: reviews, namespace: bookinfo}
`
	c := compileCase(t, pipeline.TargetIstio, "testdata/mesh-subsets")
	tests, ds := Parse("mesh.yaml", []byte(doc))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	rep := Run(c, tests)
	if rep.Failed > 0 || rep.Passed != 5 {
		var b bytes.Buffer
		_ = WriteText(&b, rep, OutputOptions{})
		t.Errorf("want 5 passing cases:\n%s", b.String())
	}
	// The Envoy target has no sidecars: mesh tests are skipped, not failed, and say so.
	e := compileCase(t, pipeline.TargetEnvoy, "testdata/mesh-subsets")
	rep = Run(e, tests)
	if rep.Failed != 0 || rep.Passed != 0 || rep.Skipped != 5 || !rep.OK(0) || rep.Cases[0].SkipReason == "" {
		t.Errorf("envoy target: want every mesh case skipped, got %+v", rep)
	}
	var b bytes.Buffer
	_ = WriteText(&b, rep, OutputOptions{})
	if !strings.HasSuffix(b.String(), "\n0 passed, 0 failed, 5 skipped\n") || !strings.Contains(b.String(), "mesh.yaml:5:5: SKIP jason sees v2 [cluster-1]: mesh requests need the istio target") {
		t.Errorf("envoy target report:\n%s", b.String())
	}
}
