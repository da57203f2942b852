package compiler

import (
	"cmp"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
)

// Resolve decides what every gateway listener of m serves: its virtual hosts (the route sets
// served on each domain, with the routes that apply on the listener's port) and, for TLS, the
// server names that select it. It records every clash it settles on the way in
// Cluster.Conflicts (Hosts, ServerNames, and MeshHosts: mesh tables on overlapping hosts), for
// the validator to report. Build calls it last, once
// route sets are sorted; a model built by hand (emitter tests) calls it before emitting. It
// replaces what it set before, so a changed model can be resolved again.
func Resolve(m *model.Model) {
	for _, c := range m.Clusters {
		c.Conflicts.Hosts, c.Conflicts.ServerNames, c.Conflicts.MeshHosts, c.Conflicts.L4 = nil, nil, nil, nil
		for _, gws := range workloads(c.Gateways) {
			r := &resolver{cluster: c, plain: map[uint32]space{}, sni: map[uint32]map[string]sniOwner{}, recorded: map[conflictKey]bool{},
				l4: map[l4Key]*l4Owner{}}
			for _, g := range gws {
				r.gateway(g, boundSets(c, g))
			}
		}
	}
	resolveMeshHosts(m)
}

// workloads groups gateways by gateway Service, each group in VirtualGateway namespace/name
// order: Istio merges every Gateway of one workload, so they share ports, domains and names.
func workloads(gws []*model.Gateway) [][]*model.Gateway {
	type svc struct{ ns, name string }
	var order []svc
	by := map[svc][]*model.Gateway{}
	for _, g := range gws {
		k := svc{g.Namespace, g.Service}
		if by[k] == nil {
			order = append(order, k)
		}
		by[k] = append(by[k], g)
	}
	out := make([][]*model.Gateway, 0, len(order))
	for _, k := range order {
		group := by[k]
		slices.SortStableFunc(group, func(a, b *model.Gateway) int {
			return cmp.Or(cmp.Compare(a.Origin.Namespace, b.Origin.Namespace), cmp.Compare(a.Origin.Name, b.Origin.Name))
		})
		out = append(out, group)
	}
	return out
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

// resolver resolves the gateways of one gateway Service.
type resolver struct {
	cluster *model.Cluster
	// plain is the domain space of each pod port's plain-HTTP listeners, over every Gateway of
	// the workload; sni the TLS server names taken on each port.
	plain    map[uint32]space
	sni      map[uint32]map[string]sniOwner
	recorded map[conflictKey]bool
	// l4 are the TCP ports and TLS server names taken by a route set's tcp or tls route.
	l4 map[l4Key]*l4Owner
}

// space maps a domain to its claims, in claim order.
type space map[string][]*claim

// claim is a domain claimed on a listener of g: by route set set, or by an httpsRedirect
// listener (set nil). vh is where g serves the domain.
type claim struct {
	g      *model.Gateway
	set    *model.RouteSet
	host   int // in set.Hosts
	routes []*model.Route
	vh     *model.VirtualHost
}

// conflictKey identifies one host conflict, so sets meeting again on another listener of the
// space (or on another Gateway of the workload) are recorded once.
type conflictKey struct {
	port   uint32
	tls    *model.Listener // nil for the plain-HTTP space of port
	domain string
	a, b   string // the two sets' namespace/name, sorted
}

// gateway resolves g's listeners. On one pod port, the plain-HTTP listeners share one domain
// space (a gateway merges them into one route table), while each TLS listener, selected by SNI,
// has its own.
func (r *resolver) gateway(g *model.Gateway, sets []*model.RouteSet) {
	for _, l := range g.Listeners {
		l.VirtualHosts, l.ServerNames, l.Shadowed, l.L4 = nil, nil, false, nil
		if l.Protocol == model.ProtocolTCP {
			r.tcp(g, l, sets)
			continue
		}
		if l.TLS == nil {
			if r.plain[l.Port] == nil {
				r.plain[l.Port] = space{}
			}
			r.serve(g, l, sets, r.plain[l.Port])
			continue
		}
		names, ok := r.serverNames(g, l)
		if !ok {
			// Every name already selects an earlier listener on the port, and one server name
			// cannot select two TLS chains: the earlier listener keeps them all.
			l.Shadowed = true
			continue
		}
		l.ServerNames = names
		if l.Protocol == model.ProtocolTLS {
			r.passthrough(g, l, sets)
			continue
		}
		r.serve(g, l, sets, space{})
	}
}

// serve claims the domains l serves in sp: an httpsRedirect listener claims its own hosts;
// otherwise every route set served on l claims the table hosts bound to the listener hosts
// (model.BindHost, as Istio binds a VirtualService to a Gateway server). A set with no route on
// the port claims nothing.
func (r *resolver) serve(g *model.Gateway, l *model.Listener, sets []*model.RouteSet, sp space) {
	if l.HTTPSRedirect {
		for _, h := range l.Hosts {
			if d := strings.ToLower(h); ownClaim(sp[d], g) == nil {
				vh := &model.VirtualHost{Domain: h}
				l.VirtualHosts = append(l.VirtualHosts, vh)
				sp[d] = append(sp[d], &claim{g: g, vh: vh})
			}
		}
		return
	}
	for _, rs := range sets {
		if !slices.Contains(rs.Listeners, l) {
			continue // a set must not leak onto a listener that does not admit it
		}
		routes := routesOn(rs.Routes, l.Port)
		if len(routes) == 0 {
			continue
		}
		for i, th := range rs.Hosts {
			for _, lh := range l.Hosts {
				if d, ok := model.BindHost(lh, th); ok {
					r.claim(sp, &claim{g: g, set: rs, host: i, routes: routes}, l, d)
				}
			}
		}
	}
}

// claim adds c's claim on domain d. The first claim of g on d makes its virtual host (on
// listener l); a later set served there adds its routes after the earlier sets' — as Istio
// merges same-host VirtualServices on one port — and each set it meets there, on any Gateway
// of the workload, is a conflict for the validator. A domain an httpsRedirect listener of g
// answers takes no routes.
func (r *resolver) claim(sp space, c *claim, l *model.Listener, d string) {
	own := ownClaim(sp[d], c.g)
	if own != nil && own.set == nil {
		return
	}
	for _, o := range sp[d] {
		if o.g == c.g && o.set == c.set {
			return // served here already, through another listener or host
		}
	}
	for _, o := range sp[d] {
		if o.set != nil && o.set != c.set {
			r.record(l, d, o, c)
		}
	}
	if own != nil {
		own.vh.Sets = append(own.vh.Sets, c.set.Name)
		own.vh.Routes = slices.Concat(own.vh.Routes, c.routes)
		c.vh = own.vh
	} else {
		c.vh = &model.VirtualHost{Domain: d, Sets: []string{c.set.Name}, Routes: c.routes}
		l.VirtualHosts = append(l.VirtualHosts, c.vh)
	}
	sp[d] = append(sp[d], c)
}

// ownClaim is g's first claim among cs: the one holding g's virtual host for the domain.
func ownClaim(cs []*claim, g *model.Gateway) *claim {
	for _, c := range cs {
		if c.g == g {
			return c
		}
	}
	return nil
}

// record notes that later's set claims domain d where first's set already does.
func (r *resolver) record(l *model.Listener, d string, first, later *claim) {
	a := first.set.Origin.Namespace + "/" + first.set.Origin.Name
	b := later.set.Origin.Namespace + "/" + later.set.Origin.Name
	k := conflictKey{port: l.Port, domain: d, a: min(a, b), b: max(a, b)}
	if l.TLS != nil {
		k.tls = l
	}
	if r.recorded[k] {
		return
	}
	r.recorded[k] = true
	r.cluster.Conflicts.Hosts = append(r.cluster.Conflicts.Hosts, &model.HostConflict{
		Gateway:  later.g,
		Listener: l,
		Domain:   d,
		First:    first.hostClaim(),
		Later:    later.hostClaim(),
	})
}

func (c *claim) hostClaim() model.HostClaim {
	hc := model.HostClaim{Set: c.set, Host: c.set.Hosts[c.host], Routes: c.routes}
	if c.host < len(c.set.HostFields) {
		hc.Field = c.set.HostFields[c.host]
	}
	return hc
}

// routesOn are the routes as they apply on pod port: a matcher naming another listener's port
// does not apply here, and a route whose every matcher names other ports is left out. When every
// matcher applies, the set's own list is returned (virtual hosts never change it).
func routesOn(routes []*model.Route, port uint32) []*model.Route {
	otherPort := func(m *model.Matcher) bool { return m.Port != 0 && m.Port != port }
	if !slices.ContainsFunc(routes, func(r *model.Route) bool { return slices.ContainsFunc(r.Matchers, otherPort) }) {
		return slices.Clip(routes)
	}
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
