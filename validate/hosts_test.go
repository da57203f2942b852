package validate

import (
	"strings"
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

func meshSet(name string, hosts ...string) *model.RouteSet {
	return &model.RouteSet{Mesh: true, Hosts: hosts, Origin: model.Origin{Kind: "RouteTable", Namespace: "ns", Name: name}}
}

func TestMeshHostOverlapPairs(t *testing.T) {
	src := newSources(&schema.Set{})
	for _, tc := range []struct {
		name string
		sets []*model.RouteSet
		want int
	}{
		{"disjoint", []*model.RouteSet{meshSet("a", "a.x.com"), meshSet("b", "b.x.com")}, 0},
		{"same host", []*model.RouteSet{meshSet("a", "a.x.com"), meshSet("b", "a.x.com")}, 1},
		{"wildcard after exact", []*model.RouteSet{meshSet("a", "a.b.x.com"), meshSet("b", "*.x.com")}, 1},
		{"exact after wildcard", []*model.RouteSet{meshSet("a", "*.x.com"), meshSet("b", "a.x.com")}, 1},
		{"nested wildcards", []*model.RouteSet{meshSet("a", "*.b.x.com"), meshSet("b", "*.x.com")}, 1},
		{"one table overlapping itself is MR3012, not this", []*model.RouteSet{meshSet("a", "*.x.com", "a.x.com")}, 0},
		{"three tables", []*model.RouteSet{meshSet("a", "a.x.com"), meshSet("b", "b.x.com"), meshSet("c", "*.x.com")}, 2},
		{"reported once per pair", []*model.RouteSet{meshSet("a", "a.x.com", "b.x.com"), meshSet("b", "*.x.com")}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &model.Model{Clusters: []*model.Cluster{{Name: "c1", RouteSets: tc.sets}, {Name: "c2", RouteSets: tc.sets}}}
			if got := checkMeshHosts(m, src); len(got) != tc.want {
				t.Errorf("%d findings, want %d: %v", len(got), tc.want, got)
			}
		})
	}
}

func TestGatewayHostConflict(t *testing.T) {
	gw := func(svc string, port uint32, hosts ...string) *model.Gateway {
		return &model.Gateway{Namespace: "gw", Service: svc, Listeners: []*model.Listener{{Port: port, Hosts: hosts}}}
	}
	set := func(name string, g *model.Gateway, hosts ...string) *model.RouteSet {
		return &model.RouteSet{Hosts: hosts, Gateways: []*model.Gateway{g}, Origin: model.Origin{Kind: "RouteTable", Namespace: "ns", Name: name}}
	}
	redirect := func(g *model.Gateway) *model.Gateway {
		g.Listeners[0].HTTPSRedirect = true
		return g
	}
	src := newSources(&schema.Set{})
	for _, tc := range []struct {
		name string
		sets []*model.RouteSet
		want int
	}{
		{"same host same gateway", []*model.RouteSet{set("a", gw("ingress", 8080), "x.com"), set("b", gw("ingress", 8080), "x.com")}, 1},
		{"through two VirtualGateways on one Service", []*model.RouteSet{set("a", gw("ingress", 8080), "x.com"), set("b", gw("ingress", 8080), "X.com")}, 1},
		{"different ports", []*model.RouteSet{set("a", gw("ingress", 8080), "x.com"), set("b", gw("ingress", 8443), "x.com")}, 0},
		{"different gateway Services", []*model.RouteSet{set("a", gw("ingress", 8080), "x.com"), set("b", gw("internal", 8080), "x.com")}, 0},
		{"listener hosts keep one out", []*model.RouteSet{set("a", gw("ingress", 8080, "x.com"), "x.com"), set("b", gw("ingress", 8080, "y.com"), "x.com")}, 0},
		{"different hosts", []*model.RouteSet{set("a", gw("ingress", 8080), "x.com"), set("b", gw("ingress", 8080), "y.com")}, 0},
		{"redirect-only listener runs no routes", []*model.RouteSet{set("a", redirect(gw("ingress", 8080)), "x.com"), set("b", redirect(gw("ingress", 8080)), "x.com")}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &model.Model{Clusters: []*model.Cluster{{Name: "c1", RouteSets: tc.sets}}}
			if got := checkGatewayHosts(m, src); len(got) != tc.want {
				t.Errorf("%d findings, want %d: %v", len(got), tc.want, got)
			}
		})
	}
}

// After admission narrows a table's hosts, MR3004 still points at the table's own entry that
// claims the host ('*.example.com', index 1), not at the entry with the narrowed list's index.
func TestGatewayHostConflictNarrowedPosition(t *testing.T) {
	_, ds := runCase(t, "ingress-host-conflict-narrowed", Options{})
	var got []string
	for _, d := range ds {
		if d.Code == "MR3004" {
			got = append(got, d.Object.Name+" "+d.Path)
		}
	}
	if len(got) != 1 || got[0] != "b /spec/hosts/1" {
		t.Errorf("MR3004 findings %v, want [b /spec/hosts/1]", got)
	}
}

// A gateway with a redirect-only listener on 80 and a serving one on 443: the conflict is
// reported once, on 443, at the table later in namespace/name order whichever set comes first,
// with the related position at the other table and the listener named in the message.
func TestGatewayHostConflictRedirectListener(t *testing.T) {
	g := &model.Gateway{Namespace: "gw", Service: "ingress", Listeners: []*model.Listener{
		{Port: 8080, ServicePort: 80, PortName: "http-8080-x-com", HTTPSRedirect: true},
		{Port: 8443, ServicePort: 443, PortName: "https-8443-x-com", Protocol: model.ProtocolHTTPS},
	}}
	set := func(name string, pos int) *model.RouteSet {
		return &model.RouteSet{Hosts: []string{"x.com"}, Gateways: []*model.Gateway{g},
			Origin: model.Origin{Kind: "RouteTable", Namespace: "ns", Name: name, Pos: diag.Position{File: "rt.yaml", Line: pos, Col: 1}}}
	}
	m := &model.Model{Clusters: []*model.Cluster{{Name: "c1", RouteSets: []*model.RouteSet{set("b", 20), set("a", 10)}}}}
	ds := checkGatewayHosts(m, newSources(&schema.Set{}))
	if len(ds) != 1 {
		t.Fatalf("%d findings, want 1: %v", len(ds), ds)
	}
	d := ds[0]
	if d.Object.Name != "b" || d.Pos.Line != 20 {
		t.Errorf("finding at %s %v, want table b at line 20", d.Object.Name, d.Pos)
	}
	if len(d.Related) != 1 || d.Related[0].Pos.Line != 10 {
		t.Errorf("related %v, want table a at line 10", d.Related)
	}
	if want := "listener port 443 (target port 8443) [https-8443-x-com]"; !strings.Contains(d.Message, want) {
		t.Errorf("message %q does not name the listener %q", d.Message, want)
	}
}
