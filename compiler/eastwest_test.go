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
