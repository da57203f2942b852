package routediff

import (
	"reflect"
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
)

const rs = "routes gw/routetable-rt-ns"

func route(name string, f func(*model.Route)) *model.Route {
	r := &model.Route{
		RouteID:  &model.RouteID{Chain: []model.Hop{{Table: model.Origin{Kind: "RouteTable", Namespace: "ns", Name: "rt"}, RouteName: name}}},
		Matchers: []*model.Matcher{{URI: &model.URIMatch{Kind: model.MatchPrefix, Value: "/" + name}}},
		Forward:  &model.Forward{Destinations: []*model.Destination{{Host: name + ".svc", Port: 80}}},
	}
	if f != nil {
		f(r)
	}
	return r
}

func cluster(routes []*model.Route, f func(*model.Cluster)) *model.Model {
	c := &model.Cluster{
		Name:      "c1",
		Gateways:  []*model.Gateway{{Name: "gw", Namespace: "gw", Listeners: []*model.Listener{{ServicePort: 80, Hosts: []string{"a.example.com"}}}}},
		RouteSets: []*model.RouteSet{{Name: "routetable-rt-ns", Namespace: "gw", Hosts: []string{"*"}, Routes: routes}},
		Backends:  []*model.Backend{{Host: "vd.example.com", Local: &model.LocalEndpoint{}, Remotes: []*model.RemoteEndpoint{{Cluster: "c2"}}}},
	}
	if f != nil {
		f(c)
	}
	return &model.Model{Clusters: []*model.Cluster{c}}
}

