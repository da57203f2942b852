package compiler

import (
	"fmt"
	"slices"
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
)

// A matcher naming another listener's port does not apply on this one; a route left without
// matchers is not served there at all (it must not become a catch-all).
func TestRoutesOn(t *testing.T) {
	every := &model.Route{RouteID: &model.RouteID{Name: "any"}}
	mixed := &model.Route{RouteID: &model.RouteID{Name: "mixed"}, Matchers: []*model.Matcher{{Port: 8443}, {Port: 8080}}}
	other := &model.Route{RouteID: &model.RouteID{Name: "other"}, Matchers: []*model.Matcher{{Port: 8443}}}
	got := routesOn([]*model.Route{every, mixed, other}, 8080)
	if len(got) != 2 || got[0] != every || got[1].Name != "mixed" || len(got[1].Matchers) != 1 || got[1].Matchers[0].Port != 8080 {
		t.Fatalf("routesOn = %+v", got)
	}
	if len(mixed.Matchers) != 2 {
		t.Error("routesOn changed the set's own route")
	}
}

// The first TLS listener on a port of the gateway Service keeps a server name, in its Gateway
// or another of the workload; one left with none is shadowed, and each loss is recorded once.
func TestServerNames(t *testing.T) {
	c := &model.Cluster{Name: "c1"}
	r := &resolver{cluster: c, sni: map[uint32]map[string]sniOwner{}}
	g1 := &model.Gateway{Namespace: "gw", Service: "ingress", Origin: model.Origin{Name: "a"}}
	g2 := &model.Gateway{Namespace: "gw", Service: "ingress", Origin: model.Origin{Name: "b"}}
	tls := func(index int, hosts ...string) *model.Listener {
		return &model.Listener{Port: 8443, Index: index, Hosts: hosts, TLS: &model.TLS{Mode: "SIMPLE"}}
	}
	if n, ok := r.serverNames(g1, tls(0, "a.x.com", "*-shop.x.com")); !ok || !slices.Equal(n, []string{"a.x.com", "*.x.com"}) {
		t.Errorf("first: %q %v", n, ok)
	}
	if n, ok := r.serverNames(g2, tls(3, "A.x.com", "b.x.com")); !ok || !slices.Equal(n, []string{"b.x.com"}) {
		t.Errorf("a name another Gateway of the workload took must be left out, got %q %v", n, ok)
	}
	if n, ok := r.serverNames(g1, tls(1, "*-api.x.com")); ok {
		t.Errorf("a listener left with no name must be shadowed, got %q", n)
	}
	if n, ok := r.serverNames(g1, tls(2, "*api")); !ok || n != nil {
		t.Errorf("a one-label partial wildcard selects any name: %q %v", n, ok)
	}
	var got []string
	for _, cf := range c.Conflicts.ServerNames {
		got = append(got, fmt.Sprintf("%s/%d<-%s/%d %s", cf.Later.Gateway.Name, cf.Later.Index, cf.Earlier.Gateway.Name, cf.Earlier.Index, cf.ServerName))
	}
	if want := []string{"b/3<-a/0 a.x.com", "a/1<-a/0 *.x.com"}; !slices.Equal(got, want) {
		t.Errorf("conflicts %q, want %q", got, want)
	}
}

// Two sets on one domain space are both served, first set's routes first, and the clash is
// recorded once; a set served only on another port of the gateway is no clash at all.
func TestResolveSharedDomains(t *testing.T) {
	http := func(port uint32) *model.Listener { return &model.Listener{Port: port, Hosts: []string{"*"}} }
	l80, l81, l8080 := http(8080), http(8080), http(9090)
	g := &model.Gateway{Namespace: "gw", Name: "g", Service: "ingress", Listeners: []*model.Listener{l80, l81, l8080}}
	set := func(name string, ls ...*model.Listener) *model.RouteSet {
		return &model.RouteSet{Name: name, Hosts: []string{"x.com"}, Gateways: []*model.Gateway{g}, Listeners: ls,
			Origin: model.Origin{Namespace: "ns", Name: name}, Routes: []*model.Route{{RouteID: &model.RouteID{Name: "r." + name}}}}
	}
	a, b, other := set("a", l80, l81), set("b", l81), set("c", l8080)
	m := &model.Model{Clusters: []*model.Cluster{{Name: "c1", Gateways: []*model.Gateway{g}, RouteSets: []*model.RouteSet{a, b, other}}}}
	Resolve(m)
	vhs := l80.VirtualHosts
	if len(vhs) != 1 || !slices.Equal(vhs[0].Sets, []string{"a", "b"}) || len(vhs[0].Routes) != 2 || vhs[0].Routes[0].Name != "r.a" || vhs[0].Routes[1].Name != "r.b" {
		t.Fatalf("port 8080 virtual hosts %+v, want x.com with a's then b's routes", vhs)
	}
	if len(l81.VirtualHosts) != 0 {
		t.Errorf("the second listener on the port repeats the domain: %+v", l81.VirtualHosts)
	}
	cs := m.Clusters[0].Conflicts.Hosts
	if len(cs) != 1 || cs[0].First.Set != a || cs[0].Later.Set != b || cs[0].Domain != "x.com" || cs[0].Listener != l81 {
		t.Errorf("conflicts %+v, want one: b after a on x.com", cs)
	}
	Resolve(m)
	if len(m.Clusters[0].Conflicts.Hosts) != 1 || len(l80.VirtualHosts[0].Routes) != 2 {
		t.Error("resolving again must replace, not add to, what Resolve set")
	}
}
