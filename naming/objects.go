package naming

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Gateway is the Istio Gateway (and Envoy bootstrap) of VirtualGateway vg in namespace ns:
// virtualgateway-<vg>-<ns>, with -<service> when the VirtualGateway selects more than one gateway
// Service of a namespace (service is then that Service's name, else empty).
func Gateway(vg, ns, service string) string {
	name := "virtualgateway-" + vg + "-" + ns
	if service != "" {
		name += "-" + service
	}
	return DNSName(name)
}

// RouteSet is the VirtualService of root RouteTable rt in namespace ns: routetable-<rt>-<ns>, with
// -mesh for the sidecar set of a table that is also served by gateways.
func RouteSet(rt, ns string, mesh bool) string {
	name := "routetable-" + rt + "-" + ns
	if mesh {
		name += "-mesh"
	}
	return DNSName(name)
}

// EgressSet is the VirtualService of the egress routes of ExternalService es in namespace ns:
// externalservice-<es>-<ns> on the egress gateways, with -mesh for the sidecars' half.
func EgressSet(es, ns string, mesh bool) string {
	name := "externalservice-" + es + "-" + ns
	if mesh {
		name += "-mesh"
	}
	return DNSName(name)
}

// VirtualDestinationEntry is the ServiceEntry of a VirtualDestination host: vd-<host>.
func VirtualDestinationEntry(host string) string { return DNSName("vd-" + host) }

// WorkloadEntry is the WorkloadEntry of a VirtualDestination host for the backends of another
// cluster: vd-<host>-<cluster>.
func WorkloadEntry(host, cluster string) string { return DNSName("vd-" + host + "-" + cluster) }

// ExternalAddressHost is the ServiceEntry host of an ExternalService with addresses and no hosts:
// <name>.<namespace>.external (Istio requires a host; no DNS name ends in .external).
func ExternalAddressHost(name, namespace string) string { return name + "." + namespace + ".external" }

// ExternalWorkloadEntry is the WorkloadEntry of a VirtualDestination host for one address of its
// ExternalService backends: vd-<host>-ext-<address>.
func ExternalWorkloadEntry(host, address string) string {
	return DNSName("vd-" + host + "-ext-" + address)
}

// FederatedEntry is the ServiceEntry of the federated host of Service svc in namespace ns of
// cluster: fed-<svc>-<ns>-<cluster>.
func FederatedEntry(svc, ns, cluster string) string {
	return DNSName("fed-" + svc + "-" + ns + "-" + cluster)
}

// ExternalEntry is the ServiceEntry of an ExternalService's first host: ext-<host>.
func ExternalEntry(host string) string { return DNSName("ext-" + host) }

// DestinationRule is the DestinationRule of a host: dr-<host>.
func DestinationRule(host string) string { return DNSName("dr-" + host) }

// ListenerPort is a gateway server port name: <protocol>-<target port>-<first host>, "all" for the
// host "*" (or none); n > 1 numbers the n-th listener that would get the same name.
func ListenerPort(protocol string, target uint32, firstHost string, n int) string {
	if firstHost == "" || firstHost == "*" {
		firstHost = "all"
	}
	name := strings.ToLower(protocol) + "-" + strconv.FormatUint(uint64(target), 10) + "-" + firstHost
	if n > 1 {
		name += "-" + strconv.Itoa(n)
	}
	return DNSName(name)
}

// BackendPort is a ServiceEntry port name: <protocol>-<number>.
func BackendPort(protocol string, number uint32) string {
	return DNSName(strings.ToLower(protocol) + "-" + strconv.FormatUint(uint64(number), 10))
}

// Subset is the subset name of a label selection: its <key>-<value> pairs sorted by key, joined
// by '-'. Different selections can share a name (sanitising); the compiler reports that.
func Subset(labels map[string]string) string {
	keys := slices.Sorted(maps.Keys(labels))
	parts := make([]string, 0, 2*len(keys))
	for _, k := range keys {
		parts = append(parts, k, labels[k])
	}
	return DNSName(strings.Join(parts, "-"))
}
