package compiler

import (
	"slices"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
)

// edge is a VirtualGateway with one listener on the inventory gateway's port 443 (pod port 8443).
func edge(listener string) string {
	return "apiVersion: networking.gloo.solo.io/v2\nkind: VirtualGateway\nmetadata: {name: edge, namespace: gw-ns}\nspec:\n  listeners: [" + listener + "]\n"
}

// l4Table is RouteTable app/<name> on edge with the given hosts and tcp or tls routes.
func l4Table(name, hosts, routes string) string {
	return "apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata: {name: " + name + ", namespace: app}\nspec:\n  hosts: [" + hosts +
		"]\n  virtualGateways: [{name: edge, namespace: gw-ns}]\n" + routes
}

const toReviews = "forwardTo: {destinations: [{ref: {name: reviews, namespace: app}, port: {number: 9080}}]}"

func edgeListener(t *testing.T, m *model.Model) *model.Listener {
	t.Helper()
	for _, g := range m.Cluster("c1").Gateways {
		if g.Origin.Name == "edge" && len(g.Listeners) == 1 {
			return g.Listeners[0]
		}
	}
	t.Fatal("no edge gateway with one listener in c1")
	return nil
}

func TestGatewayTCP(t *testing.T) {
	m, ds := build(t, edge("{port: {number: 443}, tcp: {}}"),
		l4Table("db", "db.example.com", "  tcp:\n  - "+toReviews+"\n  - matchers: [{port: 443}]\n    "+toReviews+"\n"))
	if got := codes(ds); !slices.Equal(got, []string{"MR3016"}) { // route 1 is shadowed by the catch-all
		t.Fatalf("codes %v: %v", got, ds)
	}
	rs := routeSet(t, m, "c1", "routetable-db-app")
	if len(rs.TCPRoutes) != 2 || !slices.Equal(rs.TCPRoutes[0].Ports, []uint32{8443}) || !slices.Equal(rs.TCPRoutes[1].Ports, []uint32{8443}) {
		t.Errorf("gateway tcp routes are not on the pod port: %+v", rs.TCPRoutes)
	}
	l := edgeListener(t, m)
	if l.Protocol != model.ProtocolTCP || len(l.L4) != 1 || l.L4[0].Route.Index != 0 || l.L4[0].ServerNames != nil {
		t.Errorf("listener %+v serves %+v, want the first route", l, l.L4)
	}
}

func TestGatewayTCPDiagnostics(t *testing.T) {
	for _, tc := range []struct {
		name     string
		docs     []string
		want     string
		contains string
	}{
		{"matcher port on no listener", []string{edge("{port: {number: 443}, tcp: {}}"),
			l4Table("db", "db.example.com", "  tcp:\n  - matchers: [{port: 5432}]\n    "+toReviews+"\n")}, "MR2010", "names the Service port"},
		{"port claimed by two tables", []string{edge("{port: {number: 443}, tcp: {}}"),
			l4Table("a", "a.example.com", "  tcp:\n  - "+toReviews+"\n"), l4Table("b", "b.example.com", "  tcp:\n  - "+toReviews+"\n")}, "", ""},
		{"http table on a tcp listener", []string{edge("{port: {number: 443}, tcp: {}}"),
			l4Table("web", "web.example.com", "  http:\n  - "+toReviews+"\n")}, "MR2033", "bind the table"},
		{"auto passthrough", []string{edge("{port: {number: 443}, tcp: {}, tls: {mode: AUTO_PASSTHROUGH}}")}, "MR1006", "east-west gateway"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, ds := build(t, tc.docs...)
			if tc.want == "" {
				if c := m.Cluster("c1").Conflicts.L4; len(c) != 1 || c[0].First.Set.Origin.Name != "a" || c[0].Later.Set.Origin.Name != "b" {
					t.Errorf("conflicts %+v, want b losing port 443 to a", c)
				}
				return
			}
			found := false
			for _, d := range ds {
				if d.Code == tc.want {
					found = true
					if !strings.Contains(d.Hint, tc.contains) {
						t.Errorf("hint %q lacks %q", d.Hint, tc.contains)
					}
				}
			}
			if !found {
				t.Errorf("no %s in %v", tc.want, ds)
			}
		})
	}
}

func TestGatewayTLSPassthrough(t *testing.T) {
	m, ds := build(t, edge("{port: {number: 443}, tcp: {}, tls: {}, allowedRouteTables: [{host: '*.example.com'}]}"),
		l4Table("tls", "'*.example.com'", "  tls:\n  - matchers: [{sniHosts: [a.example.com]}]\n    "+toReviews+
			"\n  - matchers: [{sniHosts: ['*.example.com', a.example.com], port: 443}]\n    "+toReviews+"\n"))
	noErrors(t, ds)
	l := edgeListener(t, m)
	if l.Protocol != model.ProtocolTLS || l.TLS == nil || l.TLS.Mode != "PASSTHROUGH" {
		t.Fatalf("listener %+v is no TLS passthrough (mode left out = PASSTHROUGH)", l)
	}
	rs := routeSet(t, m, "c1", "routetable-tls-app")
	if got := rs.TLSRoutes[1].Matchers; len(got) != 1 || !slices.Equal(got[0].SNIHosts, []string{"*.example.com"}) || got[0].Port != 8443 {
		t.Errorf("route 1 keeps %+v, want only *.example.com on 8443 (a.example.com is route 0's)", got)
	}
	if len(l.L4) != 2 || !slices.Equal(l.L4[0].ServerNames, []string{"a.example.com"}) || !slices.Equal(l.L4[1].ServerNames, []string{"*.example.com"}) {
		t.Errorf("chains %+v", l.L4)
	}
}

func TestGatewayTLSNameOutsideListener(t *testing.T) {
	m, ds := build(t, edge("{port: {number: 443}, tcp: {}, tls: {}, allowedRouteTables: [{host: '*.data.example.com'}]}"),
		l4Table("tls", "'*.example.com'", "  tls:\n  - matchers: [{sniHosts: [a.example.com, b.data.example.com]}]\n    "+toReviews+"\n"))
	noErrors(t, ds)
	rs := routeSet(t, m, "c1", "routetable-tls-app")
	if got := rs.TLSRoutes[0].Matchers; len(got) != 1 || !slices.Equal(got[0].SNIHosts, []string{"b.data.example.com"}) {
		t.Errorf("matchers %+v, want only b.data.example.com: the listener does not serve a.example.com", got)
	}
}
