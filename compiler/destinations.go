package compiler

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// fedKey names a Service pinned to a cluster: the federated host <svc>.<ns>.svc.<cluster>.global.
type fedKey struct{ ns, name, cluster string }

// fedInfo is a federated host with its backend in every cluster.
type fedInfo struct {
	svc      *schema.Service
	backends map[string]*model.Backend
}

// resolveDestination turns a destination reference written at path of t (a RouteTable, or a
// policy naming a destination) into a destination as seen from ci, or reports why it cannot (and
// returns false). root is the root table the route is served from (t itself for a policy): its
// workspace must see the destination too (visibleDestination).
func (b *builder) resolveDestination(ci *clusterInfo, t, root *schema.Object, path string, ref *schema.DestinationReference) (model.Destination, bool) {
	ns := ref.Ref.Namespace
	if ns == "" {
		ns = t.Namespace()
	}
	if ref.DestinationKind() == schema.DestVirtualDestination {
		if vi := b.vdByNS[nsName{ns, ref.Ref.Name}]; vi != nil && !b.visibleDestination(t, root, &vi.vd.Object, "", path) {
			return model.Destination{}, false
		}
		return b.resolveVD(ci, t, path, ref, ns)
	}
	if ref.DestinationKind() == schema.DestExternalService {
		if xi := b.externalService(ns, ref.Ref.Name); xi != nil && !b.visibleDestination(t, root, &xi.es.Object, "", path) {
			return model.Destination{}, false
		}
		return b.resolveExternal(ci, t, path, ref, ns)
	}
	target := ci
	if c := ref.Ref.Cluster; c != "" {
		target = b.byName[c]
		if target == nil {
			b.report(b.unknownCluster(t, path+"/ref/cluster", c))
			return model.Destination{}, false
		}
	}
	s := target.svc[nsName{ns, ref.Ref.Name}]
	if s == nil {
		at := path + "/ref"
		b.report(b.missingService(on(t, at, diag.UnknownDestination(t.FieldPos(at), ns, ref.Ref.Name, target.name)), target, ns, ref.Ref.Name, ref.Ref.Cluster == ""))
		return model.Destination{}, false
	}
	if !b.visibleDestination(t, root, &s.Object, target.name, path) {
		return model.Destination{}, false
	}
	sp, ok := b.destinationPort(t, path, ref.Port, s)
	if !ok {
		return model.Destination{}, false
	}
	d := model.Destination{Port: sp.Port, Kind: model.DestService, Namespace: ns, Name: s.Name(), Cluster: ref.Ref.Cluster}
	if target == ci {
		d.Host = ci.fqdn(s)
		d.Backend = b.localBackend(ci, s)
	} else {
		if !b.federationAllows(t, path, s, sp.Port) {
			return model.Destination{}, false
		}
		if k := slices.IndexFunc(s.Spec.Ports, func(p schema.ServicePort) bool { return p.Port == sp.Port }); k >= 0 {
			if _, name := sp.Target(); name != "" {
				at := path + "/port"
				b.report(namedTargetPort(on(t, at, diag.PinnedServiceNamedTargetPort(t.FieldPos(at), ns, s.Name(), sp.Port, target.name, name)), s, k))
				return model.Destination{}, false
			}
		}
		fi := b.federated(s, target)
		d.Host = fi.backends[ci.name].Host
		d.Backend = fi.backends[ci.name]
	}
	if len(ref.Subset) > 0 {
		d.Subset = b.useSubset(t, path, d.Host, s, ref.Subset)
	}
	return d, true
}

// missingService adds the most useful hint for a Service that is not in a cluster: a near name
// there, or the clusters that do have it.
func (b *builder) missingService(d diag.Diagnostic, c *clusterInfo, ns, name string, defaulted bool) diag.Diagnostic {
	var elsewhere []string
	for _, o := range b.clusters {
		if o.svc[nsName{ns, name}] != nil {
			elsewhere = append(elsewhere, o.name)
		}
	}
	if len(elsewhere) > 0 && defaulted {
		return d.WithHint("it exists in cluster %s; a destination without ref.cluster means the cluster being compiled — pin it with ref.cluster, or use a VirtualDestination", strings.Join(elsewhere, ", "))
	}
	have := make([]string, 0, len(c.services))
	for _, s := range c.services {
		have = append(have, s.Namespace()+"/"+s.Name())
	}
	return didYouMean(d, ns+"/"+name, have, "Service")
}

