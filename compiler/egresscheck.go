package compiler

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// The checks of an egress route (egress.go): what Gloo refuses or cannot route, and which
// listeners of a referenced VirtualGateway expose the service.

// defaultPortMatch is the proto's default for egressGatewayRoutes.portMatch.
const defaultPortMatch = 80

// egressProtocols are the port protocols Gloo routes through egress gateways (the proto's
// comment on egress_gateway_routes).
var egressProtocols = []string{"HTTP", "HTTP2", "HTTPS"}

// checkEgress reports what makes an egress route impossible; nil then.
func (b *builder) checkEgress(es *schema.ExternalService, i int) *egressPort {
	p := es.Spec.Ports[i]
	path := "/spec/ports/" + strconv.Itoa(i) + "/egressGatewayRoutes"
	name := nsSlashName(&es.Object)
	unsupported := func(at, reason, hint string) *egressPort {
		b.report(on(&es.Object, at, diag.EgressRouteUnsupported(es.FieldPos(at), name, p.Number, reason)).WithHint("%s", hint))
		return nil
	}
	switch proto := strings.ToUpper(p.Protocol); {
	case len(es.Spec.Hosts) == 0:
		return unsupported(path, "the service has addresses, not hosts", "egress routes match requests by host: give the service hosts")
	case !slices.Contains(egressProtocols, proto):
		return unsupported(path, "its protocol is "+cmpOr(proto, "unset")+", and Gloo routes only HTTP, HTTP2 and HTTPS ports through egress gateways",
			"use protocol HTTP, HTTP2 or HTTPS, or remove egressGatewayRoutes (sidecars then reach the port directly)")
	case len(p.EgressGatewayRoutes.VirtualGatewayRefs) == 0:
		return unsupported(path+"/virtualGatewayRefs", "it names no VirtualGateway", "add virtualGatewayRefs: [{name: <egress VirtualGateway>, namespace: <its namespace>}]")
	}
	match := cmp.Or(p.EgressGatewayRoutes.PortMatch, defaultPortMatch)
	if clash := egressClash(es, i, match); clash != "" {
		at := path + "/portMatch"
		if p.EgressGatewayRoutes.PortMatch == 0 {
			at = path
		}
		b.report(on(&es.Object, at, diag.EgressPortClash(es.FieldPos(at), match, name, clash)).
			WithHint("set egressGatewayRoutes.portMatch to a port number the service does not use otherwise"))
		return nil
	}
	xi := b.externalService(es.Namespace(), es.Name())
	if xi == nil || !xi.ok {
		return nil // reported by checkExternal
	}
	ep := &egressPort{xi: xi, index: i, port: xi.ports[i], match: match}
	for j, r := range p.EgressGatewayRoutes.VirtualGatewayRefs {
		if ref, ok := b.egressRef(es, path+"/virtualGatewayRefs/"+strconv.Itoa(j), r); ok {
			ref.index = j
			ep.refs = append(ep.refs, ref)
		}
	}
	if len(ep.refs) < len(p.EgressGatewayRoutes.VirtualGatewayRefs) {
		return nil
	}
	return ep
}

// egressClash names what else uses port match on the service: another port's number, or another
// egress port's portMatch ("" when nothing does).
func egressClash(es *schema.ExternalService, i int, match uint32) string {
	for k, q := range es.Spec.Ports {
		if k == i {
			continue
		}
		port := "spec.ports[" + strconv.Itoa(k) + "]"
		if q.Name != "" {
			port += " (" + q.Name + ")"
		}
		if q.Number == match {
			return "the number of its port " + port
		}
		if q.EgressGatewayRoutes != nil && cmp.Or(q.EgressGatewayRoutes.PortMatch, defaultPortMatch) == match {
			return "the portMatch of its port " + port
		}
	}
	return ""
}

