package compiler

import (
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// extInfo is what an ExternalService is as a destination, the same in every cluster: its ports
// (with the TLS clients originate) and the ExternalEndpoints it selects. ok is false when it
// cannot be routed to (reported once).
type extInfo struct {
	es        *schema.ExternalService
	ok        bool
	ports     []*model.BackendPort
	endpoints []*model.ExternalEndpoint
	// unroutable says why nothing can send to it by name (MR2027), reported where something
	// tries: its direct use needs no single host.
	unroutable []diag.Diagnostic
}

// usable reports whether something may send to the ExternalService by name, reporting why not.
func (b *builder) usable(xi *extInfo) bool {
	for _, d := range xi.unroutable {
		b.report(d)
	}
	return xi.ok && len(xi.unroutable) == 0
}

// externalService returns the destination form of the ExternalService ns/name (nil: none such),
// checking it on first use.
func (b *builder) externalService(ns, name string) *extInfo {
	k := nsName{ns, name}
	if xi, ok := b.externals[k]; ok {
		return xi
	}
	if b.task != nil {
		// Binding one cluster among others: checked once for all of them, its findings reported
		// where the serial run's first use was.
		c := b.task.made.external(k, func() checkedExternal {
			cb := *b
			cb.diags, cb.task = nil, nil
			return checkedExternal{cb.lookupExternal(ns, name), cb.diags}
		})
		b.task.later(len(b.diags), func(b *builder) {
			if _, ok := b.externals[k]; !ok {
				b.diags = append(b.diags, c.diags...)
				b.externals[k] = c.xi
			}
		})
		return c.xi
	}
	xi := b.lookupExternal(ns, name)
	b.externals[k] = xi
	return xi
}

// checkedExternal is an ExternalService checked while clusters bind in parallel, with what
// checking it reported.
type checkedExternal struct {
	xi    *extInfo
	diags []diag.Diagnostic
}

// lookupExternal checks the ExternalService ns/name (nil: none such).
func (b *builder) lookupExternal(ns, name string) *extInfo {
	var xi *extInfo
	for _, es := range b.set.ExternalServices {
		if es.Namespace() == ns && es.Name() == name {
			xi = b.checkExternal(es)
		}
	}
	return xi
}

func (b *builder) checkExternal(es *schema.ExternalService) *extInfo {
	xi := &extInfo{es: es, ok: true}
	switch {
	case len(es.Spec.Hosts) == 0:
		xi.unroutable = append(xi.unroutable, on(&es.Object, "/spec/addresses", diag.ExternalServiceNotRoutable(es.FieldPos("/spec/addresses"), es.Namespace(), es.Name(), "it has addresses and no hosts")).
			WithHint("give it hosts: the DNS names clients use"))
	default:
		for i, h := range es.Spec.Hosts {
			if strings.HasPrefix(h, "*") {
				at := "/spec/hosts/" + strconv.Itoa(i)
				xi.unroutable = append(xi.unroutable, on(&es.Object, at, diag.ExternalServiceNotRoutable(es.FieldPos(at), es.Namespace(), es.Name(), "host "+h+" is a wildcard")).
					WithHint("list the host names a route should reach instead of a wildcard"))
			}
		}
	}
	for _, p := range es.Spec.Ports {
		proto := strings.ToUpper(p.Protocol)
		bp := &model.BackendPort{Number: p.Number, Protocol: proto, Name: naming.BackendPort(proto, p.Number)}
		if p.TargetPort != nil {
			bp.TargetPort = p.TargetPort.Number
		}
		bp.TLS = originationTLS(es, p.ClientsideTLS)
		xi.ports = append(xi.ports, bp)
	}
	if len(es.Spec.Selector) > 0 {
		for _, ee := range b.set.ExternalEndpoints {
			if subsetOf(es.Spec.Selector, ee.Metadata.Labels) {
				if ep, ok := b.externalEndpoint(es, ee, xi.ports); ok {
					xi.endpoints = append(xi.endpoints, ep)
				} else {
					xi.ok = false
				}
			}
		}
	}
	return xi
}

// externalEndpoint maps every port of the service to the endpoint's port: by targetPort name or
// number, else by the port's own number.
func (b *builder) externalEndpoint(es *schema.ExternalService, ee *schema.ExternalEndpoint, ports []*model.BackendPort) (*model.ExternalEndpoint, bool) {
	ep := &model.ExternalEndpoint{Address: ee.Spec.Address, Ports: map[string]uint32{}, Locality: ee.Spec.Locality.String()}
	ok := true
	for i, p := range es.Spec.Ports {
		want := schema.PortSelector{Number: p.Number}
		if p.TargetPort.IsSet() {
			want = *p.TargetPort
		}
		found := false
		for _, q := range ee.Spec.Ports {
			if (want.Name != "" && q.Name == want.Name) || (want.Name == "" && q.Number == want.Number) {
				ep.Ports[ports[i].Name], found = q.Number, true
				break
			}
		}
		if !found {
			b.report(on(&ee.Object, "/spec/ports", diag.ExternalEndpointMissingPort(ee.FieldPos("/spec/ports"), nsSlashName(&ee.Object), portString(want), nsSlashName(&es.Object), p.Number)).
				WithRelated(es.FieldPos("/spec/ports/"+strconv.Itoa(i)), "the ExternalService port").
				WithHint("add the port to the ExternalEndpoint, or change the ExternalService's targetPort or selector"))
			ok = false
		}
	}
	return ep, ok
}

// originationTLS is the TLS clients originate on a port: the port's clientsideTls unless it says
// DISABLE. Without an SNI, a service with a single host presents that host (Gloo's rule).
func originationTLS(es *schema.ExternalService, t *schema.ClientsideTLS) *model.ClientTLS {
	if t == nil || t.Mode == model.TLSDisable {
		return nil
	}
	out := &model.ClientTLS{
		Mode: cmpOr(t.Mode, model.TLSSimple), SNI: t.SNI, SubjectAltNames: es.Spec.SubjectAltNames,
		ClientCertificate: t.ClientCertificate, PrivateKey: t.PrivateKey, CACertificates: t.CACertificates,
	}
	if out.SNI == "" && len(es.Spec.Hosts) == 1 {
		out.SNI = es.Spec.Hosts[0]
	}
	return out
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// resolveExternal turns a destination of kind EXTERNAL_SERVICE into its first host and port, and
// gives the cluster the host's backend (ServiceEntry, and DestinationRule when a port originates
// TLS): an ExternalService lands in every cluster where a route uses it.
func (b *builder) resolveExternal(ci *clusterInfo, t *schema.Object, path string, ref *schema.DestinationReference, ns string) (model.Destination, bool) {
	xi := b.externalService(ns, ref.Ref.Name)
	if xi == nil {
		at := path + "/ref"
		b.report(didYouMean(on(t, at, diag.UnknownExternalService(t.FieldPos(at), ns, ref.Ref.Name)), ns+"/"+ref.Ref.Name, b.externalServiceNames(), "ExternalService"))
		return model.Destination{}, false
	}
	if !b.usable(xi) {
		return model.Destination{}, false
	}
	es := xi.es
	var port *model.BackendPort
	switch sel := ref.Port; {
	case sel.IsSet():
		for i, p := range xi.ports {
			if (sel.Number != 0 && p.Number == sel.Number) || (sel.Name != "" && es.Spec.Ports[i].Name == sel.Name) {
				port = p
			}
		}
		if port == nil {
			at := path + "/port"
			b.report(on(t, at, diag.UnknownDestinationPort(t.FieldPos(at), "ExternalService", ns, es.Name(), portString(*sel))).
				WithHint("its ports: %s", backendPortList(&model.Backend{Ports: xi.ports})))
			return model.Destination{}, false
		}
	case len(xi.ports) == 1:
		port = xi.ports[0]
	default:
		b.report(on(t, path, diag.AmbiguousDestinationPort(t.FieldPos(path), "ExternalService", ns, es.Name(), len(xi.ports))).
			WithHint("add port: {number: N}; its ports: %s", backendPortList(&model.Backend{Ports: xi.ports})))
		return model.Destination{}, false
	}
	be := ci.extBackends[xi]
	if be == nil {
		be = externalBackend(xi)
		ci.extBackends[xi] = be
		if b.task != nil {
			// In its place among the federated backends, which join the list when replayed.
			b.task.later(len(b.diags), func(*builder) { ci.out.Backends = append(ci.out.Backends, be) })
		} else {
			ci.out.Backends = append(ci.out.Backends, be)
		}
	}
	return model.Destination{Host: be.Host, Port: port.Number, Kind: model.DestExternalService, Namespace: ns, Name: es.Name(), Backend: be}, true
}

// externalBackend is one cluster's copy of an ExternalService: destination policies and
// exportTo are settled per cluster.
func externalBackend(xi *extInfo) *model.Backend {
	es, hosts := xi.es, externalHosts(xi.es)
	be := &model.Backend{
		Host:         hosts[0],
		Hosts:        hosts,
		Addresses:    es.Spec.Addresses,
		Kind:         model.BackendExternal,
		Namespace:    es.Namespace(),
		Origin:       origin(&es.Object),
		ServiceEntry: naming.ExternalEntry(hosts[0]),
		Externals:    xi.endpoints,
	}
	for _, p := range xi.ports {
		cp := *p
		be.Ports = append(be.Ports, &cp)
		if p.TLS != nil {
			be.DestinationRule = naming.DestinationRule(be.Host)
		}
	}
	return be
}