func TestCompare(t *testing.T) {
	ab := []*model.Route{route("a", nil), route("b", nil)}
	tests := []struct {
		name     string
		old, new *model.Model
		want     []Change
	}{
		{name: "same", old: cluster(ab, nil), new: cluster(ab, nil)},
		{name: "route added", old: cluster(ab[:1], nil), new: cluster(ab, nil),
			want: []Change{{Kind: RouteAdded, Scope: rs, Route: "ns/rt#b", To: "prefix /b -> forward b.svc:80 (weight 0)"}}},
		{name: "route removed", old: cluster(ab, nil), new: cluster(ab[1:], nil),
			want: []Change{{Kind: RouteRemoved, Scope: rs, Route: "ns/rt#a", From: "prefix /a -> forward a.svc:80 (weight 0)"}}},
		{name: "insertion shifts but does not reorder", old: cluster(ab, nil), new: cluster([]*model.Route{route("c", nil), ab[0], ab[1]}, nil),
			want: []Change{{Kind: RouteAdded, Scope: rs, Route: "ns/rt#c", To: "prefix /c -> forward c.svc:80 (weight 0)"}}},
		{name: "reordered", old: cluster(ab, nil), new: cluster([]*model.Route{ab[1], ab[0]}, nil),
			want: []Change{{Kind: RouteReordered, Scope: rs, Route: "ns/rt#a", From: "position 1", To: "position 2"}}},
		{name: "re-targeted", old: cluster(ab[:1], nil), new: cluster([]*model.Route{route("a", func(r *model.Route) { r.Forward.Destinations[0].Subset = "v2" })}, nil),
			want: []Change{{Kind: RouteRetargeted, Scope: rs, Route: "ns/rt#a", From: "a.svc:80", To: "a.svc:80/v2"}}},
		{name: "weights", old: cluster(ab[:1], nil), new: cluster([]*model.Route{route("a", func(r *model.Route) { r.Forward.Destinations[0].Weight = 100 })}, nil),
			want: []Change{{Kind: WeightsChanged, Scope: rs, Route: "ns/rt#a", From: "a.svc:80 (weight 0)", To: "a.svc:80 (weight 100)"}}},
		{name: "forward becomes a redirect", old: cluster(ab[:1], nil), new: cluster([]*model.Route{route("a", func(r *model.Route) {
			r.Forward, r.Redirect = nil, &model.Redirect{Host: "x.example.com", Code: 301}
		})}, nil),
			want: []Change{{Kind: ActionChanged, Scope: rs, Route: "ns/rt#a", From: "forward", To: "redirect 301 to x.example.com"}}},
		{name: "rewrite", old: cluster(ab[:1], nil), new: cluster([]*model.Route{route("a", func(r *model.Route) { p := "/"; r.Forward.PathRewrite = &p })}, nil),
			want: []Change{{Kind: ActionChanged, Scope: rs, Route: "ns/rt#a", From: "forward", To: `forward rewriting the path to "/"`}}},
		{name: "direct response", old: cluster([]*model.Route{route("a", func(r *model.Route) { r.Forward, r.DirectResponse = nil, &model.DirectResponse{Status: 404} })}, nil),
			new:  cluster([]*model.Route{route("a", func(r *model.Route) { r.Forward, r.DirectResponse = nil, &model.DirectResponse{Status: 410} })}, nil),
			want: []Change{{Kind: ActionChanged, Scope: rs, Route: "ns/rt#a", From: `direct response 404 ""`, To: `direct response 410 ""`}}},
		{name: "matchers", old: cluster(ab[:1], nil), new: cluster([]*model.Route{route("a", func(r *model.Route) {
			r.Matchers[0].Headers = []model.HeaderMatch{{Name: "x-canary", Value: "1"}}
		})}, nil),
			want: []Change{{Kind: MatchersChanged, Scope: rs, Route: "ns/rt#a", From: "prefix /a", To: "prefix /a header x-canary=1"}}},
		{name: "gateway hosts", old: cluster(ab, nil), new: cluster(ab, func(c *model.Cluster) {
			c.Gateways[0].Listeners[0].Hosts = []string{"b.example.com"}
		}),
			want: []Change{{Kind: HostAdded, Scope: "gateway gw/gw", To: "b.example.com:80"}, {Kind: HostRemoved, Scope: "gateway gw/gw", From: "a.example.com:80"}}},
		{name: "route set hosts", old: cluster(ab, nil), new: cluster(ab, func(c *model.Cluster) { c.RouteSets[0].Hosts = []string{"*", "b.example.com"} }),
			want: []Change{{Kind: HostAdded, Scope: rs, To: "b.example.com"}}},
		{name: "mesh route set added", old: cluster(ab, nil), new: cluster(ab, func(c *model.Cluster) {
			c.RouteSets = append(c.RouteSets, &model.RouteSet{Name: "m", Namespace: "ns", Mesh: true, Hosts: []string{"a.svc"}})
		}),
			want: []Change{{Kind: RouteSetAdded, Scope: "mesh routes ns/m", To: "a.svc"}}},
		{name: "backend clusters", old: cluster(ab, nil), new: cluster(ab, func(c *model.Cluster) {
			c.Backends[0].Local, c.Backends[0].Remotes = nil, []*model.RemoteEndpoint{{Cluster: "c2"}, {Cluster: "c3"}}
		}),
			want: []Change{{Kind: EndpointAdded, Scope: "backend vd.example.com", To: "c3"}, {Kind: EndpointRemoved, Scope: "backend vd.example.com", From: "local"}}},
		{name: "backend removed", old: cluster(ab, nil), new: cluster(ab, func(c *model.Cluster) { c.Backends = nil }),
			want: []Change{{Kind: BackendRemoved, Scope: "backend vd.example.com", From: "c2, local"}}},
		{name: "cluster added", old: nil, new: cluster(ab, nil),
			want: []Change{{Kind: ClusterAdded, Scope: "cluster c1"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Compare(tc.old, tc.new)
			var got []Change
			for _, c := range r.Clusters {
				got = append(got, c.Changes...)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Compare:\n got %+v\nwant %+v", got, tc.want)
			}
			if r.Empty() != (len(tc.want) == 0) {
				t.Errorf("Empty() = %v with %d changes", r.Empty(), len(tc.want))
			}
		})
	}
}

func TestRouteKeys(t *testing.T) {
	hop := func(table, route string) model.Hop {
		return model.Hop{Table: model.Origin{Namespace: "ns", Name: table}, RouteName: route}
	}
	delegated := &model.Route{RouteID: &model.RouteID{Chain: []model.Hop{hop("root", "team"), hop("team", "a")}}}
	got := routeKeys([]*model.Route{delegated, {RouteID: &model.RouteID{Chain: []model.Hop{hop("root", "b")}}}, delegated})
	want := []string{"ns/root#team > ns/team#a", "ns/root#b", "ns/root#team > ns/team#a (2)"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("routeKeys = %q, want %q", got, want)
	}
}
