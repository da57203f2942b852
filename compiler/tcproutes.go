package compiler

import (
	"slices"
	"strconv"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// checkTCPRoutes reports, once per table, tcp routes on a delegated table (delegation carries
// http routes only), rewrites they cannot apply, and routes an earlier one shadows; it plans
// every tcp forwardTo so its destinations and weights are checked even where the table is served
// nowhere. Whether a sidecar or gateway listener serves them is known after binding
// (reportL4Unserved).
func (b *builder) checkTCPRoutes(rt *schema.RouteTable) {
	if len(rt.Spec.TCP) == 0 || !b.l4Root(rt, "tcp") {
		return
	}
	for i := range rt.Spec.TCP {
		b.planTCP(rt, i)
	}
	b.checkTCPShadowing(rt)
}

// l4Root reports the table's tcp or tls routes (list) on a delegated table, where nothing
// serves them (false: nothing more to check).
func (b *builder) l4Root(rt *schema.RouteTable, list string) bool {
	if rt.IsRoot() {
		return true
	}
	at := "/spec/" + list
	b.report(on(&rt.Object, at, diag.L4RoutesDelegated(rt.FieldPos(at), list, rt.Namespace(), rt.Name())).
		WithHint("move the %s routes to a root table (one with hosts)", list))
	return false
}

// planTCP checks the forwardTo of tcp route i once: as for http, plus the rewrites a connection
// cannot take.
func (b *builder) planTCP(rt *schema.RouteTable, i int) *forwardPlan {
	k := leafKey{t: rt, i: i, list: "tcp"}
	if p, ok := b.forwards[k]; ok {
		return p
	}
	rp := "/spec/tcp/" + strconv.Itoa(i) + "/forwardTo"
	fw := rt.Spec.TCP[i].ForwardTo
	if fw == nil {
		fw = &schema.ForwardToAction{} // the schema reported the missing action
	}
	p := b.planForward(rt, rp, fw)
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"pathRewrite", fw.PathRewrite != nil},
		{"regexRewrite", fw.RegexRewrite != nil},
		{"hostRewrite", fw.HostRewrite != ""},
		{"autoHostRewrite", fw.AutoHostRewrite},
	} {
		if f.set {
			at := rp + "/" + f.name
			b.report(on(&rt.Object, at, diag.TCPRouteRewrite(rt.FieldPos(at), f.name)))
			p.ok = false
		}
	}
	b.forwards[k] = p
	return p
}

// tcpPorts are a tcp route's matcher ports, in written order without repeats; nil when a
// matcher has no port (every connection).
func tcpPorts(r *schema.TCPRoute) []uint32 {
	var ports []uint32
	for _, m := range r.Matchers {
		if m.Port == 0 {
			return nil
		}
		if !slices.Contains(ports, m.Port) {
			ports = append(ports, m.Port)
		}
	}
	return ports
}

// checkTCPShadowing warns about a tcp route whose every port an earlier route already takes
// (MR3016): connections match on the port alone, first match wins.
func (b *builder) checkTCPShadowing(rt *schema.RouteTable) {
	taken := map[uint32]int{} // port → the first route taking it
	all := -1                 // the first route taking every port
	for i := range rt.Spec.TCP {
		ports := tcpPorts(&rt.Spec.TCP[i])
		earlier, what := -1, ""
		switch {
		case all >= 0:
			earlier, what = all, "every connection"
		case len(ports) > 0:
			earlier, what = coveredBy(ports, taken)
		}
		if earlier >= 0 {
			at := "/spec/tcp/" + strconv.Itoa(i)
			b.report(on(&rt.Object, at, diag.TCPRouteShadowed(rt.FieldPos(at), i, earlier, what)).
				WithRelated(rt.FieldPos("/spec/tcp/"+strconv.Itoa(earlier)), "the earlier route"))
			continue
		}
		if ports == nil {
			all = i
		}
		for _, p := range ports {
			if _, ok := taken[p]; !ok {
				taken[p] = i
			}
		}
	}
}

// coveredBy returns the last of the earlier routes that together take every one of ports, and
// what they take; -1 when a port is still free.
func coveredBy(ports []uint32, taken map[uint32]int) (int, string) {
	last := -1
	for _, p := range ports {
		i, ok := taken[p]
		if !ok {
			return -1, ""
		}
		last = max(last, i)
	}
	what := "port " + strconv.Itoa(int(ports[0]))
	if len(ports) > 1 {
		what = "each of its ports"
	}
	return last, what
}

// tcpRoutes compiles the table's tcp routes as seen from ci, in written order; a route whose
// action cannot be compiled there is left out (the reason was reported).
func (b *builder) tcpRoutes(ci *clusterInfo, rt *schema.RouteTable) []*model.TCPRoute {
	var out []*model.TCPRoute
	for i := range rt.Spec.TCP {
		p := b.planTCP(rt, i)
		if !p.ok {
			continue
		}
		at := "/spec/tcp/" + strconv.Itoa(i)
		r := &model.TCPRoute{
			Hop:   model.Hop{Table: origin(&rt.Object), RouteName: naming.TCPRoute(i), Index: i, Pos: rt.FieldPos(at)},
			Ports: tcpPorts(&rt.Spec.TCP[i]),
		}
		if fw, ok := b.l4Forward(ci, rt, p); ok {
			r.Forward = fw
			out = append(out, r)
		}
	}
	return out
}

// l4Forward resolves a planned forwardTo's destinations as seen from ci, with their weights;
// false when one cannot be resolved there (reported).
func (b *builder) l4Forward(ci *clusterInfo, rt *schema.RouteTable, p *forwardPlan) (*model.Forward, bool) {
	dests := make([]model.Destination, 0, len(p.refs))
	for j, ref := range p.refs {
		d, ok := b.resolveDestination(ci, &rt.Object, &rt.Object, p.paths[j], ref) // tcp and tls tables do not delegate: rt is the root
		if !ok {
			return nil, false
		}
		d.Weight = p.weights[j]
		dests = append(dests, d)
	}
	return ci.shared.forward(&model.Forward{}, dests), true
}
