package compiler

import (
	"slices"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// checkTLSRoutes reports, once per table, tls routes on a delegated table and matchers without
// SNI or with SNI outside the table's hosts; it plans every tls forwardTo so destinations and
// weights are checked everywhere.
func (b *builder) checkTLSRoutes(rt *schema.RouteTable) {
	if len(rt.Spec.TLS) == 0 || !b.l4Root(rt, "tls") {
		return
	}
	for i := range rt.Spec.TLS {
		b.planTLS(rt, i)
	}
	b.checkTLSShadowing(rt)
}

// checkTLSShadowing warns about a tls route each of whose (SNI host, port) pairs an earlier
// route's matcher already takes (MR3016): the same or a covering host, on any port or the same.
func (b *builder) checkTLSShadowing(rt *schema.RouteTable) {
	type taken struct {
		sni   string
		port  uint32
		route int
	}
	var earlier []taken
	for i, r := range rt.Spec.TLS {
		shadowed, by, byRoute := len(r.Matchers) > 0, "", -1
		for _, m := range r.Matchers {
			for _, sni := range m.SNIHosts {
				sni = strings.ToLower(sni)
				k := slices.IndexFunc(earlier, func(e taken) bool {
					return model.HostCovers(e.sni, sni) && (e.port == 0 || e.port == m.Port)
				})
				if k < 0 {
					shadowed = false
				} else if by == "" {
					by, byRoute = sni, earlier[k].route
				}
			}
			shadowed = shadowed && len(m.SNIHosts) > 0
		}
		if shadowed {
			at := "/spec/tls/" + strconv.Itoa(i)
			b.report(on(&rt.Object, at, diag.TLSRouteShadowed(rt.FieldPos(at), i, by, byRoute)).
				WithRelated(rt.FieldPos("/spec/tls/"+strconv.Itoa(byRoute)), "the earlier route"))
			continue
		}
		for _, m := range r.Matchers {
			for _, sni := range m.SNIHosts {
				earlier = append(earlier, taken{strings.ToLower(sni), m.Port, i})
			}
		}
	}
}

// planTLS checks tls route i once: its SNI matchers against the table's hosts, then its
// forwardTo as for http.
func (b *builder) planTLS(rt *schema.RouteTable, i int) *forwardPlan {
	k := leafKey{t: rt, i: i, list: "tls"}
	if p, ok := b.forwards[k]; ok {
		return p
	}
	r := &rt.Spec.TLS[i]
	rp := "/spec/tls/" + strconv.Itoa(i)
	fw := &schema.ForwardToAction{}
	if r.ForwardTo != nil {
		fw.Destinations = r.ForwardTo.Destinations
	}
	p := b.planForward(rt, rp+"/forwardTo", fw)
	hosts := tableHosts(rt)
	if len(r.Matchers) == 0 {
		b.report(on(&rt.Object, rp, diag.TLSRouteSNI(rt.FieldPos(rp), i)).
			WithHint("add matchers: [{sniHosts: [%s]}]", strings.Join(hosts, ", ")))
		p.ok = false
	}
	for j, m := range r.Matchers {
		mp := rp + "/matchers/" + strconv.Itoa(j)
		if len(m.SNIHosts) == 0 {
			b.report(on(&rt.Object, mp, diag.TLSRouteSNI(rt.FieldPos(mp), i)).
				WithHint("add sniHosts, for example [%s]", strings.Join(hosts, ", ")))
			p.ok = false
		}
		for k, sni := range m.SNIHosts {
			if !slices.ContainsFunc(hosts, func(h string) bool { return model.HostCovers(h, strings.ToLower(sni)) }) {
				at := mp + "/sniHosts/" + strconv.Itoa(k)
				b.report(on(&rt.Object, at, diag.TLSRouteSNIOutsideHosts(rt.ValuePos(at), sni, strings.Join(hosts, ", "))).
					WithHint("add %s to the table's hosts, or route it from the table that has it", sni))
				p.ok = false
			}
		}
	}
	b.forwards[k] = p
	return p
}

// tlsRoutes compiles the table's tls routes as seen from ci, in written order; a route whose
// action cannot be compiled there is left out (the reason was reported).
func (b *builder) tlsRoutes(ci *clusterInfo, rt *schema.RouteTable) []*model.TLSRoute {
	var out []*model.TLSRoute
	for i := range rt.Spec.TLS {
		p := b.planTLS(rt, i)
		if !p.ok {
			continue
		}
		r := &model.TLSRoute{
			Hop: model.Hop{Table: origin(&rt.Object), RouteName: naming.TLSRoute(i), Index: i, Pos: rt.FieldPos("/spec/tls/" + strconv.Itoa(i))},
		}
		for _, m := range rt.Spec.TLS[i].Matchers {
			sni := make([]string, len(m.SNIHosts))
			for k, h := range m.SNIHosts {
				sni[k] = strings.ToLower(h)
			}
			r.Matchers = append(r.Matchers, model.TLSMatcher{SNIHosts: sni, Port: m.Port})
		}
		if fw, ok := b.l4Forward(ci, rt, p); ok {
			r.Forward = fw
			out = append(out, r)
		}
	}
	return out
}
