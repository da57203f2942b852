package istio

import (
	"fmt"
	"slices"

	networking "istio.io/api/networking/v1"

	"github.com/meshroute/meshroute/eval"
)

// l4Route is a tcp or tls route of a VirtualService, with the matches Istio reads from it.
type l4Route struct {
	ports, sources []*networking.L4MatchAttributes // tcp
	tls            []*networking.TLSMatchAttributes
	route          []*networking.RouteDestination
}

// connection answers a TCP or TLS connection leaving a sidecar: the VirtualServices bound to the
// mesh whose most specific host matches the host dialled, then their tcp (or tls) routes in order;
// the first whose match takes the port, the source and (tls) the SNI wins. Connections no route
// takes go to the host itself, as Istio's default routing does.
func (e *Evaluator) connection(req eval.Request, b binding) eval.Result {
	host := req.HostName()
	var bound []object[*networking.VirtualService]
	var hosts [][]string
	for _, vs := range e.services {
		if e.binds(vs, b) && (len(vs.Spec.GetTcp()) > 0 || len(vs.Spec.GetTls()) > 0) {
			bound = append(bound, vs)
			hosts = append(hosts, e.qualify(vs.Spec.GetHosts(), vs.Namespace))
		}
	}
	var misses []eval.Miss
	if best := eval.BestHost(hosts, host); best >= 0 {
		winner := bestPattern(hosts[best], host)
		index := 0
		for i, vs := range bound {
			if !slices.Contains(hosts[i], winner) {
				continue
			}
			for _, r := range l4Routes(vs.Spec, req.Protocol) {
				m, why := r.match(req, b)
				if why == "" {
					res := e.forward(r.route)
					res.Config = fmt.Sprintf("VirtualService %s/%s", vs.Namespace, vs.Name)
					res.Namespace, res.Name, res.RouteIndex, res.MatchIndex, res.Misses = vs.Namespace, vs.Name, index, m, misses
					return res
				}
				misses = append(misses, eval.Miss{Route: fmt.Sprintf("%s[%d]", req.Protocol, index), Index: index, Reason: why})
				index++
			}
		}
	}
	if def, ok := e.defaultRoute(req); ok {
		def.Misses = misses
		return def
	}
	return eval.Result{Outcome: eval.NotFound, RouteIndex: -1, MatchIndex: -1, Misses: misses,
		Reason: fmt.Sprintf("no %s route of the mesh takes %s:%d and the mesh knows no host %s", req.Protocol, host, req.Port, host)}
}

// l4Routes are the VirtualService's routes for the protocol, in order.
func l4Routes(vs *networking.VirtualService, protocol string) []l4Route {
	var out []l4Route
	if protocol == eval.ProtocolTCP {
		for _, r := range vs.GetTcp() {
			out = append(out, l4Route{ports: r.GetMatch(), route: r.GetRoute()})
		}
		return out
	}
	for _, r := range vs.GetTls() {
		out = append(out, l4Route{tls: r.GetMatch(), route: r.GetRoute()})
	}
	return out
}

// match returns the index of the first match entry that takes the connection (-1: the route has
// none and takes every connection), or why none does.
func (r l4Route) match(req eval.Request, b binding) (int, string) {
	if len(r.ports) == 0 && len(r.tls) == 0 {
		if req.Protocol == eval.ProtocolTLS {
			return 0, "a tls route without matches takes nothing"
		}
		return -1, ""
	}
	why := ""
	for i, m := range r.ports {
		if w := proxyReason(&networking.HTTPMatchRequest{Port: m.GetPort(), SourceLabels: m.GetSourceLabels(), SourceNamespace: m.GetSourceNamespace()}, b); w != "" {
			why = w
			continue
		}
		return i, ""
	}
	for i, m := range r.tls {
		if w := proxyReason(&networking.HTTPMatchRequest{Port: m.GetPort(), SourceLabels: m.GetSourceLabels(), SourceNamespace: m.GetSourceNamespace()}, b); w != "" {
			why = w
			continue
		}
		if !slices.ContainsFunc(m.GetSniHosts(), func(p string) bool { ok, _, _ := eval.HostMatch(p, req.SNI); return ok }) {
			why = fmt.Sprintf("SNI %s is none of %v", req.SNI, m.GetSniHosts())
			continue
		}
		return i, ""
	}
	return 0, why
}

// forward is the outcome of a route that forwards (http, tcp or tls): its weighted destinations.
func (e *Evaluator) forward(route []*networking.RouteDestination) eval.Result {
	res := eval.Result{Outcome: eval.Forward}
	for _, d := range route {
		dest := d.GetDestination()
		res.Destinations = append(res.Destinations, eval.Destination{
			Host: dest.GetHost(), Port: dest.GetPort().GetNumber(), Subset: dest.GetSubset(),
			Weight: uint32(d.GetWeight()), Source: e.source(dest.GetHost()),
		})
	}
	if len(res.Destinations) == 1 && res.Destinations[0].Weight == 0 {
		res.Destinations[0].Weight = 100
	}
	eval.SortDestinations(res.Destinations)
	e.orderEndpoints(res.Destinations)
	return res
}
