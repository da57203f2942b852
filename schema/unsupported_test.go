package schema

import (
	"reflect"
	"slices"
	"strconv"
	"testing"
)

func TestUnsupportedFields(t *testing.T) {
	const vg = "apiVersion: networking.gloo.solo.io/v2\nkind: VirtualGateway\nmetadata: {name: gw, namespace: ns}\nspec:\n"
	const vd = "apiVersion: networking.gloo.solo.io/v2\nkind: VirtualDestination\nmetadata: {name: vd, namespace: ns}\nspec:\n  hosts: [a.global]\n  ports: [{number: 80, protocol: HTTP}]\n"
	for _, tc := range []struct {
		name, doc string
		want      []want
	}{
		{"harmless field", rtHead + "  hosts: [a.com]\n  failureMode: FREEZE_CONFIG\n  http: [{directResponse: {status: 200}}]\n", []want{{"MR1005", 8, 3, "failureMode is not implemented"}}},
		{"lambda in a tls route", rtHead + "  hosts: [a.com]\n  tls:\n  - matchers: [{sniHosts: [a.com]}]\n    forwardTo: {destinations: [{awsLambda: {function: f}}]}\n", []want{{"MR1006", 10, 33, "awsLambda is not implemented"}}},
		{"graphql action", route("graphql: {schema: {name: s}}\n"), []want{{"MR1006", 10, 5, "graphql is not implemented"}}},
		{"suffix matcher", route("matchers: [{uri: {suffix: .json}}]\n" + fwd), []want{{"MR1006", 10, 23, "suffix is not implemented"}}},
		{"lambda destination", route("forwardTo:\n  destinations: [{awsLambda: {function: f}}]\n"), []want{{"MR1006", 11, 23, "awsLambda is not implemented"}}},
		{"external service kind", route("forwardTo:\n  destinations:\n  - ref: {name: api}\n    kind: EXTERNAL_SERVICE\n"), nil},
		{"workspace", route("delegate: {routeTables: [{workspace: team-a}]}\n"), []want{{"MR1005", 10, 31, "no Workspace object is declared"}}},
		{"egress", vg + "  listeners:\n  - port: {number: 443}\n    http: {}\n    exposedExternalServices: [{host: a.com}]\n", nil},
		{"vm gateway", vg + "  workloads: [{kind: VM}]\n  listeners: [{port: {number: 80}, http: {}}]\n", []want{{"MR1006", 5, 22, "kind VM"}}},
		{"external backends", vd + "  externalServices: [{name: x}]\n", nil},
		{"workload backends", vd + "  externalWorkloads: [{name: x}]\n", []want{{"MR1006", 7, 3, "externalWorkloads is not implemented"}}},
		{"client mode", vd + "  services: [{name: x}]\n  clientMode: {tlsTermination: {}}\n", []want{{"MR1005", 8, 3, "clientMode is not implemented"}}},
		{"unknown is not unsupported", route("matcher: []\n" + fwd), []want{{"MR1001", 10, 5, "matchers"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkDiags(t, loadString(t, tc.doc), tc.want)
		})
	}
}

// TestUnsupportedWalkOrder: findings come in the order of a walk over sorted keys and ascending
// indices (index 10 after 9, not after 1), whatever order the maps iterate in.
func TestUnsupportedWalkOrder(t *testing.T) {
	routes := make([]any, 12)
	for i := range routes {
		routes[i] = map[string]any{"graphql": map[string]any{}, "name": "r"}
	}
	spec := map[string]any{"zeta": int64(1), "http": routes, "alpha": int64(2), "failureMode": "x",
		"workloads": []any{map[string]any{"kind": "VM"}}}
	var want []string
	want = append(want, "/spec/alpha", "/spec/failureMode")
	for i := range routes {
		want = append(want, "/spec/http/"+strconv.Itoa(i)+"/graphql")
	}
	want = append(want, "/spec/workloads", "/spec/zeta") // a VirtualGateway field: not a RouteTable's
	for range 20 {
		w := &unsupportedWalk{root: "/spec"}
		w.walk(spec, reflect.TypeFor[*RouteTableSpec]())
		slices.SortStableFunc(w.found, func(a, b unsupportedFinding) int { return compareTrails(a.trail, b.trail) })
		var got []string
		for _, f := range w.found {
			p, _ := w.paths(f.trail)
			got = append(got, p)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("findings in order\n%q\nwant\n%q", got, want)
		}
	}
}
