package model

import (
	"net/netip"
	"slices"
)

// Backend kinds.
const (
	BackendService            = "SERVICE"             // a Service of the compiled cluster
	BackendFederated          = "FEDERATED"           // a Service of another cluster, <svc>.<ns>.svc.<cluster>.global
	BackendVirtualDestination = "VIRTUAL_DESTINATION" // a VirtualDestination host
	BackendExternal           = "EXTERNAL_SERVICE"    // an ExternalService host, outside the mesh
)

// LabelVirtualDestination marks meshroute's WorkloadEntries of one VirtualDestination host; its
// value is the host's ServiceEntry name, unique in the namespace (the generated-name check), so a
// ServiceEntry selecting it picks up those WorkloadEntries and no pod.
const LabelVirtualDestination = "meshroute.dev/virtual-destination"

// Backend is a destination host and everything needed to reach it from one cluster.
type Backend struct {
	// Host is the first host; Hosts all of them (a VirtualDestination may have several).
	Host      string
	Hosts     []string
	Kind      string
	Namespace string // the owner's namespace (VirtualDestination or Service)
	Origin    Origin // the VirtualDestination or Service
	// ServiceEntry is the generated ServiceEntry name (vd-<host>, fed-<svc>-<ns>-<cluster>), empty
	// for a local Service (which needs none). DestinationRule is dr-<host>; empty for a local
	// Service no subset needs (such a backend is reachable from Destination.Backend but is not in
	// Cluster.Backends).
	ServiceEntry    string
	DestinationRule string
	// Addresses are an address-only ExternalService's IPs and CIDR blocks (its Host is then
	// generated, <name>.<namespace>.external).
	Addresses []string
	// VIP is the ServiceEntry address (a pin, the previous output's, or hashed into 240.0.0.0/4
	// outside 240.240.0.0/16), the same in every cluster.
	VIP   string
	Ports []*BackendPort
	// MTLS is set for VirtualDestination and federated hosts (ISTIO_MUTUAL).
	MTLS bool
	// ExportTo are the namespaces whose proxies use the DestinationRules in this cluster, sorted;
	// ["*"] when any of them is every namespace. Nil without a DestinationRule.
	ExportTo []string
	// EntryExportTo, once Workspaces are declared, are the namespaces the ServiceEntry is
	// exported to: its workspace's scope and its users, sorted; nil means every namespace.
	EntryExportTo []string
	// Subsets are every subset any route uses, in any cluster, sorted by name.
	Subsets []*Subset
	// WorkloadSelector is the ServiceEntry's workloadSelector: the local backing Service's
	// selector, or, for a VirtualDestination with no backing Service here, only
	// LabelVirtualDestination (so that local pods it left out never become backends); nil for a
	// federated host outside its own cluster, which uses Endpoints instead. The WorkloadEntries of
	// Remotes carry these labels.
	WorkloadSelector map[string]string
	// Local is the backing Service in this cluster, if any.
	Local *LocalEndpoint
	// Remotes are the other clusters' backing Services, reached through their east-west
	// gateways, sorted by cluster name.
	Remotes []*RemoteEndpoint
	// Externals are the ExternalEndpoints an ExternalService host selects, in input order; none
	// means its hosts are resolved by DNS. For a VirtualDestination they are its ExternalService
	// backends (an ExternalService resolved by DNS stands as its first host), each a WorkloadEntry.
	Externals []*ExternalEndpoint
	// Policy is what the destination policies set on every port; PortPolicies the effective
	// settings of each port a policy names, sorted by port (destpolicy.go). A DestinationRule
	// carries them.
	Policy       *DestinationPolicy
	PortPolicies []*PortPolicy
}

// OtherMTLSHosts are the hosts besides Host that get a DestinationRule of their own, dr-<host>:
// a VirtualDestination's further hosts, which sidecars reach through the same ServiceEntry and
// east-west gateways (or ExternalService backends) and so need ISTIO_MUTUAL (or the backends'
// TLS origination) as much as the first (DESIGN.md §3: one DestinationRule per host per cluster).
func (b *Backend) OtherMTLSHosts() []string {
	if b.Kind != BackendVirtualDestination || b.DestinationRule == "" || len(b.Hosts) < 2 {
		return nil
	}
	return b.Hosts[1:]
}

// Port returns the backend port with that number.
func (b *Backend) Port(number uint32) *BackendPort {
	for _, p := range b.Ports {
		if p.Number == number {
			return p
		}
	}
	return nil
}

// BackendPort is one port of a Backend.
type BackendPort struct {
	Number     uint32 // what clients address
	Name       string // generated: <protocol>-<number> (lower case)
	Protocol   string // HTTP, HTTPS, GRPC, HTTP2, TCP, TLS, MONGO
	TargetPort uint32 // the pod port (0 when a Service names its targetPort)
	// TLS is the TLS an ExternalService port has clients originate (clientsideTls); nil: none.
	TLS *ClientTLS
}

// ExternalEndpoint is an address outside the mesh behind an ExternalService host.
type ExternalEndpoint struct {
	Address string // an IP address or a DNS name
	// Ports maps each BackendPort name to the endpoint's port number.
	Ports map[string]uint32
	// Locality is the ExternalEndpoint's "region/zone/subzone" ("" when it names none).
	Locality string
	// WorkloadEntry is the generated WorkloadEntry name of a VirtualDestination's external
	// endpoint (vd-<host>-ext-<address>); empty for an ExternalService host's own endpoints.
	WorkloadEntry string
}

// IsIP reports whether the endpoint's address is an IP address (else a DNS name to resolve).
func (e *ExternalEndpoint) IsIP() bool {
	_, err := netip.ParseAddr(e.Address)
	return err == nil
}

// ExternalsResolveByDNS reports whether some external endpoint is a DNS name: its ServiceEntry
// needs DNS resolution (Istio selects WorkloadEntries with DNS names only for ServiceEntries of
// DNS resolution) and its Envoy cluster STRICT_DNS.
func (b *Backend) ExternalsResolveByDNS() bool {
	return slices.ContainsFunc(b.Externals, func(e *ExternalEndpoint) bool { return !e.IsIP() })
}

// Subset is a named group of a Backend's endpoints, selected by pod labels.
type Subset struct {
	Name   string
	Labels map[string]string
}

// LocalEndpoint is the backing Service in the compiled cluster.
type LocalEndpoint struct {
	Service   string
	Namespace string
	FQDN      string // <svc>.<ns>.svc.<domain>
	Selector  map[string]string
}

// RemoteEndpoint is a backing Service in another cluster, reached through its east-west gateway.
type RemoteEndpoint struct {
	Cluster  string
	Address  string // the east-west gateway IP
	Port     uint32 // the east-west gateway port (15443 by default)
	Network  string
	Locality string
	// WorkloadEntry is the generated WorkloadEntry name (vd-<host>-<cluster>); empty for a
	// federated host, whose endpoints are inline in the ServiceEntry.
	WorkloadEntry string
	// Labels are the topology labels a FailoverPolicy's priorityLabels compare (region, zone,
	// network), with this cluster's values; nil without such a policy.
	Labels map[string]string
}
