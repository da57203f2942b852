package validate

import (
	"fmt"
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/schema"
)

// benchModel is one cluster with one gateway route set of n routes on one host: distinct
// two-segment prefixes with a method or header on some, and every tenth route shadowed by an
// earlier shorter prefix, so the index is both hit and missed.
func benchModel(n int) *model.Model {
	routes := make([]*model.Route, n)
	for i := range routes {
		j, uri := i, prefix
		if i%10 == 9 {
			j, uri = i-1, exact // under route i-1's prefix, with its conditions
		}
		m := uri(fmt.Sprintf("/team-%d/svc", j))
		if i%10 == 9 {
			m.URI.Value += "/extra"
		}
		switch j % 3 {
		case 0:
			m = method(m, "GET")
		case 1:
			m = header(m, "x-tenant", fmt.Sprint(j))
		}
		routes[i] = route(i, m)
	}
	return &model.Model{Clusters: []*model.Cluster{{Name: "c1", RouteSets: []*model.RouteSet{{
		Name: "routetable-rt-ns", Namespace: "ns", Hosts: []string{"api.example.com"},
		Origin: model.Origin{Kind: "RouteTable", Namespace: "ns", Name: "rt"}, Routes: routes,
	}}}}}
}

// BenchmarkValidate measures the model rules on n routes of one host; ns/op must grow about
// tenfold from 1k to 10k routes (near-linear), not a hundredfold (all-pairs).
func BenchmarkValidate(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("routes=%d", n), func(b *testing.B) {
			m, set := benchModel(n), &schema.Set{}
			b.ReportAllocs()
			for b.Loop() {
				ds := check(m, set, nil, Options{})
				if len(ds) != n/10 {
					b.Fatalf("%d findings, want %d", len(ds), n/10)
				}
			}
		})
	}
}
