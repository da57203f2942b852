package compiler

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// A pinned Service's federated ServiceEntry selects the owner's pods, so it must know each pod
// port: a port whose targetPort is a container port name is left out rather than emitted with
// the Service port as pod port; routing to that port is MR2012.
func TestFederatedNamedTargetPort(t *testing.T) {
	const svc = `apiVersion: v1
kind: Service
metadata: {name: cart, namespace: app, annotations: {meshroute.dev/cluster: c1}}
spec:
  selector: {app: cart}
  ports: [{name: http, port: 8080}, {name: metrics, port: 9102, targetPort: metrics}]
`
	rt := ingress("t", `- forwardTo: {destinations: [{ref: {name: cart, cluster: c1}, port: {number: 8080}}]}
`)
	m, ds := build(t, svc, rt)
	noErrors(t, ds)
	for _, be := range m.Cluster("c2").Backends {
		if be.Host != "cart.app.svc.c1.global" {
			continue
		}
		var got []string
		for _, p := range be.Ports {
			got = append(got, fmt.Sprintf("%s %d->%d", p.Name, p.Number, p.TargetPort))
		}
		if diff := cmp.Diff([]string{"http-8080 8080->8080"}, got); diff != "" {
			t.Errorf("federated ports (-want +got):\n%s", diff)
		}
	}

	rt = ingress("t", `- forwardTo: {destinations: [{ref: {name: cart, cluster: c1}, port: {name: metrics}}]}
`)
	_, ds = build(t, svc, rt)
	if got := codes(ds); !cmp.Equal(got, []string{"MR2012"}) {
		t.Fatalf("codes %v, want [MR2012]", got)
	}
	if d := ds[0]; d.Path != "/spec/http/0/forwardTo/destinations/0/port" || len(d.Related) != 1 || d.Related[0].Pos.File != "in/a.yaml" || d.Related[0].Pos.Line != 6 {
		t.Errorf("MR2012 at %s %v (related %v), want the destination's port and the Service's targetPort", d.Path, d.Pos, d.Related)
	}
}

// A VirtualDestination whose selector names another namespace selects nothing (backing Services
// live in the VD's namespace): MR2011 points at that namespace field.
func TestVDSelectorForeignNamespace(t *testing.T) {
	const vdDoc = `apiVersion: networking.gloo.solo.io/v2
kind: VirtualDestination
metadata: {name: reviews, namespace: global}
spec:
  hosts: [reviews.global]
  services: [{namespace: app, labels: {app: reviews}}]
  ports: [{number: 9080, protocol: HTTP}]
`
	_, ds := build(t, vdDoc)
	if got := codes(ds); !cmp.Equal(got, []string{"MR2011"}) {
		t.Fatalf("codes %v, want [MR2011]", got)
	}
	if d := ds[0]; d.Path != "/spec/services/0/namespace" || d.Pos.Line != 6 {
		t.Errorf("MR2011 at %s %v, want services[0].namespace", d.Path, d.Pos)
	}
}

// A Service with TCP and UDP on one port (DNS style): the federated ServiceEntry declares the TCP
// port once; a UDP port would be a second port of the same number and name, refused by Istio.
func TestFederatedSkipsUDPPorts(t *testing.T) {
	const svc = `apiVersion: v1
kind: Service
metadata: {name: dns, namespace: app, annotations: {meshroute.dev/cluster: c1}}
spec:
  selector: {app: dns}
  ports:
  - {name: tcp-dns, port: 53, protocol: TCP, targetPort: 5353}
  - {name: udp-dns, port: 53, protocol: UDP, targetPort: 5353}
  - {name: http-metrics, port: 9153}
`
	rt := ingress("t", `- forwardTo: {destinations: [{ref: {name: dns, cluster: c1}, port: {number: 9153}}]}
`)
	m, ds := build(t, svc, rt)
	noErrors(t, ds)
	var got []string
	for _, be := range m.Cluster("c2").Backends {
		if be.Host == "dns.app.svc.c1.global" {
			for _, p := range be.Ports {
				got = append(got, fmt.Sprintf("%s %d->%d", p.Name, p.Number, p.TargetPort))
			}
		}
	}
	if diff := cmp.Diff([]string{"tcp-53 53->5353", "http-9153 9153->9153"}, got); diff != "" {
		t.Errorf("federated ports (-want +got):\n%s", diff)
	}
}

// A selected Service without spec.selector cannot back a VirtualDestination (the ServiceEntry
// selects pods by it): MR2011 names it, once, even when it was the only candidate.
func TestVDBackingServiceWithoutSelector(t *testing.T) {
	const docs = `apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: app, labels: {app: legacy}, annotations: {meshroute.dev/cluster: c1}}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: networking.gloo.solo.io/v2
kind: VirtualDestination
metadata: {name: legacy, namespace: app}
spec:
  hosts: [legacy.global]
  services: [{labels: {app: legacy}}]
  ports: [{number: 80, protocol: HTTP}]
`
	_, ds := build(t, docs)
	if len(ds) != 1 || ds[0].Code != "MR2011" || len(ds[0].Related) != 1 || ds[0].Related[0].Pos.Line != 1 {
		t.Fatalf("want one MR2011 naming the Service, got %v", ds)
	}
}

