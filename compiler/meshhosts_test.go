package compiler

import (
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
)

// TestResolveMeshHosts: Resolve records each pair of mesh tables on overlapping hosts once,
// earlier table first, in the first cluster serving the later table, however many clusters
// serve both.
func TestResolveMeshHosts(t *testing.T) {
	set := func(name string, hosts ...string) *model.RouteSet {
		return &model.RouteSet{Mesh: true, Hosts: hosts, Origin: model.Origin{Kind: "RouteTable", Namespace: "ns", Name: name}}
	}
	type pair struct{ first, later string }
	for _, tc := range []struct {
		name string
		sets []*model.RouteSet
		want []pair
	}{
		{"disjoint", []*model.RouteSet{set("a", "a.x.com"), set("b", "b.x.com")}, nil},
		{"same host", []*model.RouteSet{set("a", "a.x.com"), set("b", "a.x.com")}, []pair{{"a", "b"}}},
		{"wildcard after exact", []*model.RouteSet{set("a", "a.b.x.com"), set("b", "*.x.com")}, []pair{{"a", "b"}}},
		{"exact after wildcard", []*model.RouteSet{set("a", "*.x.com"), set("b", "a.x.com")}, []pair{{"a", "b"}}},
		{"nested wildcards", []*model.RouteSet{set("a", "*.b.x.com"), set("b", "*.x.com")}, []pair{{"a", "b"}}},
		{"one table overlapping itself is MR3012, not this", []*model.RouteSet{set("a", "*.x.com", "a.x.com")}, nil},
		{"three tables", []*model.RouteSet{set("a", "a.x.com"), set("b", "b.x.com"), set("c", "*.x.com")}, []pair{{"a", "c"}, {"b", "c"}}},
		{"once per pair", []*model.RouteSet{set("a", "a.x.com", "b.x.com"), set("b", "*.x.com")}, []pair{{"a", "b"}}},
		{"a catch-all host is not compared", []*model.RouteSet{set("a", "*"), set("b", "a.x.com")}, nil},
		{"ingress sets are not compared", []*model.RouteSet{set("a", "a.x.com"), {Hosts: []string{"a.x.com"}, Origin: model.Origin{Name: "b"}}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &model.Model{Clusters: []*model.Cluster{{Name: "c1", RouteSets: tc.sets}, {Name: "c2", RouteSets: tc.sets}}}
			Resolve(m)
			Resolve(m) // resolving again replaces the record
			if n := len(m.Clusters[1].Conflicts.MeshHosts); n != 0 {
				t.Errorf("%d conflicts recorded in the second cluster too", n)
			}
			var got []pair
			for _, c := range m.Clusters[0].Conflicts.MeshHosts {
				got = append(got, pair{c.First.Set.Origin.Name, c.Later.Set.Origin.Name})
			}
			if len(got) != len(tc.want) {
				t.Fatalf("conflicts %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("conflicts %v, want %v", got, tc.want)
				}
			}
		})
	}
}