// destinationPort picks the Service port a destination names, or its only port.
func (b *builder) destinationPort(t *schema.Object, path string, sel *schema.PortSelector, s *schema.Service) (schema.ServicePort, bool) {
	if sel.IsSet() {
		if sp, ok := servicePort(s, *sel); ok {
			return sp, true
		}
		at := path + "/port"
		b.report(on(t, at, diag.UnknownDestinationPort(t.FieldPos(at), "Service", s.Namespace(), s.Name(), portString(*sel))).
			WithHint("the Service's ports: %s", servicePortList(s)))
		return schema.ServicePort{}, false
	}
	switch len(s.Spec.Ports) {
	case 1:
		return s.Spec.Ports[0], true
	case 0:
		b.report(on(t, path, diag.DestinationHasNoPorts(t.FieldPos(path), "Service", s.Namespace(), s.Name())))
	default:
		b.report(on(t, path, diag.AmbiguousDestinationPort(t.FieldPos(path), "Service", s.Namespace(), s.Name(), len(s.Spec.Ports))).
			WithHint("add port: {number: N} or port: {name: NAME}; the Service's ports: %s", servicePortList(s)))
	}
	return schema.ServicePort{}, false
}

func (b *builder) resolveVD(ci *clusterInfo, t *schema.Object, path string, ref *schema.DestinationReference, ns string) (model.Destination, bool) {
	vi := b.vdByNS[nsName{ns, ref.Ref.Name}]
	if vi == nil {
		have := make([]string, 0, len(b.set.VirtualDestinations))
		for _, vd := range b.set.VirtualDestinations {
			have = append(have, vd.Namespace()+"/"+vd.Name())
		}
		at := path + "/ref"
		b.report(didYouMean(on(t, at, diag.UnknownVirtualDestination(t.FieldPos(at), ns, ref.Ref.Name)), ns+"/"+ref.Ref.Name, have, "VirtualDestination"))
		return model.Destination{}, false
	}
	be := ci.vdBackends[vi]
	var port *model.BackendPort
	switch sel := ref.Port; {
	case sel.IsSet():
		for _, p := range be.Ports {
			if (sel.Number != 0 && p.Number == sel.Number) || (sel.Number == 0 && p.Name == strings.ToLower(sel.Name)) {
				port = p
			}
		}
		if port == nil {
			at := path + "/port"
			b.report(on(t, at, diag.UnknownDestinationPort(t.FieldPos(at), "VirtualDestination", ns, vi.vd.Name(), portString(*sel))).
				WithHint("its ports: %s", backendPortList(be)))
			return model.Destination{}, false
		}
	case len(be.Ports) == 1:
		port = be.Ports[0]
	case len(be.Ports) == 0:
		b.report(on(t, path, diag.DestinationHasNoPorts(t.FieldPos(path), "VirtualDestination", ns, vi.vd.Name())))
		return model.Destination{}, false
	default:
		b.report(on(t, path, diag.AmbiguousDestinationPort(t.FieldPos(path), "VirtualDestination", ns, vi.vd.Name(), len(be.Ports))).
			WithHint("add port: {number: N}; its ports: %s", backendPortList(be)))
		return model.Destination{}, false
	}
	return model.Destination{Host: be.Host, Port: port.Number, Kind: model.DestVirtualDestination, Namespace: ns, Name: vi.vd.Name(), Backend: be}, true
}

