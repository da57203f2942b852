package validate

import (
	"slices"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/compiler"
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// TestMeshHostConflict: the rule reports each pair compiler.Resolve recorded, at the later
// table's host entry, pointing at the earlier table's.
func TestMeshHostConflict(t *testing.T) {
	claim := func(name, host string, line int) model.HostClaim {
		return model.HostClaim{Set: &model.RouteSet{Mesh: true, Hosts: []string{host}, Origin: model.Origin{Kind: "RouteTable", Namespace: "ns", Name: name}},
			Host: host, Field: model.Field{Path: "/spec/hosts/0", Pos: diag.Position{File: name + ".yaml", Line: line, Col: 5}}}
	}
	m := &model.Model{Clusters: []*model.Cluster{{Name: "c1", Conflicts: model.Conflicts{MeshHosts: []*model.MeshHostConflict{
		{First: claim("a", "a.x.com", 3), Later: claim("b", "*.x.com", 7)},
	}}}, {Name: "c2"}}}
	got := checkMeshHosts(m)
	if len(got) != 1 {
		t.Fatalf("%d findings, want 1: %v", len(got), got)
	}
	d := got[0]
	if d.Code != "MR3005" || d.Pos.File != "b.yaml" || d.Pos.Line != 7 || d.Path != "/spec/hosts/0" || len(d.Related) != 1 || d.Related[0].Pos.File != "a.yaml" {
		t.Errorf("finding = %+v", d)
	}
	if want := `mesh host "*.x.com" of RouteTable ns/b overlaps host "a.x.com" of RouteTable ns/a`; !strings.Contains(d.Message, want) {
		t.Errorf("message %q, want %q", d.Message, want)
	}
}

// TestGatewayHostConflict: the rule reports what compiler.Resolve recorded — tables meeting on
// one domain space of a gateway workload — as MR3004 when some request can match a route of
// each, MR3014 when none can; tables served on different ports or hosts never meet.
func TestGatewayHostConflict(t *testing.T) {
	gw := func(vg, svc string, port uint32, hosts ...string) *model.Gateway {
		if len(hosts) == 0 {
			hosts = []string{"*"}
		}
		return &model.Gateway{Namespace: "gw", Name: vg + "-" + svc, Service: svc, Origin: model.Origin{Kind: "VirtualGateway", Namespace: "gw", Name: vg},
			Listeners: []*model.Listener{{Port: port, Hosts: hosts}}}
	}
	set := func(name string, g *model.Gateway, m *model.Matcher, hosts ...string) *model.RouteSet {
		return &model.RouteSet{Name: name, Hosts: hosts, Gateways: []*model.Gateway{g}, Listeners: g.Listeners,
			Origin: model.Origin{Kind: "RouteTable", Namespace: "ns", Name: name}, Routes: []*model.Route{route(0, m)}}
	}
	redirect := func(g *model.Gateway) *model.Gateway {
		g.Listeners[0].HTTPSRedirect = true
		return g
	}
	shared := gw("vg", "ingress", 8080)
	src := newSources(&schema.Set{})
	for _, tc := range []struct {
		name string
		sets []*model.RouteSet
		want string // the code reported, "" for none
	}{
		{"same host same gateway", []*model.RouteSet{set("a", shared, prefix("/"), "x.com"), set("b", shared, prefix("/"), "x.com")}, diag.CodeHostConflictOnGateway},
		{"overlapping routes", []*model.RouteSet{set("a", shared, prefix("/"), "x.com"), set("b", shared, prefix("/api"), "x.com")}, diag.CodeHostConflictOnGateway},
		{"disjoint routes", []*model.RouteSet{set("a", shared, prefix("/web"), "x.com"), set("b", shared, prefix("/api"), "x.com")}, "MR3014"},
		{"through two VirtualGateways on one Service", []*model.RouteSet{set("a", gw("vg1", "ingress", 8080), prefix("/"), "x.com"), set("b", gw("vg2", "ingress", 8080), prefix("/"), "X.com")}, diag.CodeHostConflictOnGateway},
		{"different ports", []*model.RouteSet{set("a", gw("vg1", "ingress", 8080), prefix("/"), "x.com"), set("b", gw("vg2", "ingress", 8443), prefix("/"), "x.com")}, ""},
		{"different gateway Services", []*model.RouteSet{set("a", gw("vg", "ingress", 8080), prefix("/"), "x.com"), set("b", gw("vg", "internal", 8080), prefix("/"), "x.com")}, ""},
		{"listener hosts keep one out", []*model.RouteSet{set("a", gw("vg1", "ingress", 8080, "x.com"), prefix("/"), "x.com"), set("b", gw("vg2", "ingress", 8080, "y.com"), prefix("/"), "x.com")}, ""},
		{"different hosts", []*model.RouteSet{set("a", shared, prefix("/"), "x.com"), set("b", shared, prefix("/"), "y.com")}, ""},
		{"redirect-only listener runs no routes", []*model.RouteSet{set("a", redirect(gw("vg", "ingress", 8080)), prefix("/"), "x.com"), set("b", redirect(gw("vg", "ingress", 8080)), prefix("/"), "x.com")}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &model.Model{Clusters: []*model.Cluster{{Name: "c1", RouteSets: tc.sets}}}
			for _, rs := range tc.sets {
				if !slices.Contains(m.Clusters[0].Gateways, rs.Gateways[0]) {
					m.Clusters[0].Gateways = append(m.Clusters[0].Gateways, rs.Gateways[0])
				}
			}
			compiler.Resolve(m)
			got := checkGatewayHosts(m, src)
			if tc.want == "" && len(got) > 0 || tc.want != "" && (len(got) != 1 || got[0].Code != tc.want) {
				t.Errorf("findings %v, want one %s", got, tc.want)
			}
		})
	}
}