// egressRef resolves one virtualGatewayRefs entry and checks that the VirtualGateway exposes the
// service on some listener.
func (b *builder) egressRef(es *schema.ExternalService, at string, r schema.ObjectReference) (gwRef, bool) {
	ns := cmpOr(r.Namespace, es.Namespace())
	vg := b.vgs[nsName{ns, r.Name}]
	if vg == nil {
		have := make([]string, 0, len(b.set.VirtualGateways))
		for _, v := range b.set.VirtualGateways {
			have = append(have, v.Namespace()+"/"+v.Name())
		}
		b.report(didYouMean(on(&es.Object, at, diag.UnknownVirtualGateway(es.FieldPos(at), ns, r.Name)), ns+"/"+r.Name, have, "VirtualGateway"))
		return gwRef{}, false
	}
	cluster := r.Cluster
	if b.isManagement(cluster) {
		cluster = ""
	}
	if cluster != "" && b.byName[cluster] == nil {
		b.report(b.unknownCluster(&es.Object, at+"/cluster", cluster))
		return gwRef{}, false
	}
	// As a table attaches to another workspace's gateway: the gateway's workspace must import
	// the service (docs/workspaces.md).
	if d, hidden := b.hidden(&vg.Object, &es.Object, "", &es.Object, at); hidden {
		b.report(d)
		return gwRef{}, false
	}
	if reason := b.unexposed(vg, es); reason != "" {
		b.report(on(&es.Object, at, diag.EgressNotExposed(es.FieldPos(at), nsSlashName(&vg.Object), nsSlashName(&es.Object), reason)).
			WithRelated(vg.FieldPos("/spec/listeners"), "the VirtualGateway's listeners").
			WithHint("add {host: %s} to a listener's exposedExternalServices (none listed exposes every service), or name another VirtualGateway", es.Spec.Hosts[0]))
		return gwRef{}, false
	}
	return gwRef{vg: vg, cluster: cluster}, true
}

// unexposed says why no listener of vg can carry es's egress traffic ("" when one can).
func (b *builder) unexposed(vg *schema.VirtualGateway, es *schema.ExternalService) string {
	reason := "it has no HTTP listener"
	for i := range vg.Spec.Listeners {
		l := &vg.Spec.Listeners[i]
		if l.TCP != nil || l.HTTPSRedirect {
			continue
		}
		if l.TLS != nil && strings.EqualFold(l.TLS.Mode, model.TLSMutual) {
			reason = "a MUTUAL listener asks for a client certificate sidecars do not have (use ISTIO_MUTUAL)"
			continue
		}
		if !exposes(l, vg, es) {
			reason = "its exposedExternalServices leave the service's hosts out"
			continue
		}
		if len(b.egressHosts(vg, i, es)) == 0 {
			reason = "the exposing listeners' hosts do not cover the service's hosts"
			continue
		}
		return ""
	}
	return reason
}

// exposes reports whether listener l's exposedExternalServices admit es: none listed admits
// every service; an entry admits by host pattern (with its namespace prefix) and selector.
func exposes(l *schema.Listener, vg *schema.VirtualGateway, es *schema.ExternalService) bool {
	if len(l.ExposedExternalServices) == 0 {
		return true
	}
	for _, f := range l.ExposedExternalServices {
		hf := parseHostFilter(f.Host, vg.Namespace())
		if hf.namespace != "" && hf.namespace != es.Namespace() {
			continue
		}
		// An ExternalService is mesh-wide here (the input says no cluster it was created in), so
		// a selector's cluster does not narrow it.
		if f.Selector != nil && !selects(f.Selector, es.Name(), es.Namespace(), f.Selector.Cluster, es.Metadata.Labels) {
			continue
		}
		if slices.ContainsFunc(es.Spec.Hosts, func(h string) bool { return model.HostCovers(hf.host, h) }) {
			return true
		}
	}
	return false
}

// egressHosts are the service's hosts that the listener at index i of vg accepts (its hosts from
// allowedRouteTables, "*" when unrestricted), as the egress Gateway server would.
func (b *builder) egressHosts(vg *schema.VirtualGateway, i int, es *schema.ExternalService) []string {
	l := &vg.Spec.Listeners[i]
	var out []string
	for _, h := range es.Spec.Hosts {
		ok := len(l.AllowedRouteTables) == 0
		for _, f := range l.AllowedRouteTables {
			hf := parseHostFilter(f.Host, vg.Namespace())
			ok = ok || model.HostCovers(hf.host, h)
		}
		if ok {
			out = append(out, h)
		}
	}
	return out
}
