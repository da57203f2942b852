package compiler

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/compiler/model"
)

// A Service pinned to another cluster becomes a federated host with a ServiceEntry in every
// cluster; subsets make DestinationRules that are the same in every cluster.
func TestFederatedAndSubsets(t *testing.T) {
	rt := ingress("t", `- name: pinned
  matchers: [{uri: {prefix: /ratings}}]
  forwardTo: {destinations: [{ref: {name: ratings, cluster: c1}, port: {name: grpc}}]}
- name: split
  forwardTo:
    destinations:
    - {ref: {name: reviews}, subset: {version: v1}, weight: 90}
    - {ref: {name: reviews}, subset: {version: v2, track: canary}}
`)
	m, ds := build(t, rt)
	noErrors(t, ds)
	summary := func(c *model.Cluster) []string {
		var out []string
		for _, be := range c.Backends {
			s := be.Kind + " " + be.Namespace + " " + be.Host + " se=" + be.ServiceEntry + " dr=" + be.DestinationRule
			for _, sub := range be.Subsets {
				s += " " + sub.Name
			}
			if be.Local != nil {
				s += " local"
			}
			for _, r := range be.Remotes {
				s += " via " + r.Cluster + " " + r.Address
			}
			out = append(out, s)
		}
		return out
	}
	want := map[string][]string{
		"c1": {
			"FEDERATED app ratings.app.svc.c1.global se=fed-ratings-app-c1 dr=dr-ratings-app-svc-c1-global local",
			"SERVICE app reviews.app.svc.cluster.local se= dr=dr-reviews-app-svc-cluster-local track-canary-version-v2 version-v1 local",
		},
		"c2": {
			"FEDERATED app ratings.app.svc.c1.global se=fed-ratings-app-c1 dr=dr-ratings-app-svc-c1-global via c1 10.0.0.1",
			"SERVICE app reviews.app.svc.cluster.local se= dr=dr-reviews-app-svc-cluster-local track-canary-version-v2 version-v1 local",
		},
	}
	for _, c := range m.Clusters {
		if diff := cmp.Diff(want[c.Name], summary(c)); diff != "" {
			t.Errorf("%s backends (-want +got):\n%s", c.Name, diff)
		}
	}
	rs1 := routeSet(t, m, "c1", "routetable-t-app")
	rs2 := routeSet(t, m, "c2", "routetable-t-app")
	if h := rs1.Routes[0].Forward.Destinations[0].Host; h != "ratings.app.svc.cluster.local" {
		t.Errorf("c1 pinned host %s", h)
	}
	if d := rs2.Routes[0].Forward.Destinations[0]; d.Host != "ratings.app.svc.c1.global" || d.Port != 9090 || d.Cluster != "c1" {
		t.Errorf("c2 pinned destination %+v", d)
	}
	var weights []uint32
	for _, d := range rs2.Routes[1].Forward.Destinations {
		weights = append(weights, d.Weight)
	}
	if diff := cmp.Diff([]uint32{90, 10}, weights); diff != "" {
		t.Errorf("weights (-want +got):\n%s", diff)
	}
	fed1, fed2 := m.Cluster("c1").Backends[0], m.Cluster("c2").Backends[0]
	if fed1.VIP == "" || fed1.VIP != fed2.VIP || fed2.Remotes[0].Port != 15443 || fed1.WorkloadSelector["app"] != "ratings" || fed2.WorkloadSelector != nil {
		t.Errorf("federated backends %+v / %+v", fed1, fed2)
	}
}

// A table with hosts and no gateways serves sidecars in every cluster; with gateways too, the
// mesh set is named -mesh.
func TestMeshSets(t *testing.T) {
	mesh := table("m", "hosts: [reviews.app.svc.cluster.local]\nworkloadSelectors: [{selector: {labels: {app: web}}}]\nvirtualGateways: [{name: north, namespace: gw-ns}]\nhttp:\n- forwardTo: {destinations: [{ref: {name: reviews}}]}\n")
	m, ds := build(t, mesh)
	noErrors(t, ds)
	for _, c := range m.Clusters {
		var got []string
		for _, rs := range c.RouteSets {
			got = append(got, rs.Namespace+"/"+rs.Name)
		}
		if diff := cmp.Diff([]string{"app/routetable-m-app-mesh", "gw-ns/routetable-m-app"}, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.Name, diff)
		}
		rs := c.RouteSets[0]
		if !rs.Mesh || len(rs.Gateways) != 0 || len(rs.Sources) != 1 || rs.Sources[0].Labels["app"] != "web" {
			t.Errorf("%s mesh set %+v", c.Name, rs)
		}
	}
}

// Every DestinationRule is exported to the namespaces whose proxies use it: its owner's, the
// gateway namespace of ingress routes to it, the source namespaces of mesh routes to it, and "*"
// when a mesh table serves every namespace or the east-west gateway (namespace unknown) needs a
// federated host's subsets.
func TestDestinationRuleExportTo(t *testing.T) {
	toVD := "- forwardTo: {destinations: [{ref: {name: reviews-vd}, kind: VIRTUAL_DESTINATION}]}\n"
	meshTable := func(selectors string) string {
		return table("m", "hosts: [reviews.app.svc.cluster.local]\n"+selectors+"http:\n"+toVD)
	}
	tests := []struct {
		name string
		docs []string
		want map[string]string // "cluster host" → exportTo
	}{
		{"unused VD: its own namespace only", []string{vd}, map[string]string{
			"c1 reviews.global": "app", "c2 reviews.global": "app"}},
		{"ingress route: the gateway namespace", []string{vd, ingress("t", toVD)},
			map[string]string{"c1 reviews.global": "app gw-ns", "c2 reviews.global": "app gw-ns"}},
		{"mesh table limited to namespaces", []string{vd, meshTable("workloadSelectors: [{selector: {namespace: web}}, {selector: {namespace: shop, labels: {app: x}}}]\n")},
			map[string]string{"c1 reviews.global": "app shop web"}},
		{"mesh table of every sidecar", []string{vd, meshTable("")},
			map[string]string{"c1 reviews.global": "*"}},
		{"mesh table selecting labels in any namespace", []string{vd, meshTable("workloadSelectors: [{selector: {labels: {app: x}}}]\n")},
			map[string]string{"c1 reviews.global": "*"}},
		{"subsets: local Service and federated host", []string{ingress("t", `- forwardTo:
    destinations:
    - {ref: {name: reviews}, subset: {version: v1}, weight: 50}
    - {ref: {name: ratings, cluster: c1}, port: {number: 9080}, subset: {version: v2}}
`)}, map[string]string{
			"c1 reviews.app.svc.cluster.local": "app gw-ns",
			"c1 ratings.app.svc.c1.global":     "*", // its east-west gateway serves the subset
			"c2 reviews.app.svc.cluster.local": "app gw-ns",
			"c2 ratings.app.svc.c1.global":     "app gw-ns",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ds := build(t, tt.docs...)
			noErrors(t, ds)
			got := map[string]string{}
			for _, c := range m.Clusters {
				for _, be := range c.Backends {
					if _, ok := tt.want[c.Name+" "+be.Host]; ok {
						got[c.Name+" "+be.Host] = strings.Join(be.ExportTo, " ")
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("exportTo (-want +got):\n%s", diff)
			}
		})
	}
}
