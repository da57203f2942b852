package compiler

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// vdInfo is a VirtualDestination with its backing Services resolved.
type vdInfo struct {
	vd    *schema.VirtualDestination
	hosts []string
	// backing is the backing Service of each cluster that has one; clusters lists them by name.
	backing  map[string]*schema.Service
	clusters []string
	// ports are the resolved ports against each backing cluster's Service.
	ports map[string][]*model.BackendPort
	// externals are its ExternalService backends (vdexternal.go); nil without any.
	externals *vdExternals
	// entry and rule name its ServiceEntry and DestinationRule; entrySelector selects its
	// WorkloadEntries. Every cluster's backend shares them (vdBackend), and nothing changes them.
	entry, rule   string
	entrySelector map[string]string
}

// multiHostProtocols can tell several hosts apart on one port (Host header or SNI).
var multiHostProtocols = map[string]bool{"HTTP": true, "HTTPS": true, "GRPC": true, "HTTP2": true, "TLS": true}

// resolveVirtualDestinations finds each VirtualDestination's backing Services and creates its
// backend in every cluster: the ServiceEntry exists everywhere, so clients anywhere can use the
// host.
func (b *builder) resolveVirtualDestinations() {
	owner := map[string]*schema.VirtualDestination{}
	services := b.serviceHosts()
	for _, vd := range b.set.VirtualDestinations {
		vi := &vdInfo{vd: vd, backing: map[string]*schema.Service{}, ports: map[string][]*model.BackendPort{}}
		for j, h := range vd.Spec.Hosts {
			h = strings.ToLower(h)
			vi.hosts = append(vi.hosts, h)
			p := "/spec/hosts/" + strconv.Itoa(j)
			if first, ok := owner[h]; ok {
				b.report(on(&vd.Object, p, diag.VirtualDestinationHostCollision(vd.FieldPos(p), h, first.Namespace(), first.Name())).
					WithRelated(first.FieldPos("/spec/hosts"), "the other VirtualDestination's hosts").
					WithHint("every VirtualDestination host must be unique across the mesh"))
				continue
			}
			owner[h] = vd
			if sh := services[h]; sh != nil {
				b.report(on(&vd.Object, p, diag.VirtualDestinationHostIsService(vd.FieldPos(p), h, vd.Namespace(), vd.Name(), sh.svc.Namespace(), sh.svc.Name(), strings.Join(sh.clusters, ", "))).
					WithRelated(sh.svc.Pos, "the Service").
					WithHint("Istio prefers the Kubernetes Service for its own host, so the VirtualDestination's ports and backends would not apply there; give the VirtualDestination a host of its own, e.g. %s.global", sh.svc.Name()))
			}
		}
		if len(vi.hosts) == 0 {
			continue // the schema requires hosts; nothing can address this VD
		}
		b.checkVDPorts(vi)
		b.selectBacking(vi)
		b.selectExternalBacking(vi)
		b.vds = append(b.vds, vi)
		b.vdByNS[nsName{vd.Namespace(), vd.Name()}] = vi
		for _, ci := range b.clusters {
			ci.vdBackends[vi] = b.vdBackend(vi, ci)
		}
	}
}

// serviceHost is an inventory Service's in-cluster host name with the clusters where it exists.
type serviceHost struct {
	svc      *schema.Service // the first by cluster name
	clusters []string
}

// serviceHosts indexes every inventory Service by its <name>.<namespace>.svc.<clusterDomain>.
func (b *builder) serviceHosts() map[string]*serviceHost {
	out := map[string]*serviceHost{}
	for _, ci := range b.clusters {
		for _, s := range ci.services {
			h := ci.fqdn(s)
			if out[h] == nil {
				out[h] = &serviceHost{svc: s}
			}
			out[h].clusters = append(out[h].clusters, ci.name)
		}
	}
	return out
}

func (b *builder) checkVDPorts(vi *vdInfo) {
	// A ServiceEntry port number (and name, <protocol>-<number>) must be unique: Istio refuses
	// the object otherwise.
	seen := map[uint32]int{}
	for i, p := range vi.vd.Spec.Ports {
		if j, ok := seen[p.Number]; ok {
			at := "/spec/ports/" + strconv.Itoa(i) + "/number"
			b.report(on(&vi.vd.Object, at, diag.DuplicatePort(vi.vd.FieldPos(at), p.Number, vi.vd.Namespace(), vi.vd.Name())).
				WithRelated(vi.vd.FieldPos("/spec/ports/"+strconv.Itoa(j)), "first listed here").
				WithHint("each port number once: its ServiceEntry would have two ports %d, which Istio refuses", p.Number))
			continue
		}
		seen[p.Number] = i
	}
	if len(vi.hosts) < 2 {
		return
	}
	for i, p := range vi.vd.Spec.Ports {
		if proto := vdProtocol(p); !multiHostProtocols[proto] {
			at := "/spec/ports/" + strconv.Itoa(i) + "/protocol"
			b.report(on(&vi.vd.Object, at, diag.MultiHostNonHTTPDestination(vi.vd.FieldPos(at), p.Number, proto, len(vi.hosts))).
				WithHint("use one host, or an HTTP, HTTPS, GRPC, HTTP2 or TLS port"))
		}
	}
}

