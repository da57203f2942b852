package compiler

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/compiler/model"
)

// policyRoutes: a root table (labels team: shop) with route a (tier: gold) to reviews and route
// d (tier: gold, zone: edge) delegating to a child table (labels child: yes) whose route c
// (tier: silver) goes to ratings:9090; a VirtualDestination reviews.global over reviews.
const policyRoutes = `apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: root, namespace: app, labels: {team: shop}}
spec:
  hosts: [shop.example.com]
  virtualGateways: [{name: north, namespace: gw-ns}]
  http:
  - name: d
    labels: {tier: gold, zone: edge}
    matchers: [{uri: {prefix: /child}}]
    delegate: {routeTables: [{labels: {child: "yes"}}]}
  - name: a
    labels: {tier: gold}
    forwardTo: {destinations: [{ref: {name: reviews}, port: {number: 9080}}]}
---
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: child, namespace: app, labels: {child: "yes"}}
spec:
  http:
  - name: c
    labels: {tier: silver}
    forwardTo: {destinations: [{ref: {name: ratings, cluster: c1}, port: {number: 9090}}]}
---
apiVersion: networking.gloo.solo.io/v2
kind: VirtualDestination
metadata: {name: reviews-global, namespace: app, labels: {scope: global}}
spec:
  hosts: [reviews.global]
  services: [{labels: {app: reviews}}]
  ports: [{number: 9080, protocol: HTTP}]
`

const (
	routeA = "a.root.app"
	routeC = "c.child.app--d.root.app"
)

func TestPolicySelection(t *testing.T) {
	for _, tc := range []struct {
		name, kind, spec string
		routes, dests    []string // in cluster c1
	}{
		{"route label on the route", "resilience/RetryTimeoutPolicy", "applyToRoutes: [{route: {labels: {tier: gold}}}]", []string{routeA}, nil},
		{"table label reaches delegated routes", "resilience/RetryTimeoutPolicy", "applyToRoutes: [{route: {labels: {team: shop}}}]", []string{routeC, routeA}, nil},
		{"delegating route label inherited", "resilience/RetryTimeoutPolicy", "applyToRoutes: [{route: {labels: {zone: edge, child: \"yes\"}}}]", []string{routeC}, nil},
		{"nearer label wins a clash", "resilience/RetryTimeoutPolicy", "applyToRoutes: [{route: {labels: {tier: silver}}}]", []string{routeC}, nil},
		{"namespace of the route's table", "resilience/RetryTimeoutPolicy", "applyToRoutes: [{route: {namespace: other}}]", nil, nil},
		{"cluster", "resilience/RetryTimeoutPolicy", "applyToRoutes: [{route: {cluster: c1, labels: {tier: gold}}}]", []string{routeA}, nil},
		{"with destinations", "resilience/RetryTimeoutPolicy", "applyToRoutes: [{withDestinations: {selector: {name: ratings}}}]", []string{routeC}, nil},
		{"with destinations, other port", "resilience/RetryTimeoutPolicy", "applyToRoutes: [{withDestinations: {selector: {name: ratings}, port: {number: 9080}}}]", nil, nil},
		{"empty list selects every route", "resilience/RetryTimeoutPolicy", "config: {requestTimeout: 1s}", []string{routeC, routeA}, nil},
		{"service by labels", "resilience/FailoverPolicy", "applyToDestinations: [{selector: {labels: {app: reviews}}}]", nil, []string{"reviews.app.svc.cluster.local"}},
		{"service port by name", "resilience/FailoverPolicy", "applyToDestinations: [{selector: {name: ratings}, port: {name: grpc}}]", nil, []string{"ratings.app.svc.cluster.local:9090"}},
		{"service port absent", "resilience/FailoverPolicy", "applyToDestinations: [{selector: {name: ratings}, port: {number: 1}}]", nil, nil},
		{"service of another cluster", "resilience/FailoverPolicy", "applyToDestinations: [{selector: {name: ratings, cluster: c2}}]", nil, nil},
		{"virtual destination", "resilience/OutlierDetectionPolicy", "applyToDestinations: [{kind: VIRTUAL_DESTINATION, selector: {labels: {scope: global}}}]", nil, []string{"reviews.global"}},
		{"virtual destination has no cluster", "resilience/OutlierDetectionPolicy", "applyToDestinations: [{kind: VIRTUAL_DESTINATION, selector: {cluster: c1}}]", nil, nil},
		{"external services are not read", "resilience/OutlierDetectionPolicy", "applyToDestinations: [{kind: EXTERNAL_SERVICE}]", nil, nil},
		{"empty list selects every destination", "resilience/OutlierDetectionPolicy", "config: {interval: 5s}", nil, []string{"gw.gw-ns.svc.cluster.local", "ratings.app.svc.cluster.local", "reviews.app.svc.cluster.local", "reviews.global"}},
		{"destination selector alone selects no route", "extensions/LuaPolicy", "applyToDestinations: [{selector: {name: ratings}}]", nil, []string{"ratings.app.svc.cluster.local"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := build(t, policyRoutes, policyDoc(tc.kind, tc.spec))
			routes, dests := selection(m, "c1")
			if !cmp.Equal(routes, tc.routes) || !cmp.Equal(dests, tc.dests) {
				t.Errorf("routes %q dests %q, want %q %q", routes, dests, tc.routes, tc.dests)
			}
		})
	}
}

