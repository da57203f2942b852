package compiler

import (
	"testing"
	"time"

	"github.com/meshroute/meshroute/compiler/model"
)

// sharedRoutes: routes a and b forward alike, c adds a path rewrite, s and t split alike between
// reviews and c1's ratings. Route policies select a (tier: gold) only.
const sharedRoutes = `apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: shop, namespace: app}
spec:
  hosts: [shop.example.com]
  virtualGateways: [{name: north, namespace: gw-ns}]
  http:
  - {name: a, labels: {tier: gold}, matchers: [{uri: {prefix: /a}}], forwardTo: {destinations: [{ref: {name: reviews}, port: {number: 9080}}]}}
  - {name: b, matchers: [{uri: {prefix: /b}}], forwardTo: {destinations: [{ref: {name: reviews}, port: {number: 9080}}]}}
  - {name: c, matchers: [{uri: {prefix: /c}}], forwardTo: {pathRewrite: /x, destinations: [{ref: {name: reviews}, port: {number: 9080}}]}}
  - name: s
    matchers: [{uri: {prefix: /s}}]
    forwardTo: {destinations: [{ref: {name: reviews}, port: {number: 9080}, weight: 50}, {ref: {name: ratings, cluster: c1}, port: {number: 9090}, weight: 50}]}
  - name: t
    matchers: [{uri: {prefix: /t}}]
    forwardTo: {destinations: [{ref: {name: reviews}, port: {number: 9080}, weight: 50}, {ref: {name: ratings, cluster: c1}, port: {number: 9090}, weight: 50}]}
`

// TestSharedForwards checks that route instances share their Forward and Destinations where the
// values are equal, and that what a policy adds to one route stays on that route: a policy
// written into a shared Forward or Destination would show on its neighbours.
func TestSharedForwards(t *testing.T) {
	m, ds := build(t, sharedRoutes,
		policyDoc("resilience/RetryTimeoutPolicy", "applyToRoutes: [{route: {labels: {tier: gold}}}], config: {requestTimeout: 1s}"),
		policyDoc("trafficcontrol/HeaderManipulationPolicy", "applyToRouteDestinations: [{route: {labels: {tier: gold}}, onDestinations: [{selector: {name: reviews}}]}], config: {appendRequestHeaders: {x-gold: 'yes'}}"))
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	forwardOfA := map[string]*model.Forward{}
	for _, c := range []string{"c1", "c2"} {
		routes := map[string]*model.Route{}
		for _, rs := range m.Cluster(c).RouteSets {
			for _, r := range rs.Routes {
				routes[r.Leaf().RouteName] = r
			}
		}
		a, b, cr, s, tr := routes["a"], routes["b"], routes["c"], routes["s"], routes["t"]
		if a == nil || b == nil || cr == nil || s == nil || tr == nil {
			t.Fatalf("%s: routes %v", c, routes)
		}
		if a.Forward != b.Forward || s.Forward != tr.Forward {
			t.Errorf("%s: equal forwards not shared", c)
		}
		if cr.Forward == a.Forward || *cr.Forward.PathRewrite != "/x" || a.Forward.PathRewrite != nil {
			t.Errorf("%s: the rewrite of c leaked: a %+v, c %+v", c, a.Forward, cr.Forward)
		}
		if cr.Forward.Destinations[0] != a.Forward.Destinations[0] {
			t.Errorf("%s: equal destinations not shared", c)
		}
		if d := s.Forward.Destinations[0]; d == a.Forward.Destinations[0] || d.Weight != 50 || a.Forward.Destinations[0].Weight != 0 {
			t.Errorf("%s: weights mixed up: split %+v, single %+v", c, d, a.Forward.Destinations[0])
		}
		if a.Policies == nil || a.Policies.Timeout != time.Second || len(a.Policies.DestinationHeaders) != 1 {
			t.Errorf("%s: route a's policies %+v", c, a.Policies)
		}
		for _, r := range []*model.Route{b, cr, s, tr} {
			if r.Policies != nil {
				t.Errorf("%s: route %s got a's policies: %+v", c, r.Name, r.Policies)
			}
		}
		forwardOfA[c] = a.Forward
	}
	if f1, f2 := forwardOfA["c1"], forwardOfA["c2"]; f1 == f2 || f1.Destinations[0].Backend == f2.Destinations[0].Backend {
		t.Error("a Forward shared between clusters, whose backends differ")
	}
}