// vdProtocol is a port's protocol, upper case; left out it is HTTP (meshroute routes HTTP).
func vdProtocol(p schema.PortMapping) string {
	if p.Protocol == "" {
		return model.ProtocolHTTP
	}
	return strings.ToUpper(p.Protocol)
}

// selectBacking picks at most one backing Service per cluster (the first by namespace/name,
// MR4002 when there are more) in the VD's namespace, and resolves the ports against it.
func (b *builder) selectBacking(vi *vdInfo) {
	vd := vi.vd
	for i, sel := range vd.Spec.Services {
		if c := sel.Cluster; c != "" && b.byName[c] == nil {
			b.report(b.unknownCluster(&vd.Object, "/spec/services/"+strconv.Itoa(i)+"/cluster", c))
		}
	}
	noSelector := false
	var invisible *diag.Diagnostic // the first Service refused only because of workspaces
	for _, ci := range b.clusters {
		var found []*schema.Service
		for _, s := range ci.servicesIn(vd.Namespace()) {
			for k := range vd.Spec.Services {
				sel := &vd.Spec.Services[k]
				if !selects(sel, s.Name(), s.Namespace(), ci.name, s.Metadata.Labels) || !b.inWorkspace(sel.Workspace, &s.Object) {
					continue
				}
				if d, hidden := b.hidden(&vd.Object, &s.Object, ci.name, &vd.Object, "/spec/services/"+strconv.Itoa(k)); hidden {
					invisible = cmp.Or(invisible, &d)
					continue
				}
				found = append(found, s)
				break
			}
		}
		if len(found) == 0 {
			continue
		}
		if len(found) > 1 {
			b.report(on(&vd.Object, "/spec/services", diag.SeveralBackingServices(vd.FieldPos("/spec/services"), vd.Namespace(), vd.Name(), len(found), ci.name, found[0].Namespace(), found[0].Name())).
				WithRelated(found[1].Pos, "also selected").
				WithHint("narrow the selector (name or labels) to one Service per cluster"))
		}
		if len(found[0].Spec.Selector) == 0 {
			// The ServiceEntry selects the backing pods by the Service's selector; a Service
			// without one (hand-made Endpoints, ExternalName) has no pods to select, and left in
			// it would turn this cluster's ServiceEntry into a pointer at the other clusters'
			// gateways, which point back here.
			b.report(on(&vd.Object, "/spec/services", diag.BackingServiceWithoutSelector(vd.FieldPos("/spec/services"), vd.Namespace(), vd.Name(), found[0].Namespace(), found[0].Name(), ci.name)).
				WithRelated(found[0].Pos, "the Service without spec.selector").
				WithHint("a backing Service needs spec.selector; exclude this one from services[] (by name, cluster or labels)"))
			noSelector = true
			continue
		}
		vi.backing[ci.name] = found[0]
		vi.clusters = append(vi.clusters, ci.name)
		vi.ports[ci.name] = b.vdPorts(vi, ci.name, found[0])
	}
	if len(vd.Spec.Services) == 0 && len(vd.Spec.ExternalServices) > 0 {
		return // backed by ExternalServices only
	}
	if len(vi.clusters) == 0 && !noSelector && invisible != nil {
		b.report(*invisible)
		return
	}
	if len(vi.clusters) == 0 && !noSelector {
		// A selector naming another namespace is the likely cause: point at it.
		for i, sel := range vd.Spec.Services {
			if sel.Namespace != "" && sel.Namespace != vd.Namespace() {
				at := "/spec/services/" + strconv.Itoa(i) + "/namespace"
				d := on(&vd.Object, at, diag.VirtualDestinationSelectsOtherNamespace(vd.FieldPos(at), vd.Namespace(), vd.Name(), i, sel.Namespace))
				b.report(d.WithHint("backing Services must be in the VirtualDestination's namespace %s; to use Services of namespace %s, declare the VirtualDestination there", vd.Namespace(), sel.Namespace))
				return
			}
		}
		d := on(&vd.Object, "/spec/services", diag.VirtualDestinationSelectsNothing(vd.FieldPos("/spec/services"), vd.Namespace(), vd.Name()))
		b.report(d.WithHint("backing Services must be in namespace %s and carry the selected labels in metadata.labels", vd.Namespace()))
	}
}

