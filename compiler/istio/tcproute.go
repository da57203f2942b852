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
			if len(sources) == 0 && p != 0 {
				tr.Match = append(tr.Match, &networking.L4MatchAttributes{Port: p})
			}
			for _, src := range sources {
				m := &networking.L4MatchAttributes{Port: p, SourceNamespace: src.Namespace}
				if len(src.Labels) > 0 {
					m.SourceLabels = src.Labels
				}
				tr.Match = append(tr.Match, m)
			}
		}
		for _, d := range destinations(r.Forward.Destinations) {
			tr.Route = append(tr.Route, &networking.RouteDestination{Destination: d.Destination, Weight: d.Weight})
		}
		out = append(out, tr)
	}
	return out
}
