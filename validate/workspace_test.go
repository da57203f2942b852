package validate

import (
	"testing"
	"testing/fstest"

	"github.com/meshroute/meshroute/schema"
)

// A workspace on any selector (sidecar workloadSelectors, delegate routeTables, VirtualGateway
// workloads and allowedRouteTables, VirtualDestination services) is one MR1005 at that field: the
// loader reports it, and the compiler must not report it again.
func TestWorkspaceReportedOnce(t *testing.T) {
	const in = `apiVersion: meshroute.dev/v1alpha1
kind: Cluster
metadata: {name: c1}
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: app, labels: {app: reviews}}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: v1
kind: Service
metadata: {name: ingress, namespace: gw}
spec:
  selector: {istio: ingressgateway}
  ports: [{name: http, port: 80}]
---
apiVersion: networking.gloo.solo.io/v2
kind: VirtualGateway
metadata: {name: north, namespace: gw}
spec:
  workloads: [{selector: {labels: {istio: ingressgateway}, workspace: w}}]
  listeners:
  - port: {number: 80}
    http: {}
    allowedRouteTables: [{host: www.example.com, selector: {workspace: w}}]
---
apiVersion: networking.gloo.solo.io/v2
kind: VirtualDestination
metadata: {name: reviews, namespace: app}
spec:
  hosts: [reviews.global]
  ports: [{number: 80, protocol: HTTP, targetPort: {number: 9080}}]
  services: [{labels: {app: reviews}, workspace: w}]
---
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: t, namespace: app}
spec:
  hosts: [reviews]
  workloadSelectors: [{selector: {labels: {app: x}, workspace: w}}]
  http:
  - delegate: {routeTables: [{name: c, workspace: w}]}
---
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: c, namespace: app}
spec:
  http:
  - forwardTo: {destinations: [{ref: {name: reviews}, port: {number: 9080}}]}
`
	fsys := fstest.MapFS{"in.yaml": {Data: []byte(in)}}
	set, loaded, err := (&schema.Loader{FS: fsys}).Load([]schema.Input{{Path: "in.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	_, ds := Run(set, Options{Loaded: loaded})
	seen := map[string]int{}
	for _, d := range ds {
		if d.Code == "MR1005" {
			seen[d.Object.Name+" "+d.Path]++
		}
	}
	for _, want := range []string{
		"north /spec/workloads/0/selector/workspace",
		"north /spec/listeners/0/allowedRouteTables/0/selector/workspace",
		"reviews /spec/services/0/workspace",
		"t /spec/workloadSelectors/0/selector/workspace",
		"t /spec/http/0/delegate/routeTables/0/workspace",
	} {
		if seen[want] != 1 {
			t.Errorf("MR1005 at %s reported %d times, want once (all: %v)", want, seen[want], seen)
		}
	}
}