// The same port number twice in a VirtualDestination would give its ServiceEntry two ports of
// one number, which Istio refuses: MR1003 at the second.
func TestVDDuplicatePort(t *testing.T) {
	const vdDoc = `apiVersion: networking.gloo.solo.io/v2
kind: VirtualDestination
metadata: {name: reviews, namespace: app}
spec:
  hosts: [reviews.global]
  services: [{labels: {app: reviews}}]
  ports:
  - {number: 9080, protocol: HTTP}
  - {number: 9080, protocol: TCP}
`
	_, ds := build(t, vdDoc)
	if len(ds) != 1 || ds[0].Code != "MR1003" || ds[0].Path != "/spec/ports/1/number" {
		t.Fatalf("want MR1003 at /spec/ports/1/number, got %v", ds)
	}
}

// A workloadSelector's cluster limits a mesh table to that cluster's sidecars: the table is not
// served in a cluster no selector names, and a selector without labels there serves every sidecar.
func TestMeshWorkloadSelectorCluster(t *testing.T) {
	rt := table("m", `hosts: [reviews.app.svc.cluster.local]
workloadSelectors:
- selector: {cluster: c1, labels: {app: productpage}}
- selector: {cluster: c2}
http:
- forwardTo: {destinations: [{ref: {name: reviews}}]}
`)
	m, ds := build(t, rt)
	noErrors(t, ds)
	if rs := routeSet(t, m, "c1", "routetable-m-app"); len(rs.Sources) != 1 || rs.Sources[0].Labels["app"] != "productpage" {
		t.Errorf("c1 sources %v, want [app=productpage]", rs.Sources)
	}
	if rs := routeSet(t, m, "c2", "routetable-m-app"); rs.Sources != nil {
		t.Errorf("c2 sources %v, want every sidecar", rs.Sources)
	}
	rt = table("m", `hosts: [reviews.app.svc.cluster.local]
workloadSelectors:
- selector: {cluster: c1, labels: {app: productpage}}
http:
- forwardTo: {destinations: [{ref: {name: reviews}}]}
`)
	m, ds = build(t, rt)
	noErrors(t, ds)
	if n := len(m.Cluster("c2").RouteSets); n != 0 {
		t.Errorf("c2 has %d route sets, want none: no selector names it", n)
	}
}

// A workloadSelector's namespace restricts the mesh set to that namespace's sidecars (Istio
// sourceNamespace); a selector naming a workload cannot be expressed by Istio and would widen the
// routes if ignored, so it is refused (MR1006) at its name field.
func TestMeshWorkloadSelectorNamespaceAndName(t *testing.T) {
	rt := table("m", `hosts: [reviews.app.svc.cluster.local]
workloadSelectors:
- selector: {namespace: web}
- selector: {namespace: app, labels: {app: productpage}}
http:
- forwardTo: {destinations: [{ref: {name: reviews}}]}
`)
	m, ds := build(t, rt)
	noErrors(t, ds)
	for _, d := range ds {
		if d.Code == "MR1005" {
			t.Errorf("namespace is implemented, got %v", d)
		}
	}
	want := []model.SourceSelector{{Namespace: "web"}, {Namespace: "app", Labels: map[string]string{"app": "productpage"}}}
	if diff := cmp.Diff(want, routeSet(t, m, "c1", "routetable-m-app").Sources); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}
	rt = table("m", `hosts: [reviews.app.svc.cluster.local]
workloadSelectors:
- selector: {name: productpage, labels: {tier: web}}
http:
- forwardTo: {destinations: [{ref: {name: reviews}}]}
`)
	_, ds = build(t, rt)
	if len(ds) != 1 || ds[0].Code != "MR1006" || ds[0].Path != "/spec/workloadSelectors/0/selector/name" {
		t.Fatalf("want one MR1006 at /spec/workloadSelectors/0/selector/name, got %v", ds)
	}
}

