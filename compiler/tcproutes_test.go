package compiler

import (
	"slices"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
)

func TestTCPRoutes(t *testing.T) {
	const fwd = "    forwardTo: {destinations: [{ref: {name: reviews, namespace: app}, port: {number: 9080}}]}\n"
	for _, tc := range []struct {
		name, spec string
		want       []string // codes, sorted
		message    string   // a part of the first diagnostic's message
	}{
		{"mesh", "  hosts: [reviews.app.svc.cluster.local]\n  tcp:\n  - matchers: [{port: 9080}]\n" + fwd + "  - matchers: [{port: 9090}, {port: 9080}]\n" + fwd, nil, ""},
		{"gateways only", "  hosts: [reviews.example.com]\n  virtualGateways: [{name: north, namespace: gw-ns}]\n  tcp:\n  -\n" + fwd, []string{"MR2033"}, "only on http listeners, and the table has no http routes"},
		{"gateways and sidecars, tcp only", "  hosts: [reviews.app.svc.cluster.local]\n  virtualGateways: [{name: north, namespace: gw-ns}]\n  workloadSelectors: [{}]\n  tcp:\n  -\n" + fwd, []string{"MR2033"}, "only on http listeners"},
		{"delegated", "  http: [{directResponse: {status: 200}}]\n  tcp:\n  -\n" + fwd, []string{"MR2021"}, "delegated table"},
		{"shadowed by a catch-all", "  hosts: [reviews.app.svc.cluster.local]\n  tcp:\n  -\n" + fwd + "  - matchers: [{port: 9080}]\n" + fwd, []string{"MR3016"}, "takes every connection"},
		{"shadowed by ports", "  hosts: [reviews.app.svc.cluster.local]\n  tcp:\n  - matchers: [{port: 9080}]\n" + fwd + "  - matchers: [{port: 9090}]\n" + fwd + "  - matchers: [{port: 9090}, {port: 9080}]\n" + fwd, []string{"MR3016"}, "route 1 before it already takes each of its ports"},
		{"rewrite", "  hosts: [reviews.app.svc.cluster.local]\n  tcp:\n  - forwardTo: {pathRewrite: /x, destinations: [{ref: {name: reviews, namespace: app}, port: {number: 9080}}]}\n", []string{"MR2022"}, "pathRewrite cannot apply"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := buildTable(t, strings.ReplaceAll(tc.spec, "  -\n    forwardTo", "  - forwardTo"), tc.want, tc.message)
			if tc.want == nil {
				rs := routeSet(t, m, "c1", "routetable-db-app")
				if len(rs.TCPRoutes) != 2 || !slices.Equal(rs.TCPRoutes[1].Ports, []uint32{9090, 9080}) || rs.TCPRoutes[0].Forward.Destinations[0].Port != 9080 {
					t.Errorf("tcp routes %+v", rs.TCPRoutes)
				}
			}
		})
	}
}

func TestTLSRoutes(t *testing.T) {
	const fwd = "    forwardTo: {destinations: [{ref: {name: reviews, namespace: app}, port: {number: 9080}}]}\n"
	for _, tc := range []struct {
		name, spec string
		want       []string
		message    string
	}{
		{"mesh", "  hosts: ['*.example.com']\n  tls:\n  - matchers: [{sniHosts: [a.example.com], port: 443}, {sniHosts: [B.example.com]}]\n" + fwd, nil, ""},
		{"no matchers", "  hosts: [a.example.com]\n  tls:\n  - forwardTo: {destinations: [{ref: {name: reviews, namespace: app}, port: {number: 9080}}]}\n", []string{"MR3017"}, "without sniHosts"},
		{"matcher without sni", "  hosts: [a.example.com]\n  tls:\n  - matchers: [{port: 443}]\n" + fwd, []string{"MR3017"}, "without sniHosts"},
		{"sni outside the hosts", "  hosts: [a.example.com]\n  tls:\n  - matchers: [{sniHosts: [b.example.com]}]\n" + fwd, []string{"MR3017"}, `"b.example.com" is not one of the table's hosts`},
		{"gateways only", "  hosts: [a.example.com]\n  virtualGateways: [{name: north, namespace: gw-ns}]\n  tls:\n  - matchers: [{sniHosts: [a.example.com]}]\n" + fwd, []string{"MR2033"}, "only on http listeners"},
		{"delegated", "  http: [{directResponse: {status: 200}}]\n  tls:\n  - matchers: [{sniHosts: [a.example.com]}]\n" + fwd, []string{"MR2021"}, "the tls routes"},
		{"shadowed", "  hosts: ['*.example.com']\n  tls:\n  - matchers: [{sniHosts: ['*.example.com'], port: 443}]\n" + fwd + "  - matchers: [{sniHosts: [a.example.com], port: 443}]\n" + fwd, []string{"MR3016"}, "SNI host a.example.com by route 0"},
		{"other port", "  hosts: ['*.example.com']\n  tls:\n  - matchers: [{sniHosts: ['*.example.com'], port: 443}]\n" + fwd + "  - matchers: [{sniHosts: [a.example.com], port: 8443}]\n" + fwd, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := buildTable(t, tc.spec, tc.want, tc.message)
			if tc.want == nil && tc.name == "mesh" {
				rs := routeSet(t, m, "c1", "routetable-db-app")
				if len(rs.TLSRoutes) != 1 || len(rs.TLSRoutes[0].Matchers) != 2 || rs.TLSRoutes[0].Matchers[1].SNIHosts[0] != "b.example.com" || rs.TLSRoutes[0].Matchers[0].Port != 443 {
					t.Errorf("tls routes %+v", rs.TLSRoutes)
				}
			}
		})
	}
}

// buildTable builds the inventory plus one RouteTable app/db with spec, checks the codes it
// reports (sorted) and that the first message contains message, and returns the model.
func buildTable(t *testing.T, spec string, want []string, message string) *model.Model {
	t.Helper()
	m, ds := build(t, "apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata: {name: db, namespace: app}\nspec:\n"+spec)
	if got := codes(ds); !slices.Equal(got, want) {
		t.Fatalf("codes %v, want %v: %v", got, want, ds)
	}
	if len(ds) > 0 && !strings.Contains(ds[0].Message, message) {
		t.Errorf("message %q lacks %q", ds[0].Message, message)
	}
	return m
}
