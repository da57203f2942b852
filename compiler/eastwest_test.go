package compiler

import (
	"slices"
	"testing"
)

// The WorkspaceSettings named global in the Workspaces' namespace belongs to no workspace, and
// only its eastWestGateways are read; elsewhere, or under another name, it is an ordinary one.
func TestGlobalWorkspaceSettings(t *testing.T) {
	ws := twoWorkspaces + "---\n"
	ew := "  options: {eastWestGateways: [{selector: {labels: {istio: eastwestgateway}}}]}\n"
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"global in the admin namespace", ws + settings("global", "gloo-mesh", ew), nil},
		{"global elsewhere is in no workspace", ws + settings("global", "istio-system", ew), []string{"MR2029"}},
		{"another name in the admin namespace is in no workspace", ws + settings("platform", "gloo-mesh", ew), []string{"MR2029"}},
		{"global's other fields are refused", ws + settings("global", "gloo-mesh", "  importFrom: [{workspaces: [{name: gw}]}]\n  options: {federation: {enabled: true}}\n"), []string{"MR1006"}},
		{"a selector's workspace that names none", ws + settings("global", "gloo-mesh", "  options: {eastWestGateways: [{selector: {workspace: nope}}]}\n"), []string{"MR2031"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ds := build(t, tc.in, meshTable)
			if got := codes(ds); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v: %v", got, tc.want, ds)
			}
		})
	}
}

// An entry's port must select the inventory's east-west port (15443 here) of each Service it
// picks, by number or name; left out, any port of that number does.
func TestEastWestGatewayPort(t *testing.T) {
	ws := twoWorkspaces + "---\n" + `apiVersion: v1
kind: Service
metadata: {name: eastwest, namespace: gw-ns, labels: {istio: eastwestgateway}, annotations: {meshroute.dev/cluster: c1}}
spec:
  selector: {istio: eastwestgateway}
  ports: [{name: status-port, port: 15021}, {name: tls, port: 15443}]
---
`
	for _, tc := range []struct {
		name, port string
		want       []string
	}{
		{"left out", "", nil},
		{"by name", ", port: {name: tls}", nil},
		{"by number", ", port: {number: 15443}", nil},
		{"another port by name", ", port: {name: status-port}", []string{"MR2043"}},
		{"a port the Service lacks", ", port: {number: 15444}", []string{"MR2043"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ws + settings("global", "gloo-mesh", "  options: {eastWestGateways: [{selector: {labels: {istio: eastwestgateway}}"+tc.port+"}]}\n")
			_, ds := build(t, in, meshTable)
			if got := codes(ds); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v: %v", got, tc.want, ds)
			}
		})
	}
}
