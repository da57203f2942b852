package envoy

import (
	"slices"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/compiler"
	"github.com/meshroute/meshroute/compiler/model"
)

// emitModified emits the fixture after f changes it, and requires the result to load.
func emitModified(t *testing.T, f func(gw *model.Gateway, rs *model.RouteSet)) Bootstrap {
	t.Helper()
	m := fixture()
	c := m.Clusters[0]
	f(c.Gateways[0], c.RouteSets[0])
	compiler.Resolve(m)
	b := Emit(m, Options{})["cluster-1"][0]
	if err := Validate(b.Config); err != nil {
		t.Fatalf("emitted bootstrap would not load: %v", err)
	}
	return b
}

// A TLS listener host with a partial wildcard label cannot be an Envoy server name: its chain is
// selected by the parent's wildcard, while its virtual host keeps the exact pattern.
func TestPartialWildcardTLSHost(t *testing.T) {
	b := emitModified(t, func(gw *model.Gateway, _ *model.RouteSet) {
		gw.Listeners[0].Hosts = []string{"*-shop.example.com"}
		gw.Listeners[2].Hosts = []string{"b.example.com", "*api"}
	})
	l := b.Config.GetStaticResources().GetListeners()[2] // port 8443
	fcs := l.GetFilterChains()
	if got := fcs[0].GetFilterChainMatch().GetServerNames(); !slices.Equal(got, []string{"*.example.com"}) {
		t.Errorf("server names of *-shop.example.com: %q, want [*.example.com]", got)
	}
	if got := fcs[1].GetFilterChainMatch().GetServerNames(); len(got) != 0 {
		t.Errorf("a single-label partial wildcard must match any name (no server names), got %q", got)
	}
	if got := routeConfigOf(t, fcs[0]).GetVirtualHosts()[0].GetDomains(); !slices.Equal(got, []string{"*-shop.example.com"}) {
		t.Errorf("virtual host domains %q, want the listener's own pattern", got)
	}
}

// Envoy refuses direct-response bodies over 4 KiB unless the route configuration says more.
func TestLargeDirectResponseBody(t *testing.T) {
	body := strings.Repeat("x", 10000)
	b := emitModified(t, func(_ *model.Gateway, rs *model.RouteSet) {
		rs.Routes[3].DirectResponse.Body = body
	})
	rc := routeConfigOf(t, b.Config.GetStaticResources().GetListeners()[0].GetFilterChains()[0])
	if got := rc.GetMaxDirectResponseBodySizeBytes().GetValue(); got != uint32(len(body)) {
		t.Errorf("max_direct_response_body_size_bytes = %d, want %d", got, len(body))
	}
	small := emitFixture(t, Options{})
	if rc := routeConfigOf(t, small.Config.GetStaticResources().GetListeners()[0].GetFilterChains()[0]); rc.GetMaxDirectResponseBodySizeBytes() != nil {
		t.Error("the limit is set although every body fits Envoy's default")
	}
}

// A path regex over RE2's default program size (100) loads, as in Istio, whose bootstrap raises
// the same runtime limit.
func TestLargeRegexLoads(t *testing.T) {
	b := emitModified(t, func(_ *model.Gateway, rs *model.RouteSet) {
		rs.Routes[1].Matchers[1].URI.Value = "/static/[a-zA-Z0-9._-]{0,200}/app.js"
	})
	if got := re2ProgramLimit(b.Config); got != re2ProgramSizeLimit {
		t.Errorf("runtime limit %d, want %d", got, re2ProgramSizeLimit)
	}
}