// vdPorts resolves every VD port's pod port against a backing Service: a number matches a
// Service port's targetPort, else its port (then that port's targetPort); a name matches a
// Service port's name (DESIGN.md §2).
func (b *builder) vdPorts(vi *vdInfo, cluster string, s *schema.Service) []*model.BackendPort {
	var out []*model.BackendPort
	for i, p := range vi.vd.Spec.Ports {
		proto := vdProtocol(p)
		bp := &model.BackendPort{Number: p.Number, Protocol: proto, Name: naming.BackendPort(proto, p.Number)}
		want := schema.PortSelector{Number: p.Number}
		if p.TargetPort.IsSet() {
			want = *p.TargetPort
		}
		path := "/spec/ports/" + strconv.Itoa(i) + "/targetPort"
		k := podPort(s, want)
		target := want.Number
		switch {
		case k < 0:
			b.report(on(&vi.vd.Object, path, diag.TargetPortNotOnService(vi.vd.FieldPos(path), portString(want), s.Namespace(), s.Name(), cluster)).
				WithHint("the Service's ports: %s; a number matches a targetPort or a port, a name a port name", servicePortList(s)))
		default:
			if n, name := s.Spec.Ports[k].Target(); name == "" {
				target = n
			} else {
				b.report(namedTargetPort(on(&vi.vd.Object, path, diag.VirtualDestinationNamedTargetPort(vi.vd.FieldPos(path), portString(want), vi.vd.Namespace(), vi.vd.Name(), s.Namespace(), s.Name(), s.Spec.Ports[k].Port, cluster, name)), s, k))
			}
		}
		bp.TargetPort = target
		out = append(out, bp)
	}
	return out
}

// namedTargetPort completes a diagnostic about Service port k of s, whose targetPort names a
// container port: only the pod spec knows its number, and meshroute never sees pods, while
// Istio's ServiceEntry needs the number (left out, it would send traffic to the Service port).
func namedTargetPort(d diag.Diagnostic, s *schema.Service, k int) diag.Diagnostic {
	return d.WithRelated(s.FieldPos("/spec/ports/"+strconv.Itoa(k)+"/targetPort"), "the named targetPort").
		WithHint("meshroute cannot see pods to resolve a container port name: declare the number the pods listen on in the inventory Service (targetPort: <number>)")
}

// podPort returns the index of the Service port a VD targetPort names on s, or -1: a number
// matches a numeric targetPort first, then a port; a name matches a port name.
func podPort(s *schema.Service, want schema.PortSelector) int {
	if want.Number == 0 {
		for k, sp := range s.Spec.Ports {
			if want.Name != "" && sp.Name == want.Name {
				return k
			}
		}
		return -1
	}
	for k, sp := range s.Spec.Ports {
		if n, _ := sp.Target(); n == want.Number {
			return k
		}
	}
	for k, sp := range s.Spec.Ports {
		if sp.Port == want.Number {
			return k
		}
	}
	return -1
}

// vdBackend is the VirtualDestination as seen from ci: the local backing Service (if any), and
// every other backing cluster through its east-west gateway.
func (b *builder) vdBackend(vi *vdInfo, ci *clusterInfo) *model.Backend {
	vd := vi.vd
	host := vi.hosts[0]
	if vi.entry == "" {
		vi.entry, vi.rule = naming.VirtualDestinationEntry(host), naming.DestinationRule(host)
		vi.entrySelector = map[string]string{model.LabelVirtualDestination: vi.entry}
	}
	be := &model.Backend{
		Host:            host,
		Hosts:           vi.hosts,
		Kind:            model.BackendVirtualDestination,
		Namespace:       vd.Namespace(),
		Origin:          origin(&vd.Object),
		ServiceEntry:    vi.entry,
		DestinationRule: vi.rule,
		MTLS:            true,
	}
	if vx := vi.externals; vx != nil {
		// Istio's auto mTLS takes the mesh endpoints (labelled tlsMode: istio) and leaves the
		// external ones to their TLS origination, which ISTIO_MUTUAL on the host would replace.
		be.MTLS = false
		be.Externals = vx.endpoints
	}
	if s := vi.backing[ci.name]; s != nil {
		be.WorkloadSelector = s.Spec.Selector
	} else {
		// Another cluster's selector would also pick the local pods the VirtualDestination left
		// out of this cluster: select meshroute's own WorkloadEntries only.
		be.WorkloadSelector = vi.entrySelector
	}
	ref := ci.name
	if vi.backing[ref] == nil && len(vi.clusters) > 0 {
		ref = vi.clusters[0]
	}
	if vi.backing[ref] != nil {
		be.Ports = vi.ports[ref]
	} else {
		for _, p := range vd.Spec.Ports {
			proto := vdProtocol(p)
			be.Ports = append(be.Ports, &model.BackendPort{Number: p.Number, Protocol: proto, Name: naming.BackendPort(proto, p.Number), TargetPort: p.Number})
		}
	}
	if vx := vi.externals; vx != nil {
		be.Ports = withTLS(be.Ports, vx.tls)
	}
	if s := vi.backing[ci.name]; s != nil {
		be.Local = &model.LocalEndpoint{Service: s.Name(), Namespace: s.Namespace(), FQDN: ci.fqdn(s), Selector: s.Spec.Selector}
	}
	for _, c := range vi.clusters {
		if c == ci.name {
			continue
		}
		r, ok := b.eastWest(b.byName[c], &vd.Object, vd.Pos, "VirtualDestination "+vd.Namespace()+"/"+vd.Name())
		if !ok {
			continue
		}
		r.WorkloadEntry = naming.WorkloadEntry(host, c)
		be.Remotes = append(be.Remotes, r)
	}
	return be
}
