package compiler

import (
	"slices"

	"github.com/meshroute/meshroute/compiler/model"
)

// l4Key is a TCP port (name empty) or a TLS server name on a port of one gateway Service.
type l4Key struct {
	port uint32
	name string
}

// l4Owner is the route set and route that took an l4Key first, and the sets whose claims it
// already recorded as conflicts.
type l4Owner struct {
	set   *model.RouteSet
	route model.Hop
	lost  []*model.RouteSet
}

// tcp resolves TCP listener l of g: connections on its port match on the port alone, so the
// first set (in model order) with a tcp route on the port owns it, over every Gateway of the
// workload, and its first such route is the one chain; a later set claiming the port is a
// conflict.
func (r *resolver) tcp(g *model.Gateway, l *model.Listener, sets []*model.RouteSet) {
	for _, rs := range sets {
		if !slices.Contains(rs.Listeners, l) {
			continue
		}
		i := slices.IndexFunc(rs.TCPRoutes, func(t *model.TCPRoute) bool { return slices.Contains(t.Ports, l.Port) })
		if i < 0 {
			continue
		}
		route := rs.TCPRoutes[i]
		if r.take(g, l, l4Key{port: l.Port}, rs, route.Hop) {
			l.L4 = append(l.L4, &model.L4Chain{Set: rs.Name, Route: route.Hop, Forward: route.Forward})
		}
	}
}

// passthrough resolves TLS passthrough listener l of g: every tls route of a set served on l
// takes, on l's port, the SNI names of its matchers that l's server names cover and no earlier
// route took, over every Gateway of the workload; a name another set took first is a conflict.
func (r *resolver) passthrough(g *model.Gateway, l *model.Listener, sets []*model.RouteSet) {
	for _, rs := range sets {
		if !slices.Contains(rs.Listeners, l) {
			continue
		}
		for _, route := range rs.TLSRoutes {
			var names []string
			for _, m := range route.Matchers {
				if m.Port != l.Port {
					continue
				}
				for _, h := range m.SNIHosts {
					if l.ServerNames != nil && !slices.ContainsFunc(l.ServerNames, func(n string) bool { return model.HostCovers(n, h) }) {
						continue
					}
					if !slices.Contains(names, h) && r.take(g, l, l4Key{port: l.Port, name: h}, rs, route.Hop) {
						names = append(names, h)
					}
				}
			}
			if len(names) > 0 {
				l.L4 = append(l.L4, &model.L4Chain{ServerNames: names, Set: rs.Name, Route: route.Hop, Forward: route.Forward})
			}
		}
	}
}

// take claims k for route of set rs; false when it is already taken. A claim by another set is
// recorded once per pair of sets as a conflict.
func (r *resolver) take(g *model.Gateway, l *model.Listener, k l4Key, rs *model.RouteSet, route model.Hop) bool {
	o := r.l4[k]
	if o == nil {
		r.l4[k] = &l4Owner{set: rs, route: route}
		return true
	}
	if o.set.Origin != rs.Origin && !slices.Contains(o.lost, rs) {
		o.lost = append(o.lost, rs)
		r.cluster.Conflicts.L4 = append(r.cluster.Conflicts.L4, &model.L4Conflict{
			Gateway: g, Listener: l, ServerName: k.name,
			First: model.L4Claim{Set: o.set, Route: o.route},
			Later: model.L4Claim{Set: rs, Route: route},
		})
	}
	return false
}
