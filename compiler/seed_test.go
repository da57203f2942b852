package compiler

import (
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
	_ "github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/schema"
)

// TestSeed compiles examples/global-app: one gateway per cluster, the ingress table bound to it,
// and the VirtualDestination reaching the local pods and the other cluster's east-west gateway.
func TestSeed(t *testing.T) {
	set, ds, err := (&schema.Loader{}).Load([]schema.Input{{Path: "../examples/global-app"}})
	if err != nil {
		t.Fatal(err)
	}
	m, bds := Build(set)
	noErrors(t, append(ds, bds...))
	if len(m.Clusters) != 2 {
		t.Fatalf("got %d clusters", len(m.Clusters))
	}
	for _, c := range m.Clusters {
		other := map[string]string{"cluster-1": "cluster-2", "cluster-2": "cluster-1"}[c.Name]
		if len(c.Gateways) != 1 {
			t.Fatalf("%s: %d gateways", c.Name, len(c.Gateways))
		}
		g := c.Gateways[0]
		if g.Name != "virtualgateway-istio-ingressgateway-gloo-mesh" || g.Namespace != "gloo-mesh-gateways" ||
			len(g.Listeners) != 1 || g.Listeners[0].Port != 8080 || g.Listeners[0].PortName != "http-8080-all" {
			t.Errorf("%s: gateway %+v listeners %+v", c.Name, g, g.Listeners[0])
		}
		if len(c.RouteSets) != 1 {
			t.Fatalf("%s: %d route sets", c.Name, len(c.RouteSets))
		}
		rs := c.RouteSets[0]
		if rs.Name != "routetable-global-app-routes-global" || rs.Namespace != "gloo-mesh-gateways" || rs.Mesh || len(rs.Routes) != 1 || rs.Gateways[0] != g {
			t.Fatalf("%s: route set %+v", c.Name, rs)
		}
		r := rs.Routes[0]
		if r.Name != "global-app.global-app-routes.global" || r.Matchers[0].URI.Value != "/global-app" || r.Forward == nil {
			t.Fatalf("%s: route %+v", c.Name, r)
		}
		d := r.Forward.Destinations[0]
		if d.Host != "global-app.example.com" || d.Port != 8080 || d.Weight != 0 || d.Backend == nil {
			t.Fatalf("%s: destination %+v", c.Name, d)
		}
		if len(c.Backends) != 1 || c.Backends[0] != d.Backend {
			t.Fatalf("%s: backends %+v", c.Name, c.Backends)
		}
		be := d.Backend
		want := &model.RemoteEndpoint{Cluster: other, Port: 15443, WorkloadEntry: "vd-global-app-example-com-" + other}
		if be.ServiceEntry != "vd-global-app-example-com" || be.DestinationRule != "dr-global-app-example-com" || !be.MTLS ||
			be.Local == nil || be.Local.FQDN != "global-app.global.svc.cluster.local" || len(be.Remotes) != 1 ||
			be.Remotes[0].Cluster != want.Cluster || be.Remotes[0].Port != want.Port || be.Remotes[0].WorkloadEntry != want.WorkloadEntry ||
			len(be.Ports) != 1 || be.Ports[0].TargetPort != 9080 || be.Ports[0].Name != "http-8080" || be.VIP == "" {
			t.Errorf("%s: backend %+v ports %+v remotes %+v", c.Name, be, be.Ports[0], be.Remotes)
		}
	}
	if m.Clusters[0].Backends[0].VIP != m.Clusters[1].Backends[0].VIP {
		t.Errorf("VIPs differ between clusters")
	}
}
