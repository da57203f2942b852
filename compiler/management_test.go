package compiler

import (
	"slices"
	"testing"
)

const mgmtCluster = `apiVersion: meshroute.dev/v1alpha1
kind: Cluster
metadata: {name: mgmt}
spec: {role: management}
`

// A reference naming the management cluster means the object as created there: the gateway
// reference binds in every workload cluster. Selectors and SERVICE destinations name where
// workloads run, which the management cluster is not.
func TestManagementCluster(t *testing.T) {
	rt := `apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: web, namespace: app}
spec:
  hosts: [web.example.com]
  virtualGateways: [{name: north, namespace: gw-ns, cluster: mgmt}]
  http:
  - forwardTo:
      destinations: [{ref: {name: reviews}, port: {number: 9080}}]
`
	m, ds := build(t, mgmtCluster, rt)
	noErrors(t, ds)
	if len(m.Clusters) != 2 {
		t.Fatalf("%d clusters in the model, want the two workload clusters", len(m.Clusters))
	}
	var clusters []string
	for _, c := range m.Clusters {
		if routeSet(t, m, c.Name, "routetable-web-app") != nil {
			clusters = append(clusters, c.Name)
		}
	}
	if !slices.Equal(clusters, []string{"c1", "c2"}) {
		t.Errorf("served in %v, want c1 and c2 (and no model for mgmt)", clusters)
	}

	pinned := `apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: web, namespace: app}
spec:
  hosts: [web.app.svc.cluster.local]
  http:
  - forwardTo:
      destinations: [{ref: {name: reviews, cluster: mgmt}, port: {number: 9080}}]
`
	_, ds = build(t, mgmtCluster, pinned)
	if got := codes(ds); !slices.Contains(got, "MR2020") {
		t.Errorf("codes %v, want MR2020 for a SERVICE destination in the management cluster", got)
	}
}