func backendPortList(be *model.Backend) string {
	parts := make([]string, len(be.Ports))
	for i, p := range be.Ports {
		parts[i] = fmt.Sprintf("%d (%s)", p.Number, p.Name)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// useSubset records a subset used on host (every cluster's DestinationRule for the host gets it)
// and returns its name (naming.Subset).
func (b *builder) useSubset(t *schema.Object, path, host string, s *schema.Service, labels map[string]string) string {
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		if v, ok := s.Spec.Selector[k]; ok && v != labels[k] {
			at := path + "/subset/" + escapePointer(k)
			b.report(on(t, at, diag.SubsetSelectorMismatch(t.FieldPos(at), k, labels[k], s.Namespace(), s.Name(), k, v)).
				WithHint("a subset narrows the Service's pods; it cannot change a label the selector fixes"))
		}
	}
	name := naming.Subset(labels)
	if b.task != nil {
		// Binding one cluster among others: the first use of a name is where the serial run
		// made it.
		b.task.later(len(b.diags), func(b *builder) { b.addSubset(t, path, host, name, labels) })
		return name
	}
	b.addSubset(t, path, host, name, labels)
	return name
}

// addSubset records that the subset name (labels) of host is used at path of t, or reports
// another subset already recorded under that name.
func (b *builder) addSubset(t *schema.Object, path, host, name string, labels map[string]string) {
	if b.subsets[host] == nil {
		b.subsets[host] = map[string]*model.Subset{}
	}
	prev, ok := b.subsets[host][name]
	if !ok {
		b.subsets[host][name] = &model.Subset{Name: name, Labels: labels}
		b.subsetPos[host+" "+name] = t.FieldPos(path + "/subset")
		return
	}
	// Sanitising can map different label sets to one name ({version: v_1} and {version: v.1}
	// both become version-v-1); merging them would silently send one route's traffic to the
	// other's pods, and Istio refuses two subsets of one name, so it is a name collision.
	if !maps.Equal(prev.Labels, labels) {
		// The host is left out of the message: it differs per cluster domain, and the finding is
		// one mistake however many clusters compile the route.
		at := path + "/subset"
		b.report(on(t, at, diag.SubsetNameCollision(t.FieldPos(at), labelString(labels), name, labelString(prev.Labels))).
			WithRelated(b.subsetPos[host+" "+name], "the subset whose name %s it collides with", name).
			WithHint("subset names are <key>-<value> pairs sanitised to DNS labels; use label values that differ in letters or digits"))
	}
}

func escapePointer(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1")
}

// localBackend is the (memoised) backend of a Service of the compiled cluster. It joins the
// cluster's Backends only when a subset needs a DestinationRule for it (finishBackends). The
// memo is the cluster's own, so clusters bind their route tables in parallel (bindClusters).
func (b *builder) localBackend(ci *clusterInfo, s *schema.Service) *model.Backend {
	k := nsName{s.Namespace(), s.Name()}
	if be, ok := ci.local[k]; ok {
		return be
	}
	be := &model.Backend{
		Host:      ci.fqdn(s),
		Hosts:     []string{ci.fqdn(s)},
		Kind:      model.BackendService,
		Namespace: s.Namespace(),
		Origin:    origin(&s.Object),
		Ports:     servicePorts(s),
		Local:     &model.LocalEndpoint{Service: s.Name(), Namespace: s.Namespace(), FQDN: ci.fqdn(s), Selector: s.Spec.Selector},
	}
	ci.local[k] = be
	return be
}

// federated returns the federated host of Service s of cluster owner, creating its backend in
// every cluster: the ServiceEntry exists everywhere, in the owner with a workloadSelector (so its
// east-west gateway can serve the SNI), elsewhere with the owner's east-west gateway as endpoint.
func (b *builder) federated(s *schema.Service, owner *clusterInfo) *fedInfo {
	k := fedKey{s.Namespace(), s.Name(), owner.name}
	if fi, ok := b.fed[k]; ok {
		return fi
	}
	if b.task != nil {
		// Binding one cluster among others: the backends are made once for all of them, and
		// added to the clusters, with the east-west findings, where the serial run did that.
		fi := b.task.made.federated(k, func() *fedInfo { return b.newFederated(s, owner, owner.eastWestEndpoint()) })
		b.task.later(len(b.diags), func(b *builder) {
			if _, ok := b.fed[k]; !ok {
				b.eastWest(owner, &s.Object, s.Pos, fedNeeder(s, owner))
				b.addFederated(k, fi)
			}
		})
		return fi
	}
	remote, _ := b.eastWest(owner, &s.Object, s.Pos, fedNeeder(s, owner))
	fi := b.newFederated(s, owner, remote)
	b.addFederated(k, fi)
	return fi
}

// fedNeeder describes Service s pinned to owner, for the east-west findings.
func fedNeeder(s *schema.Service, owner *clusterInfo) string {
	return "Service " + s.Namespace() + "/" + s.Name() + " (pinned to cluster " + owner.name + ")"
}

// newFederated makes the backends of Service s pinned to owner, one per cluster; remote is how
// the other clusters reach owner (nil: they cannot, which eastWest reports).
func (b *builder) newFederated(s *schema.Service, owner *clusterInfo, remote *model.RemoteEndpoint) *fedInfo {
	fi := &fedInfo{svc: s, backends: map[string]*model.Backend{}}
	host := naming.FederatedHost(s.Name(), s.Namespace(), owner.name)
	for _, ci := range b.clusters {
		be := &model.Backend{
			Host:            host,
			Hosts:           []string{host},
			Kind:            model.BackendFederated,
			Namespace:       s.Namespace(),
			Origin:          origin(&s.Object),
			ServiceEntry:    naming.FederatedEntry(s.Name(), s.Namespace(), owner.name),
			DestinationRule: naming.DestinationRule(host),
			Ports:           numericTargetPorts(servicePorts(s)),
			MTLS:            true,
		}
		if ci == owner {
			be.WorkloadSelector = s.Spec.Selector
			be.Local = &model.LocalEndpoint{Service: s.Name(), Namespace: s.Namespace(), FQDN: ci.fqdn(s), Selector: s.Spec.Selector}
		} else if remote != nil {
			r := *remote
			be.Remotes = []*model.RemoteEndpoint{&r}
		}
		fi.backends[ci.name] = be
	}
	return fi
}

// addFederated records fi under k and gives every cluster its backend.
func (b *builder) addFederated(k fedKey, fi *fedInfo) {
	for _, ci := range b.clusters {
		ci.out.Backends = append(ci.out.Backends, fi.backends[ci.name])
	}
	b.fed[k] = fi
}

// servicePorts are a Service's ports as ServiceEntry ports. UDP and SCTP ports are left out: Istio
// proxies neither, and a DNS-style Service with TCP and UDP on one number would otherwise give
// the ServiceEntry two ports of the same number and name, which Istio refuses.
func servicePorts(s *schema.Service) []*model.BackendPort {
	out := make([]*model.BackendPort, 0, len(s.Spec.Ports))
	for _, p := range s.Spec.Ports {
		if proto := strings.ToUpper(p.Protocol); proto == "UDP" || proto == "SCTP" {
			continue
		}
		proto := serviceProtocol(p)
		target, _ := p.Target()
		out = append(out, &model.BackendPort{Number: p.Port, Protocol: proto, Name: naming.BackendPort(proto, p.Port), TargetPort: target})
	}
	return out
}

// numericTargetPorts drops the ports whose targetPort is a container port name (TargetPort 0):
// a federated ServiceEntry selects the owner's pods by workloadSelector, and without the number
// Istio would send that port's traffic to the Service port instead. A route to such a port is
// MR2012; the others are left out rather than emitted wrong.
func numericTargetPorts(ports []*model.BackendPort) []*model.BackendPort {
	return slices.DeleteFunc(ports, func(p *model.BackendPort) bool { return p.TargetPort == 0 })
}

// serviceProtocol follows Istio's protocol selection: appProtocol, else the port name's prefix
// (http, http2, https, grpc, tls, tcp, mongo…); anything else is HTTP, since meshroute routes HTTP.
func serviceProtocol(p schema.ServicePort) string {
	known := map[string]string{"http": "HTTP", "http2": "HTTP2", "https": "HTTPS", "grpc": "GRPC", "grpc-web": "GRPC", "tls": "TLS", "tcp": "TCP", "mongo": "MONGO", "h2c": "HTTP2"}
	if v, ok := known[strings.ToLower(p.AppProtocol)]; ok {
		return v
	}
	prefix, _, _ := strings.Cut(strings.ToLower(p.Name), "-")
	if v, ok := known[prefix]; ok {
		return v
	}
	return model.ProtocolHTTP
}