// After admission narrows a table's hosts, MR3004 still points at the table's own entry that
// claims the host ('*.example.com', index 1), not at the entry with the narrowed list's index.
func TestGatewayHostConflictNarrowedPosition(t *testing.T) {
	_, ds := runCase(t, testCase{Name: "ingress-host-conflict-narrowed"}, Options{})
	var got []string
	for _, d := range ds {
		if d.Code == diag.CodeHostConflictOnGateway {
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
		{Port: 8080, ServicePort: 80, PortName: "http-8080-x-com", Hosts: []string{"x.com"}, HTTPSRedirect: true},
		{Port: 8443, ServicePort: 443, PortName: "https-8443-x-com", Hosts: []string{"x.com"}, Protocol: model.ProtocolHTTPS, TLS: &model.TLS{Mode: "SIMPLE"}},
	}}
	set := func(name string, pos int) *model.RouteSet {
		return &model.RouteSet{Name: name, Hosts: []string{"x.com"}, Gateways: []*model.Gateway{g}, Listeners: g.Listeners, Routes: []*model.Route{route(0, prefix("/"))},
			Origin: model.Origin{Kind: "RouteTable", Namespace: "ns", Name: name, Pos: diag.Position{File: "rt.yaml", Line: pos, Col: 1}}}
	}
	m := &model.Model{Clusters: []*model.Cluster{{Name: "c1", Gateways: []*model.Gateway{g}, RouteSets: []*model.RouteSet{set("b", 20), set("a", 10)}}}}
	compiler.Resolve(m)
	ds := checkGatewayHosts(m, newSources(&schema.Set{}))
	if len(ds) != 1 {
		t.Fatalf("%d findings, want 1: %v", len(ds), ds)
	}
	d := ds[0]
	if d.Object.Name != "b" || d.Pos.Line != 20 {
		t.Errorf("finding at %s %v, want table b at line 20", d.Object.Name, d.Pos)
	}
	if len(d.Related) != 3 || d.Related[0].Pos.Line != 10 {
		t.Errorf("related %v, want table a at line 10, then both routes", d.Related)
	}
	if want := "listener port 443 (target port 8443) [https-8443-x-com]"; !strings.Contains(d.Message, want) {
		t.Errorf("message %q does not name the listener %q", d.Message, want)
	}
}