// A mesh host written as <svc>.<ns>.svc.cluster.local matches nothing in a cluster with another
// clusterDomain (MR4011 at the host); a short name or a federated .global host is not a finding.
func TestMeshHostOtherClusterDomain(t *testing.T) {
	inv := strings.Replace(inventory, "metadata: {name: c2}\nspec:\n", "metadata: {name: c2}\nspec:\n  clusterDomain: c2.local\n", 1)
	if inv == inventory {
		t.Fatal("inventory has no cluster c2 to change")
	}
	for _, tc := range []struct {
		host string
		want []string
	}{
		{"reviews.app.svc.cluster.local", []string{"MR4011 /spec/hosts/0"}},
		{"reviews", nil},
		{"reviews.app.svc.c1.global", nil},
	} {
		t.Run(tc.host, func(t *testing.T) {
			rt := table("m", "hosts: ["+tc.host+"]\nhttp:\n- forwardTo: {destinations: [{ref: {name: reviews}}]}\n")
			set, loaded, err := (&schema.Loader{FS: fstest.MapFS{
				"in/inventory.yaml": {Data: []byte(inv)},
				"in/rt.yaml":        {Data: []byte(rt)},
			}}).Load([]schema.Input{{Path: "in"}})
			if err != nil || diag.HasErrors(loaded) {
				t.Fatal(err, loaded)
			}
			_, ds := Build(set)
			var got []string
			for _, d := range ds {
				got = append(got, d.Code+" "+d.Path)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s\n%v", diff, ds)
			}
		})
	}
}

// A workloadSelector of every sidecar makes the others redundant: the set's Sources come out
// empty, so no emitter has to simplify them.
func TestMeshCatchAllSelectorEmptiesSources(t *testing.T) {
	rt := table("m", `hosts: [reviews.app.svc.cluster.local]
workloadSelectors:
- selector: {labels: {app: web}}
- selector: {}
http:
- forwardTo: {destinations: [{ref: {name: reviews}}]}
`)
	m, ds := build(t, rt)
	noErrors(t, ds)
	if got := routeSet(t, m, "c1", "routetable-m-app").Sources; got != nil {
		t.Errorf("sources = %v, want none (every sidecar)", got)
	}
}

// A VirtualDestination limited to c1 must not take c2's own reviews pods (which carry the same
// labels) as backends: in c2 its ServiceEntry selects meshroute's WorkloadEntries only, by a label
// no pod carries; in c1, where a local Service backs it, the Service's selector.
func TestVDSelectorWhereNotBacked(t *testing.T) {
	const vdDoc = `apiVersion: networking.gloo.solo.io/v2
kind: VirtualDestination
metadata: {name: reviews, namespace: app}
spec:
  hosts: [reviews.global]
  services: [{cluster: c1, labels: {app: reviews}}]
  ports: [{number: 9080, protocol: HTTP}]
`
	m, ds := build(t, vdDoc)
	noErrors(t, ds)
	want := map[string]map[string]string{
		"c1": {"app": "reviews"},
		"c2": {model.LabelVirtualDestination: "vd-reviews-global"},
	}
	for _, c := range m.Clusters {
		for _, be := range c.Backends {
			if be.Host != "reviews.global" {
				continue
			}
			if diff := cmp.Diff(want[c.Name], be.WorkloadSelector); diff != "" {
				t.Errorf("%s workloadSelector (-want +got):\n%s", c.Name, diff)
			}
			if be.WorkloadSelector[model.LabelVirtualDestination] != "" && be.WorkloadSelector[model.LabelVirtualDestination] != be.ServiceEntry {
				t.Errorf("%s: label value %q is not the ServiceEntry name %q", c.Name, be.WorkloadSelector[model.LabelVirtualDestination], be.ServiceEntry)
			}
		}
	}
}

// A VirtualDestination host that is a Service's in-cluster name is MR3013 at that host, naming
// the Service and every cluster where the name is the Service's (Istio prefers the Service).
func TestVDHostIsService(t *testing.T) {
	for _, tc := range []struct {
		host string
		want []string
	}{
		{"reviews.app.svc.cluster.local", []string{"MR3013 /spec/hosts/1 Service app/reviews in cluster c1, c2"}},
		{"ratings.app.svc.cluster.local", []string{"MR3013 /spec/hosts/1 Service app/ratings in cluster c1"}},
		{"REVIEWS.app.svc.cluster.local", []string{"MR3013 /spec/hosts/1 Service app/reviews in cluster c1, c2"}},
		{"reviews.other.svc.cluster.local", nil},
		{"reviews.app.svc.c1.global", nil},
		{"reviews.example.com", nil},
	} {
		t.Run(tc.host, func(t *testing.T) {
			vdDoc := `apiVersion: networking.gloo.solo.io/v2
kind: VirtualDestination
metadata: {name: reviews, namespace: app}
spec:
  hosts: [reviews.global, ` + tc.host + `]
  services: [{labels: {app: reviews}}]
  ports: [{number: 9080, protocol: HTTP}]
`
			_, ds := build(t, vdDoc)
			var got []string
			for _, d := range ds {
				_, named, _ := strings.Cut(d.Message, " is the name of ")
				got = append(got, d.Code+" "+d.Path+" "+named)
				if d.Code == "MR3013" && (d.Pos.Line != 5 || len(d.Related) != 1) {
					t.Errorf("MR3013 at %v with related %v, want line 5 and the Service", d.Pos, d.Related)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
