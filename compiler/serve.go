package compiler

import (
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
)

// Resolve decides what every gateway listener of m serves: its virtual hosts (which route set
// owns each domain, with the routes that apply on the listener's port) and, for TLS, the server
// names that select it. Build calls it last, once route sets are sorted; a model built by hand
// (emitter tests) calls it before emitting. It replaces what it set before, so a changed model
// can be resolved again.
func Resolve(m *model.Model) {
	for _, c := range m.Clusters {
		for _, g := range c.Gateways {
			resolveGateway(g, boundSets(c, g))
		}
	}
}

// boundSets are the ingress route sets bound to g, in model order (namespace, then name): the
// order in which they claim domains.
func boundSets(c *model.Cluster, g *model.Gateway) []*model.RouteSet {
	var out []*model.RouteSet
	for _, rs := range c.RouteSets {
		if slices.ContainsFunc(rs.Gateways, func(o *model.Gateway) bool {
			return o == g || (o.Namespace == g.Namespace && o.Name == g.Name)
		}) {
			out = append(out, rs)
		}
	}
	return out
}

// resolveGateway resolves g's listeners port by port. On one pod port, the plain-HTTP listeners
// share one domain space (a gateway merges them into one route table), while each TLS listener,
// selected by SNI, has its own.
func resolveGateway(g *model.Gateway, sets []*model.RouteSet) {
	plain := map[uint32]map[string]bool{}
	sni := map[uint32]map[string]bool{}
	for _, l := range g.Listeners {
		l.VirtualHosts, l.ServerNames, l.Shadowed = nil, nil, false
		if l.TLS == nil {
			if plain[l.Port] == nil {
				plain[l.Port] = map[string]bool{}
			}
			l.VirtualHosts = virtualHosts(l, sets, plain[l.Port])
			continue
		}
		if sni[l.Port] == nil {
			sni[l.Port] = map[string]bool{}
		}
		names, ok := serverNames(l.Hosts, sni[l.Port])
		if !ok {
			// Every name already selects an earlier listener on the port, and one server name
			// cannot select two TLS chains: the earlier listener keeps them all.
			l.Shadowed = true
			continue
		}
		l.ServerNames = names
		l.VirtualHosts = virtualHosts(l, sets, map[string]bool{})
	}
}

// virtualHosts are the domains l serves, each owned by the first claim in claimed's domain space:
// an httpsRedirect listener claims its own hosts; otherwise every route set served on l claims the
// table hosts bound to the listener hosts (model.BindHost, as Istio binds a VirtualService to a
// Gateway server), first listener and then first set winning — validation reports the clash
// (MR3004). A set with no route on the port claims nothing, leaving the domain to the next.
func virtualHosts(l *model.Listener, sets []*model.RouteSet, claimed map[string]bool) []*model.VirtualHost {
	var out []*model.VirtualHost
	if l.HTTPSRedirect {
		for _, h := range l.Hosts {
			if k := strings.ToLower(h); !claimed[k] {
				claimed[k] = true
				out = append(out, &model.VirtualHost{Domain: h})
			}
		}
		return out
	}
	for _, rs := range sets {
		if !slices.Contains(rs.Listeners, l) {
			continue // a set must not leak onto a listener that does not admit it
		}
		routes := routesOn(rs.Routes, l.Port)
		if len(routes) == 0 {
			continue
		}
		for _, th := range rs.Hosts {
			for _, lh := range l.Hosts {
				if d, ok := model.BindHost(lh, th); ok && !claimed[d] {
					claimed[d] = true
					out = append(out, &model.VirtualHost{Domain: d, Set: rs.Name, Routes: routes})
				}
			}
		}
	}
	return out
}

// routesOn are the routes as they apply on pod port: a matcher naming another listener's port
// does not apply here, and a route whose every matcher names other ports is left out.
func routesOn(routes []*model.Route, port uint32) []*model.Route {
	var out []*model.Route
	for _, r := range routes {
		var ms []*model.Matcher
		for _, m := range r.Matchers {
			if m.Port == 0 || m.Port == port {
				ms = append(ms, m)
			}
		}
		switch {
		case len(ms) == len(r.Matchers):
			out = append(out, r)
		case len(ms) > 0:
			c := *r
			c.Matchers = ms
			out = append(out, &c)
		}
	}
	return out
}

// serverNames is the SNI list of a TLS listener serving hosts: none for "*" (any name), else
// every name not claimed by an earlier listener on the port. ok is false when nothing is left.
func serverNames(hosts []string, claimed map[string]bool) (names []string, ok bool) {
	sni := make([]string, len(hosts))
	for i, h := range hosts {
		sni[i] = model.SNIName(h)
	}
	if slices.Contains(sni, "*") {
		if claimed["*"] {
			return nil, false
		}
		claimed["*"] = true
		return nil, true
	}
	for _, h := range sni {
		k := strings.ToLower(h)
		if !claimed[k] {
			claimed[k] = true
			names = append(names, h)
		}
	}
	return names, len(names) > 0
}
