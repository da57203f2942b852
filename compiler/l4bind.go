package compiler

import (
	"slices"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// servesKind reports whether listener l serves a kind of route the table has: an http listener
// its http routes (hasHTTP: some survived flattening), a tcp listener its tcp routes, a TLS
// passthrough listener its tls routes. A table with no routes at all binds to http listeners
// as before: that it is empty is MR4006's finding.
func servesKind(l *model.Listener, rt *schema.RouteTable, hasHTTP bool) bool {
	switch l.Protocol {
	case model.ProtocolTCP:
		return len(rt.Spec.TCP) > 0
	case model.ProtocolTLS:
		return len(rt.Spec.TLS) > 0
	}
	return hasHTTP || len(rt.Spec.TCP)+len(rt.Spec.TLS) == 0
}

// listenerKind names what a listener serves, for messages: http, tcp or tls passthrough.
func listenerKind(l *model.Listener) string {
	switch l.Protocol {
	case model.ProtocolTCP:
		return "tcp"
	case model.ProtocolTLS:
		return "tls passthrough"
	}
	return "http"
}

// ofProtocol are the listeners of one protocol.
func ofProtocol(ls []*model.Listener, protocol string) []*model.Listener {
	var out []*model.Listener
	for _, l := range ls {
		if l.Protocol == protocol {
			out = append(out, l)
		}
	}
	return out
}

// httpListeners are the http (HTTP, HTTPS) listeners among ls: the only ones an http matcher
// port can name.
func httpListeners(ls []*model.Listener) []*model.Listener {
	var out []*model.Listener
	for _, l := range ls {
		if !l.IsL4() {
			out = append(out, l)
		}
	}
	return out
}

// targets are the pod ports of ls, in order without repeats.
func targets(ls []*model.Listener) []uint32 {
	var out []uint32
	for _, l := range ls {
		if !slices.Contains(out, l.Port) {
			out = append(out, l.Port)
		}
	}
	return out
}

// gatewayPorts maps a route's matcher ports (gateway Service ports) to the pod ports of the
// admitting listeners ls; no port means every one of them. A port no listener of ls has is
// reported (MR2010) at the matcher that wrote it.
func (b *builder) gatewayPorts(rt *schema.RouteTable, route string, ports []uint32, matcherPorts func(j int) uint32, n int, ls []*model.Listener) []uint32 {
	if len(ports) == 0 {
		return targets(ls)
	}
	var out []uint32
	for _, p := range ports {
		t, ok := listenerTarget(ls, p)
		if !ok {
			at := route
			for j := range n {
				if matcherPorts(j) == p {
					at = route + "/matchers/" + strconv.Itoa(j) + "/port"
					break
				}
			}
			svc := make([]string, 0, len(ls))
			for _, l := range ls {
				svc = append(svc, strconv.Itoa(int(l.ServicePort)))
			}
			b.report(on(&rt.Object, at, diag.MatcherPortNotOnListener(rt.FieldPos(at), p)).
				WithHint("a matcher port on a gateway table names the Service port of a listener of its kind that admits the table: %s", strings.Join(slices.Compact(svc), ", ")))
			continue
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// gatewayTCPRoutes are the table's tcp routes as the set's TCP listeners serve them: every
// route's ports listed as pod ports.
func (b *builder) gatewayTCPRoutes(ci *clusterInfo, rt *schema.RouteTable, listeners []*model.Listener) []*model.TCPRoute {
	ls := ofProtocol(listeners, model.ProtocolTCP)
	if len(ls) == 0 {
		return nil
	}
	var out []*model.TCPRoute
	for _, r := range b.tcpRoutes(ci, rt) {
		spec := rt.Spec.TCP[r.Hop.Index]
		at := "/spec/tcp/" + strconv.Itoa(r.Hop.Index)
		ports := b.gatewayPorts(rt, at, r.Ports, func(j int) uint32 { return spec.Matchers[j].Port }, len(spec.Matchers), ls)
		if len(ports) == 0 {
			continue
		}
		c := *r
		c.Ports = ports
		out = append(out, &c)
	}
	return out
}

// gatewayTLSRoutes are the table's tls routes as the set's TLS passthrough listeners serve them:
// one matcher per pod port, without the SNI names an earlier route already takes on that port
// (a filter chain per name: the later one would never be chosen) or that no listener on the port
// has among its hosts; a route left with no name is dropped.
func (b *builder) gatewayTLSRoutes(ci *clusterInfo, rt *schema.RouteTable, listeners []*model.Listener) []*model.TLSRoute {
	ls := ofProtocol(listeners, model.ProtocolTLS)
	if len(ls) == 0 {
		return nil
	}
	taken := map[uint32]map[string]bool{}
	var out []*model.TLSRoute
	for _, r := range b.tlsRoutes(ci, rt) {
		spec := rt.Spec.TLS[r.Hop.Index]
		at := "/spec/tls/" + strconv.Itoa(r.Hop.Index)
		c := *r
		c.Matchers = nil
		for _, m := range r.Matchers {
			var written []uint32
			if m.Port != 0 {
				written = []uint32{m.Port}
			}
			for _, p := range b.gatewayPorts(rt, at, written, func(j int) uint32 { return spec.Matchers[j].Port }, len(spec.Matchers), ls) {
				if taken[p] == nil {
					taken[p] = map[string]bool{}
				}
				var names []string
				for _, h := range m.SNIHosts {
					if !taken[p][h] && servesName(ls, p, h) {
						taken[p][h] = true
						names = append(names, h)
					}
				}
				if len(names) > 0 {
					c.Matchers = append(c.Matchers, model.TLSMatcher{SNIHosts: names, Port: p})
				}
			}
		}
		if len(c.Matchers) > 0 {
			out = append(out, &c)
		}
	}
	return out
}

// reportL4Unserved reports, for an ingress table no sidecar serves, tcp or tls routes no gateway
// listener served in any cluster while the table itself was served (MR2021); a table served
// nowhere at all is reported per reference by reportUnserved.
func (b *builder) reportL4Unserved(rt *schema.RouteTable, reach *ingressReach) {
	if !slices.Contains(reach.refBound, true) {
		return
	}
	if len(rt.Spec.TCP) > 0 && !reach.tcp {
		b.report(on(&rt.Object, "/spec/tcp", diag.TCPRoutesWithoutSidecars(rt.FieldPos("/spec/tcp"), rt.Namespace(), rt.Name())).
			WithHint("add a tcp listener (`tcp: {}`) that admits the table, or workloadSelectors (`[{}]` for every sidecar) to serve it in the mesh too"))
	}
	if len(rt.Spec.TLS) > 0 && !reach.tls {
		b.report(on(&rt.Object, "/spec/tls", diag.TLSRoutesOnGateways(rt.FieldPos("/spec/tls"), rt.Namespace(), rt.Name())).
			WithHint("add a tcp listener with `tls: {mode: PASSTHROUGH}` that admits the table, or workloadSelectors (`[{}]` for every sidecar) to serve it in the mesh too"))
	}
}

// mismatchDiag is MR2033 for reference r of rt: its VirtualGateway admitted the table only on
// listeners of kinds the table has no routes for (the first at pos).
func mismatchDiag(rt *schema.RouteTable, r gwRef, kinds []string, pos diag.Position) diag.Diagnostic {
	p := "/spec/virtualGateways/" + strconv.Itoa(r.index)
	routeKinds := make([]string, len(kinds))
	for i, k := range kinds {
		routeKinds[i] = strings.TrimSuffix(k, " passthrough")
	}
	return on(&rt.Object, p, diag.ListenerKindMismatch(rt.FieldPos(p), r.vg.Namespace(), r.vg.Name(), rt.Namespace(), rt.Name(), strings.Join(kinds, " and "), strings.Join(routeKinds, " or "))).
		WithRelated(pos, "the listener admitting it").
		WithHint("an http listener serves http routes, a tcp listener tcp routes, a tcp listener with TLS passthrough tls routes (a listener with neither `http` nor `tcp` is a tcp listener, as in Gloo); add routes of the listener's kind, or bind the table to a VirtualGateway with a listener of its kind")
}

// servesName reports whether a listener of ls on pod port accepts SNI name among its hosts.
func servesName(ls []*model.Listener, port uint32, name string) bool {
	return slices.ContainsFunc(ls, func(l *model.Listener) bool {
		return l.Port == port && slices.ContainsFunc(l.Hosts, func(h string) bool { return model.HostCovers(h, name) })
	})
}
