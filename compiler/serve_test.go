package compiler

import (
	"slices"
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
)

// A matcher naming another listener's port does not apply on this one; a route left without
// matchers is not served there at all (it must not become a catch-all).
func TestRoutesOn(t *testing.T) {
	every := &model.Route{Name: "any"}
	mixed := &model.Route{Name: "mixed", Matchers: []*model.Matcher{{Port: 8443}, {Port: 8080}}}
	other := &model.Route{Name: "other", Matchers: []*model.Matcher{{Port: 8443}}}
	got := routesOn([]*model.Route{every, mixed, other}, 8080)
	if len(got) != 2 || got[0] != every || got[1].Name != "mixed" || len(got[1].Matchers) != 1 || got[1].Matchers[0].Port != 8080 {
		t.Fatalf("routesOn = %+v", got)
	}
	if len(mixed.Matchers) != 2 {
		t.Error("routesOn changed the set's own route")
	}
}

// The first TLS listener on a port keeps a server name; one left with none is shadowed.
func TestServerNames(t *testing.T) {
	claimed := map[string]bool{}
	if n, ok := serverNames([]string{"a.x.com", "*-shop.x.com"}, claimed); !ok || !slices.Equal(n, []string{"a.x.com", "*.x.com"}) {
		t.Errorf("first: %q %v", n, ok)
	}
	if n, ok := serverNames([]string{"A.x.com"}, claimed); ok {
		t.Errorf("a claimed name must shadow the listener, got %q", n)
	}
	if n, ok := serverNames([]string{"*api"}, claimed); !ok || n != nil {
		t.Errorf("a one-label partial wildcard selects any name: %q %v", n, ok)
	}
}
