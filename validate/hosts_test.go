package validate

import (
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/schema"
)

func TestHostsOverlap(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"a.x.com", "a.x.com", true}, {"A.x.com", "a.X.com", true}, {"a.x.com", "b.x.com", false},
		{"*.x.com", "a.x.com", true}, {"*.x.com", "x.com", false}, {"*.x.com", "*.b.x.com", true},
		{"*.x.com", "*.y.com", false}, {"*", "anything", true},
	} {
		if got := hostsOverlap(tc.a, tc.b); got != tc.want {
			t.Errorf("hostsOverlap(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

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
