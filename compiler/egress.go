package compiler

import (
	"slices"
	"strconv"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// Egress gateways (docs/istio-output.md): an ExternalService port with egressGatewayRoutes sends
// the mesh's requests for its hosts on portMatch to the egress gateways of the VirtualGateways it
// names, which forward them to the port (originating TLS where clientsideTls says so). Both hops
// are ordinary route sets in the model: a mesh set for the sidecars and a gateway set on the
// exposing listeners, so every target and evaluator serves them as any other route.

// egressPort is one checked egress route: the ExternalService port, where sidecars send, and the
// VirtualGateways (with the cluster each reference is limited to) that carry it.
type egressPort struct {
	xi    *extInfo
	index int // in spec.ports
	port  *model.BackendPort
	match uint32
	refs  []gwRef
}

// buildEgress compiles every egress route into each cluster where a named VirtualGateway has a
// gateway Service whose listener exposes the service. It runs after finishBackends: the egress
// gateway's own backend joins a cluster here, once.
func (b *builder) buildEgress() {
	for _, es := range b.set.ExternalServices {
		for i, p := range es.Spec.Ports {
			if p.EgressGatewayRoutes == nil {
				continue
			}
			if ep := b.checkEgress(es, i); ep != nil {
				b.serveEgress(ep)
			}
		}
	}
}

// egressTarget is one exposing listener of an egress gateway in one cluster.
type egressTarget struct {
	gi *gatewayInfo
	li *listenerInfo
}

// serveEgress gives every cluster with an exposing egress gateway its two route sets.
func (b *builder) serveEgress(ep *egressPort) {
	es := ep.xi.es
	served := false
	for _, ci := range b.clusters {
		var targets []egressTarget
		for _, gi := range ci.gateways {
			if !slices.ContainsFunc(ep.refs, func(r gwRef) bool { return r.vg == gi.vg && (r.cluster == "" || r.cluster == ci.name) }) {
				continue
			}
			for _, li := range gi.listeners {
				l := &gi.vg.Spec.Listeners[li.index]
				if li.l.HTTPSRedirect || li.l.TLS != nil && li.l.TLS.Mode == model.TLSMutual || !exposes(l, gi.vg, es) || len(b.egressHosts(gi.vg, li.index, es)) == 0 {
					continue
				}
				targets = append(targets, egressTarget{gi, li})
			}
		}
		if len(targets) == 0 {
			continue
		}
		served = true
		be := b.egressBackend(ci, ep)
		b.gatewayEgress(ci, ep, be, targets)
		b.meshEgress(ci, ep, targets)
	}
	if !served {
		for _, r := range ep.refs {
			at := "/spec/ports/" + strconv.Itoa(ep.index) + "/egressGatewayRoutes/virtualGatewayRefs/" + strconv.Itoa(r.index)
			where := " in any cluster"
			if r.cluster != "" {
				where = " in cluster " + r.cluster
			}
			b.report(on(&es.Object, at, diag.EgressGatewayNotServed(es.FieldPos(at), nsSlashName(&r.vg.Object), where, nsSlashName(&es.Object))).
				WithHint("declare the egress gateway Service its workloads select%s", where))
		}
	}
}

// egressBackend is the cluster's backend of the external host, with portMatch as a plain HTTP
// port: the sidecars' outbound listener for it needs the host on that port.
func (b *builder) egressBackend(ci *clusterInfo, ep *egressPort) *model.Backend {
	be := ci.extBackends[ep.xi]
	if be == nil {
		be = externalBackend(ep.xi)
		ci.extBackends[ep.xi] = be
		ci.out.Backends = append(ci.out.Backends, be)
	}
	if be.Port(ep.match) == nil {
		be.Ports = append(be.Ports, &model.BackendPort{Number: ep.match, Protocol: model.ProtocolHTTP, Name: naming.BackendPort(model.ProtocolHTTP, ep.match)})
		slices.SortStableFunc(be.Ports, func(x, y *model.BackendPort) int { return int(x.Number) - int(y.Number) })
	}
	return be
}

// egressRoute is the one route of either hop, named after the port (which has no route name).
func egressRoute(ep *egressPort, fw *model.Forward, m []*model.Matcher) *model.Route {
	es := ep.xi.es
	at := "/spec/ports/" + strconv.Itoa(ep.index) + "/egressGatewayRoutes"
	hop := model.Hop{Table: origin(&es.Object), RouteName: naming.EgressRoute(ep.port.Number), Index: ep.index, Pos: es.FieldPos(at)}
	return &model.Route{
		RouteID: &model.RouteID{
			Name:  naming.Route([]naming.RouteHop{{Route: hop.RouteName, Table: es.Name(), Namespace: es.Namespace()}}),
			Chain: []model.Hop{hop},
		},
		Matchers: m,
		Forward:  fw,
	}
}

// gatewayEgress is the second hop: on the exposing listeners, per gateway namespace, the
// service's hosts go to the port, where the host's DestinationRule originates TLS.
func (b *builder) gatewayEgress(ci *clusterInfo, ep *egressPort, be *model.Backend, targets []egressTarget) {
	es := ep.xi.es
	byNS := map[string]*model.RouteSet{}
	var order []string
	for _, t := range targets {
		ns := t.gi.gw.Namespace
		rs := byNS[ns]
		if rs == nil {
			rs = &model.RouteSet{Name: naming.EgressSet(es.Name(), es.Namespace(), false), Namespace: ns, Origin: origin(&es.Object)}
			dest := &model.Destination{Host: be.Host, Port: ep.port.Number, Kind: model.DestExternalService, Namespace: es.Namespace(), Name: es.Name(), Backend: be}
			rs.Routes = []*model.Route{egressRoute(ep, &model.Forward{Destinations: []*model.Destination{dest}}, nil)}
			byNS[ns] = rs
			order = append(order, ns)
		}
		if !slices.Contains(rs.Gateways, t.gi.gw) {
			rs.Gateways = append(rs.Gateways, t.gi.gw)
		}
		rs.Listeners = append(rs.Listeners, t.li.l)
		for _, h := range b.egressHosts(t.gi.vg, t.li.index, es) {
			if !slices.Contains(rs.Hosts, h) {
				rs.Hosts = append(rs.Hosts, h)
				k := slices.Index(es.Spec.Hosts, h)
				p := "/spec/hosts/" + strconv.Itoa(k)
				rs.HostFields = append(rs.HostFields, model.Field{Path: p, Pos: es.FieldPos(p)})
			}
		}
	}
	for _, ns := range order {
		ci.out.RouteSets = append(ci.out.RouteSets, byNS[ns])
	}
}

// meshEgress is the first hop: every sidecar's requests for the hosts on portMatch go to the
// egress gateway Services (shared evenly when several carry the route), with Istio mTLS.
func (b *builder) meshEgress(ci *clusterInfo, ep *egressPort, targets []egressTarget) {
	es := ep.xi.es
	type svcPort struct {
		svc  *schema.Service
		port uint32
		tls  *model.TLS
	}
	var dests []svcPort
	for _, t := range targets {
		if !slices.ContainsFunc(dests, func(d svcPort) bool { return d.svc == t.gi.svc && d.port == t.li.l.ServicePort }) {
			dests = append(dests, svcPort{t.gi.svc, t.li.l.ServicePort, t.li.l.TLS})
		}
	}
	fw := &model.Forward{}
	weights := make([]uint32, len(dests))
	if len(dests) > 1 {
		weights, _, _ = normaliseWeights(weights)
	}
	for k, d := range dests {
		gwb := b.egressGatewayBackend(ci, d.svc, d.port, d.tls, es.Spec.Hosts[0])
		fw.Destinations = append(fw.Destinations, &model.Destination{
			Host: gwb.Host, Port: d.port, Weight: weights[k], Kind: model.DestService,
			Namespace: d.svc.Namespace(), Name: d.svc.Name(), Backend: gwb,
		})
	}
	hosts := make([]model.Field, len(es.Spec.Hosts))
	for k := range es.Spec.Hosts {
		p := "/spec/hosts/" + strconv.Itoa(k)
		hosts[k] = model.Field{Path: p, Pos: es.FieldPos(p)}
	}
	at := "/spec/ports/" + strconv.Itoa(ep.index) + "/egressGatewayRoutes"
	ci.out.RouteSets = append(ci.out.RouteSets, &model.RouteSet{
		Name:       naming.EgressSet(es.Name(), es.Namespace(), true),
		Namespace:  es.Namespace(),
		Origin:     origin(&es.Object),
		Hosts:      slices.Clone(es.Spec.Hosts),
		HostFields: hosts,
		Mesh:       true,
		Routes:     []*model.Route{egressRoute(ep, fw, []*model.Matcher{{Port: ep.match, Pos: es.FieldPos(at)}})},
	})
}

// egressGatewayBackend is the egress gateway Service as the sidecars' destination. A TLS
// listener gets a DestinationRule on its Service port: ISTIO_MUTUAL for an ISTIO_MUTUAL listener
// (as Istio's egress gateway pattern has it), SIMPLE for a SIMPLE one, with the service's first
// host as SNI so the gateway's server accepts the connection whatever hosts it is restricted to.
// A plain HTTP listener needs none.
func (b *builder) egressGatewayBackend(ci *clusterInfo, s *schema.Service, port uint32, tls *model.TLS, sni string) *model.Backend {
	be := b.localBackend(ci, s)
	bp := be.Port(port)
	if tls == nil || bp == nil || bp.TLS != nil {
		return be
	}
	be.DestinationRule = naming.DestinationRule(be.Host)
	if !slices.Contains(ci.out.Backends, be) {
		ci.out.Backends = append(ci.out.Backends, be)
	}
	bp.TLS = &model.ClientTLS{Mode: tls.Mode, SNI: sni}
	return be
}