// A Service of another cluster is selected where routes reach it, under its federated host.
func TestPolicySelectsFederatedHost(t *testing.T) {
	m, _ := build(t, policyRoutes, policyDoc("resilience/FailoverPolicy", "applyToDestinations: [{selector: {name: ratings, cluster: c1}}]"))
	for c, want := range map[string]string{"c1": "ratings.app.svc.cluster.local", "c2": "ratings.app.svc.c1.global"} {
		if _, dests := selection(m, c); !cmp.Equal(dests, []string{want}) {
			t.Errorf("%s: dests %q, want %s", c, dests, want)
		}
	}
}

// applyToRouteDestinations limits the policy to the selected destinations of a selected route.
func TestPolicyRouteDestinations(t *testing.T) {
	m, _ := build(t, policyRoutes, policyDoc("trafficcontrol/HeaderManipulationPolicy",
		"applyToRouteDestinations: [{route: {labels: {team: shop}}, onDestinations: [{selector: {name: ratings}}]}]"))
	ps := m.Cluster("c1").Policies
	if len(ps) != 1 || len(ps[0].Routes) != 1 {
		t.Fatalf("policies %+v", ps)
	}
	if r := ps[0].Routes[0]; r.Route.Name != routeC || !cmp.Equal(r.Destinations, []int{0}) || r.Set == "" {
		t.Errorf("route %s destinations %v set %q", r.Route.Name, r.Destinations, r.Set)
	}
}

func TestPolicyReports(t *testing.T) {
	for _, tc := range []struct {
		name, kind, spec, code, want string
	}{
		{"traffic kind", "resilience/RetryTimeoutPolicy", "applyToRoutes: [{route: {labels: {tier: gold}}}]", "MR4017", "1 route (a.root.app) in clusters c1, c2"},
		{"behaviour kind", "security/CORSPolicy", "applyToRoutes: [{route: {labels: {tier: gold}}}]", "MR4018", "1 route (a.root.app)"},
		{"destinations", "resilience/ActiveHealthCheckPolicy", "applyToDestinations: [{selector: {name: ratings}}]", "MR4017", "2 destinations (ratings.app.svc.cluster.local, ratings.app.svc.c1.global) in clusters c1, c2"},
		{"workloads", "observability/AccessLogPolicy", "applyToWorkloads: [{selector: {name: x}}]", "MR4018", "applies to workloads"},
		{"workloads, not every destination", "security/AccessPolicy", "applyToWorkloads: [{selector: {labels: {app: x}}}]", "MR4017", "applies to workloads"},
		{"every workload", "observability/AccessLogPolicy", "config: {}", "MR4018", "applies to workloads"},
		{"label typo", "resilience/RetryTimeoutPolicy", "applyToRoutes: [{route: {labels: {tier: glod}}}]", "MR2018", "did you mean tier=gold?"},
		{"name typo", "resilience/FailoverPolicy", "applyToDestinations: [{selector: {name: ratigns}}]", "MR2018", "did you mean ratings?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ds := build(t, policyRoutes, policyDoc(tc.kind, tc.spec))
			if len(ds) != 1 || ds[0].Code != tc.code || !strings.Contains(ds[0].Message+" "+ds[0].Hint, tc.want) {
				t.Fatalf("got %v, want one %s mentioning %q", ds, tc.code, tc.want)
			}
		})
	}
}

// With no route at all, MR2018 says so rather than pointing at the selector.
func TestPolicyNoRoutesInScope(t *testing.T) {
	_, ds := build(t, policyDoc("resilience/FaultInjectionPolicy", "config: {abort: {httpStatus: 503}}"))
	if len(ds) != 1 || ds[0].Code != "MR2018" || !strings.Contains(ds[0].Hint, "no gateway or sidecar serves any route") {
		t.Fatalf("got %v", ds)
	}
}

func policyDoc(kind, spec string) string {
	group, k, _ := strings.Cut(kind, "/")
	return "apiVersion: " + group + ".policy.gloo.solo.io/v2\nkind: " + k + "\nmetadata: {name: p, namespace: app}\nspec: {" + spec + "}\n"
}

// selection lists the route names and destinations the one policy selects in cluster c.
func selection(m *model.Model, c string) (routes, dests []string) {
	for _, p := range m.Cluster(c).Policies {
		for _, r := range p.Routes {
			routes = append(routes, r.Route.Name)
		}
		for _, d := range p.Destinations {
			dests = append(dests, d.String())
		}
	}
	return routes, slices.Clip(dests)
}
