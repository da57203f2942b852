package istio

import (
	networking "istio.io/api/networking/v1"

	"github.com/meshroute/meshroute/compiler/model"
)

// tcpRoutes emits a mesh set's tcp routes. Istio has no separate "which sidecars" condition, so
// as for http each route gets one match per (port × workload selector); a route with neither
// has no match, which takes every connection.
func tcpRoutes(rs *model.RouteSet, sources []model.SourceSelector) []*networking.TCPRoute {
	out := make([]*networking.TCPRoute, 0, len(rs.TCPRoutes))
	for _, r := range rs.TCPRoutes {
		tr := &networking.TCPRoute{}
		ports := r.Ports
		if len(ports) == 0 {
			ports = []uint32{0}
		}
		for _, p := range ports {
			if len(sources) == 0 && p == 0 {
				continue // no condition at all: no match entry, which takes every connection
			}
			perSource(sources, func(ns string, labels map[string]string) {
				tr.Match = append(tr.Match, &networking.L4MatchAttributes{Port: p, SourceNamespace: ns, SourceLabels: labels})
			})
		}
		tr.Route = routeDestinations(r.Forward.Destinations)
		out = append(out, tr)
	}
	return out
}

// tlsRoutes emits a mesh set's tls routes: one match per (matcher × workload selector), each
// with the matcher's sniHosts and port.
func tlsRoutes(rs *model.RouteSet, sources []model.SourceSelector) []*networking.TLSRoute {
	out := make([]*networking.TLSRoute, 0, len(rs.TLSRoutes))
	for _, r := range rs.TLSRoutes {
		tr := &networking.TLSRoute{}
		for _, m := range r.Matchers {
			perSource(sources, func(ns string, labels map[string]string) {
				tr.Match = append(tr.Match, &networking.TLSMatchAttributes{SniHosts: m.SNIHosts, Port: m.Port, SourceNamespace: ns, SourceLabels: labels})
			})
		}
		tr.Route = routeDestinations(r.Forward.Destinations)
		out = append(out, tr)
	}
	return out
}

// perSource calls add once per workload selector with its namespace and labels (nil when it has
// none), or once with neither when the set serves every sidecar.
func perSource(sources []model.SourceSelector, add func(namespace string, labels map[string]string)) {
	if len(sources) == 0 {
		add("", nil)
		return
	}
	for _, src := range sources {
		var labels map[string]string
		if len(src.Labels) > 0 {
			labels = src.Labels
		}
		add(src.Namespace, labels)
	}
}

// routeDestinations are the weighted destinations of a tcp or tls route, as for http.
func routeDestinations(ds []*model.Destination) []*networking.RouteDestination {
	var out []*networking.RouteDestination
	for _, d := range destinations(ds) {
		out = append(out, &networking.RouteDestination{Destination: d.Destination, Weight: d.Weight})
	}
	return out
}
