package istio

import (
	"maps"
	"strings"

	networking "istio.io/api/networking/v1"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/render"
)

// backendObjects emits what one destination host needs in one cluster: its ServiceEntry (VD and
// federated hosts), a WorkloadEntry per remote cluster of a VD, and its DestinationRule.
func backendObjects(b *model.Backend) []render.Object {
	var objs []render.Object
	if b.ServiceEntry != "" {
		objs = append(objs, serviceEntry(b))
		objs = append(objs, workloadEntries(b)...)
	}
	if b.DestinationRule != "" {
		objs = append(objs, destinationRule(b, b.Host, b.DestinationRule))
		// Sidecars may call any host of a VirtualDestination, and the east-west gateway only
		// passes mTLS with SNI through: every host gets ISTIO_MUTUAL (DESIGN §3).
		for _, h := range b.OtherMTLSHosts() {
			objs = append(objs, destinationRule(b, h, naming.DestinationRule(h)))
		}
	}
	return objs
}

// serviceEntry gives the host a VIP and its endpoints. Local pods are selected by the backing
// Service's selector; remote clusters are reached through their east-west gateways — as
// WorkloadEntries carrying the selected labels (VD hosts) or as inline endpoints (a federated host
// outside its own cluster, which has no local pods to select).
func serviceEntry(b *model.Backend) render.Object {
	if b.Kind == model.BackendExternal {
		return externalEntry(b)
	}
	spec := &networking.ServiceEntry{
		Hosts:      b.Hosts,
		Location:   networking.ServiceEntry_MESH_INTERNAL,
		Resolution: networking.ServiceEntry_STATIC,
		ExportTo:   entryExportTo(b),
	}
	if b.ExternalsResolveByDNS() {
		// istiod selects a WorkloadEntry whose address is a DNS name only for a ServiceEntry of
		// DNS resolution; IP addresses (pods, east-west gateways) resolve to themselves there.
		spec.Resolution = networking.ServiceEntry_DNS
	}
	if b.VIP != "" {
		spec.Addresses = []string{b.VIP}
	}
	for _, p := range b.Ports {
		spec.Ports = append(spec.Ports, &networking.ServicePort{
			Number: p.Number, Name: p.Name, Protocol: p.Protocol, TargetPort: p.TargetPort,
		})
	}
	if b.WorkloadSelector != nil {
		spec.WorkloadSelector = &networking.WorkloadSelector{Labels: b.WorkloadSelector}
	} else {
		spec.Endpoints = inlineEndpoints(b)
	}
	return object(KindServiceEntry, b.Namespace, b.ServiceEntry, b.Origin, spec)
}

// inlineEndpoints are the remote east-west gateways of a ServiceEntry without workloadSelector.
// A DestinationRule subset selects endpoints by label, and the gateway itself carries none, so
// each remote appears once per subset with that subset's labels (the remote gateway picks the
// subset from the SNI); without subsets it appears once. Every one is marked as speaking Istio
// mTLS.
func inlineEndpoints(b *model.Backend) []*networking.WorkloadEntry {
	var out []*networking.WorkloadEntry
	for _, r := range b.Remotes {
		entry := func(labels map[string]string) *networking.WorkloadEntry {
			return &networking.WorkloadEntry{
				Address:  r.Address,
				Ports:    gatewayPorts(b, r),
				Labels:   endpointLabels(labels, r),
				Network:  r.Network,
				Locality: r.Locality,
			}
		}
		if len(b.Subsets) == 0 {
			out = append(out, entry(nil))
		}
		for _, s := range b.Subsets {
			out = append(out, entry(s.Labels))
		}
	}
	return out
}

// workloadEntries stand for a VD's backing Services in other clusters: each is that cluster's
// east-west gateway, labelled so the ServiceEntry's workloadSelector picks it up (next to the
// local pods where a local Service backs the host) and marked as speaking Istio mTLS; and for
// its ExternalService backends, one per address.
func workloadEntries(b *model.Backend) []render.Object {
	var objs []render.Object
	if b.WorkloadSelector == nil {
		return nil
	}
	for _, r := range b.Remotes {
		if r.WorkloadEntry == "" {
			continue
		}
		spec := &networking.WorkloadEntry{
			Address:  r.Address,
			Ports:    gatewayPorts(b, r),
			Labels:   endpointLabels(b.WorkloadSelector, r),
			Network:  r.Network,
			Locality: r.Locality,
		}
		objs = append(objs, object(KindWorkloadEntry, b.Namespace, r.WorkloadEntry, b.Origin, spec))
	}
	// A VirtualDestination's ExternalService backends: outside the mesh, so no tlsMode label (auto
	// mTLS leaves them plain, or to the port's TLS origination), no network (reachable from
	// every one), their ExternalEndpoint's locality.
	for _, x := range b.Externals {
		if x.WorkloadEntry == "" {
			continue
		}
		spec := &networking.WorkloadEntry{Address: x.Address, Ports: x.Ports, Labels: maps.Clone(b.WorkloadSelector), Locality: x.Locality}
		objs = append(objs, object(KindWorkloadEntry, b.Namespace, x.WorkloadEntry, b.Origin, spec))
	}
	return objs
}

