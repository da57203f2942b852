package compiler

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// inventory is two clusters, each with an ingress gateway Service (80→8080, 443→8443) and a
// reviews Service (9080, two versions by label).
const inventory = `
apiVersion: meshroute.dev/v1alpha1
kind: Cluster
metadata: {name: c1}
spec:
  network: n1
  locality: {region: r1, zone: z1}
  eastWestGateway: {address: 10.0.0.1}
---
apiVersion: meshroute.dev/v1alpha1
kind: Cluster
metadata: {name: c2}
spec:
  network: n2
  eastWestGateway: {address: 10.0.0.2, port: 15444}
---
apiVersion: v1
kind: Service
metadata: {name: gw, namespace: gw-ns, annotations: {meshroute.dev/cluster: c1}}
spec:
  selector: {istio: ingressgateway}
  ports: [{name: http2, port: 80, targetPort: 8080}, {name: https, port: 443, targetPort: 8443}]
---
apiVersion: v1
kind: Service
metadata: {name: gw, namespace: gw-ns, annotations: {meshroute.dev/cluster: c2}}
spec:
  selector: {istio: ingressgateway}
  ports: [{name: http2, port: 80, targetPort: 8080}, {name: https, port: 443, targetPort: 8443}]
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: app, labels: {app: reviews}, annotations: {meshroute.dev/cluster: c1}}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: app, labels: {app: reviews}, annotations: {meshroute.dev/cluster: c2}}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: v1
kind: Service
metadata: {name: ratings, namespace: app, labels: {app: ratings}, annotations: {meshroute.dev/cluster: c1}}
spec:
  selector: {app: ratings}
  ports: [{name: http, port: 9080}, {name: grpc, port: 9090}]
---
apiVersion: networking.gloo.solo.io/v2
kind: VirtualGateway
metadata: {name: north, namespace: gw-ns}
spec:
  listeners:
  - port: {number: 80}
    http: {}
`

// build loads the inventory plus docs (one file each) and builds the model, failing on loader
// errors so a test never passes on input the loader refused.
func build(t testing.TB, docs ...string) (*model.Model, []diag.Diagnostic) {
	t.Helper()
	return buildWith(t, Options{}, docs...)
}

// buildWith is build with Build's options.
func buildWith(t testing.TB, opts Options, docs ...string) (*model.Model, []diag.Diagnostic) {
	t.Helper()
	fsys := fstest.MapFS{"in/0-inventory.yaml": {Data: []byte(inventory)}}
	for i, d := range docs {
		fsys["in/"+string(rune('a'+i))+".yaml"] = &fstest.MapFile{Data: []byte(d)}
	}
	set, ds, err := (&schema.Loader{FS: fsys}).Load([]schema.Input{{Path: "in"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Severity == diag.Error {
			t.Fatalf("loader error: %v", d)
		}
	}
	return BuildWith(set, opts)
}

// codes lists the diagnostic codes, sorted, for comparison.
func codes(ds []diag.Diagnostic) []string {
	out := make([]string, 0, len(ds))
	for _, d := range ds {
		out = append(out, d.Code)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func noErrors(t testing.TB, ds []diag.Diagnostic) {
	t.Helper()
	for _, d := range ds {
		if d.Severity >= diag.Warning {
			t.Errorf("unexpected diagnostic: %v", d)
		}
	}
}

// routeSet finds a route set of cluster c by name.
func routeSet(t testing.TB, m *model.Model, c, name string) *model.RouteSet {
	t.Helper()
	if cl := m.Cluster(c); cl != nil {
		for _, rs := range cl.RouteSets {
			if rs.Name == name {
				return rs
			}
		}
	}
	t.Fatalf("no route set %s in cluster %s", name, c)
	return nil
}

// paths renders each route as "<kind> <value>" of its first matcher, or "-" without one.
func paths(rs *model.RouteSet) []string {
	var out []string
	for _, r := range rs.Routes {
		if len(r.Matchers) == 0 || r.Matchers[0].URI == nil {
			out = append(out, "-")
			continue
		}
		out = append(out, r.Matchers[0].URI.Kind+" "+r.Matchers[0].URI.Value)
	}
	return out
}
