package compiler

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// winnersOf compiles docs with kind treated as compiled and returns, per cluster c1, the
// "policy@target" pairs routeWinners and destinationWinners give, plus the diagnostics.
func winnersOf(t *testing.T, kind string, docs ...string) ([]string, []string) {
	t.Helper()
	saved := compiledPolicies
	t.Cleanup(func() { compiledPolicies = saved })
	var got []string
	compiledPolicies = []compiledPolicy{{Kind: kind, Fields: []fieldMapping{{}}, apply: func(b *builder, ci *clusterInfo) {
		if ci.name != "c1" {
			return
		}
		for _, w := range b.routeWinners(ci, kind) {
			s := w.Policy.Name() + "@" + w.Route.Route.Name
			for _, i := range w.Route.Destinations {
				s += "#" + w.Route.Route.Forward.Destinations[i].Name
			}
			got = append(got, s)
		}
		for _, w := range b.destinationWinners(ci, kind) {
			got = append(got, w.Policy.Name()+"@"+w.Dest.String())
		}
	}}}
	_, ds := build(t, docs...)
	var codes []string
	for _, d := range ds {
		codes = append(codes, d.Code+" "+d.Message)
	}
	return got, codes
}

func namedPolicy(kind, name, created, spec string) string {
	d := policyDoc(kind, spec)
	meta := "metadata: {name: " + name + ", namespace: app"
	if created != "" {
		meta += ", creationTimestamp: \"" + created + "\""
	}
	return strings.Replace(d, "metadata: {name: p, namespace: app", meta, 1)
}

func TestPolicyWinners(t *testing.T) {
	const rt = "resilience/RetryTimeoutPolicy"
	const od = "resilience/ActiveHealthCheckPolicy"
	const hm = "trafficcontrol/HeaderManipulationPolicy"
	for _, tc := range []struct {
		name     string
		kind     string
		policies []string
		want     []string
		diags    []string
	}{
		{"disjoint routes", "RetryTimeoutPolicy", []string{
			namedPolicy(rt, "one", "", "applyToRoutes: [{route: {labels: {tier: gold}}}]"),
			namedPolicy(rt, "two", "", "applyToRoutes: [{route: {labels: {tier: silver}}}]"),
		}, []string{"one@" + routeA, "two@" + routeC}, nil},
		{"same route: error at the later, earlier applies", "RetryTimeoutPolicy", []string{
			namedPolicy(rt, "one", "", "applyToRoutes: [{route: {labels: {team: shop}}}]"),
			namedPolicy(rt, "two", "", "applyToRoutes: [{route: {labels: {tier: gold}}}]"),
		}, []string{"one@" + routeC, "one@" + routeA}, []string{
			"MR3020 RetryTimeoutPolicy app/two conflicts with app/one on route a.root.app",
		}},
		{"both dated: the older wins", "RetryTimeoutPolicy", []string{
			namedPolicy(rt, "one", "2026-03-02T10:00:00Z", "applyToRoutes: [{route: {labels: {team: shop}}}]"),
			namedPolicy(rt, "two", "2026-03-01T10:00:00Z", "applyToRoutes: [{route: {labels: {team: shop}}}]"),
		}, []string{"two@" + routeC, "two@" + routeA}, []string{
			"MR3021 RetryTimeoutPolicy app/one is not applied to route c.child.app--d.root.app (and 1 more target): app/two is older and wins, as in Gloo",
		}},
		{"one dated only: error", "RetryTimeoutPolicy", []string{
			namedPolicy(rt, "one", "2026-03-02T10:00:00Z", "applyToRoutes: [{route: {labels: {tier: gold}}}]"),
			namedPolicy(rt, "two", "", "applyToRoutes: [{route: {labels: {tier: gold}}}]"),
		}, []string{"one@" + routeA}, []string{
			"MR3020 RetryTimeoutPolicy app/two conflicts with app/one on route a.root.app",
		}},
		{"destination and port do not conflict with the host", "ActiveHealthCheckPolicy", []string{
			namedPolicy(od, "one", "", "applyToDestinations: [{selector: {name: ratings}}]"),
			namedPolicy(od, "two", "", "applyToDestinations: [{selector: {name: ratings}, port: {number: 9090}}]"),
		}, []string{"one@ratings.app.svc.cluster.local", "two@ratings.app.svc.cluster.local:9090"}, nil},
		{"same destination", "ActiveHealthCheckPolicy", []string{
			namedPolicy(od, "one", "", "applyToDestinations: [{selector: {name: ratings}}]"),
			namedPolicy(od, "two", "", "applyToDestinations: [{selector: {labels: {app: ratings}}}]"),
		}, []string{"one@ratings.app.svc.cluster.local"}, []string{
			"MR3020 ActiveHealthCheckPolicy app/two conflicts with app/one on destination ratings.app.svc.cluster.local",
		}},
		{"route and route destination are different targets", "HeaderManipulationPolicy", []string{
			namedPolicy(hm, "one", "", "applyToRoutes: [{route: {labels: {tier: silver}}}]"),
			namedPolicy(hm, "two", "", "applyToRouteDestinations: [{route: {labels: {tier: silver}}}]"),
		}, []string{"one@" + routeC, "two@" + routeC + "#ratings"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := winnersOf(t, tc.kind, append([]string{policyRoutes}, tc.policies...)...)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("winners (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.diags, diags); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}
