package schema

import "testing"

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