// tlsModeLabel marks an endpoint that speaks Istio mutual TLS. In a multi-network mesh istiod's
// split-horizon EDS keeps a cross-network endpoint only when it carries it; every remote endpoint
// is an east-west gateway, which does.
const tlsModeLabel, tlsModeIstio = "security.istio.io/tlsMode", "istio"

// withTLSMode returns a copy of labels plus the tlsMode label.
func withTLSMode(labels map[string]string) map[string]string {
	out := make(map[string]string, len(labels)+1)
	maps.Copy(out, labels)
	out[tlsModeLabel] = tlsModeIstio
	return out
}

// gatewayPorts maps every ServiceEntry port to the east-west gateway port: the gateway routes by
// SNI, so every service port arrives on the same gateway port.
func gatewayPorts(b *model.Backend, r *model.RemoteEndpoint) map[string]uint32 {
	if len(b.Ports) == 0 {
		return nil
	}
	ports := make(map[string]uint32, len(b.Ports))
	for _, p := range b.Ports {
		ports[p.Name] = r.Port
	}
	return ports
}

// destinationRule carries the host's client TLS (Istio mutual TLS, which the east-west gateway's
// SNI passthrough needs) and destination policies, every subset any route uses, and the
// namespaces that need it.
func destinationRule(b *model.Backend, host, name string) render.Object {
	spec := &networking.DestinationRule{Host: host, ExportTo: b.ExportTo, TrafficPolicy: trafficPolicy(b)}
	for _, s := range b.Subsets {
		spec.Subsets = append(spec.Subsets, &networking.Subset{Name: s.Name, Labels: s.Labels})
	}
	return object(KindDestinationRule, b.Namespace, name, b.Origin, spec)
}

// externalEntry declares an ExternalService outside the mesh: resolved by DNS, or at the
// addresses of its ExternalEndpoints (STATIC when they are all IPs), or, for wildcard hosts and
// addresses without endpoints, not resolved at all (NONE). Without endpoints a port's
// targetPort number is where the host is reached.
func externalEntry(b *model.Backend) render.Object {
	spec := &networking.ServiceEntry{
		Hosts:      b.Hosts,
		Location:   networking.ServiceEntry_MESH_EXTERNAL,
		Resolution: networking.ServiceEntry_DNS,
		ExportTo:   entryExportTo(b),
	}
	static := len(b.Externals) > 0
	for _, ep := range b.Externals {
		static = static && ep.IsIP()
		spec.Endpoints = append(spec.Endpoints, &networking.WorkloadEntry{Address: ep.Address, Ports: ep.Ports, Locality: ep.Locality})
	}
	switch {
	case static:
		spec.Resolution = networking.ServiceEntry_STATIC
	case len(b.Externals) == 0 && (len(b.Addresses) > 0 || strings.HasPrefix(b.Host, "*")):
		// Nothing to resolve: a wildcard names no server and an address is where the client
		// already connects, so the proxy passes the connection to its original destination.
		spec.Resolution = networking.ServiceEntry_NONE
	}
	spec.Addresses = b.Addresses
	for _, p := range b.Ports {
		sp := &networking.ServicePort{Number: p.Number, Name: p.Name, Protocol: p.Protocol}
		if len(b.Externals) == 0 && p.TargetPort != p.Number {
			sp.TargetPort = p.TargetPort
		}
		spec.Ports = append(spec.Ports, sp)
	}
	return object(KindServiceEntry, b.Namespace, b.ServiceEntry, b.Origin, spec)
}

// entryExportTo is a ServiceEntry's exportTo: every namespace, unless Workspaces narrowed it.
func entryExportTo(b *model.Backend) []string {
	if b.EntryExportTo != nil {
		return b.EntryExportTo
	}
	return []string{"*"}
}
