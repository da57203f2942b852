package envoy

import (
	"net/netip"
	"slices"
	"strings"

	clusterv3 "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	endpointv3 "github.com/envoyproxy/go-control-plane/envoy/config/endpoint/v3"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/naming"
)

// Endpoints reached through an east-west gateway carry this metadata, which selects the cluster's
// Istio mTLS transport socket (the same key and value Istio's own endpoints use).
const (
	socketMatchKey = "envoy.transport_socket_match"
	// upstreamHTTPOptions keys a cluster's HTTP protocol options.
	upstreamHTTPOptions = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions"
	tlsModeKey          = "tlsMode"
	tlsModeIstio        = "istio"
)

// destCluster is one upstream cluster a route names: a destination host, port and subset.
type destCluster struct {
	name string
	dest *model.Destination
}

// useCluster records that a route sends to d and returns the cluster's name.
func (e *emitter) useCluster(d *model.Destination) string {
	name := naming.EnvoyCluster(d.Port, d.Subset, d.Host)
	if _, ok := e.clusters[name]; !ok {
		e.clusters[name] = &destCluster{name: name, dest: d}
	}
	return name
}

// upstreamClusters builds every cluster the routes named, sorted by name.
func (e *emitter) upstreamClusters() []*clusterv3.Cluster {
	names := make([]string, 0, len(e.clusters))
	for n := range e.clusters {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]*clusterv3.Cluster, 0, len(names))
	for _, n := range names {
		out = append(out, e.upstreamCluster(e.clusters[n]))
	}
	return out
}

// endpoint is one address an upstream cluster reaches, in one locality.
type endpoint struct {
	address  string
	port     uint32
	locality string
	remote   bool   // through an east-west gateway: needs Istio mTLS
	cluster  string // the backing cluster
}

// endpoints are the local Service (by its FQDN) and every other backing cluster's east-west
// gateway, as the model lists them: all of equal priority, so traffic is active-active, unless
// the destination policies give them priorities or weights (clusterpolicy.go).
func (e *emitter) endpoints(d *model.Destination) []endpoint {
	b := d.Backend
	if b == nil {
		// A Service of this cluster without subsets: its ClusterIP answers on the Service port.
		return []endpoint{{address: d.Host, port: d.Port, locality: e.cluster.Locality, cluster: e.cluster.Name}}
	}
	if b.Kind == model.BackendExternal {
		return externalEndpoints(d, e.cluster.Name)
	}
	var out []endpoint
	if b.Local != nil {
		// DESIGN §4: the local Service FQDN and the target (pod) port — right for a headless
		// Service, whose name resolves to the pods; a ClusterIP answers on Service ports only
		// (docs/envoy.md). A targetPort given by name has no number: the Service port is used.
		port := d.Port
		if bp := b.Port(d.Port); bp != nil && bp.TargetPort != 0 {
			port = bp.TargetPort
		}
		out = append(out, endpoint{address: b.Local.FQDN, port: port, locality: e.cluster.Locality, cluster: e.cluster.Name})
	}
	for _, r := range b.Remotes {
		out = append(out, endpoint{address: r.Address, port: r.Port, locality: r.Locality, remote: true, cluster: r.Cluster})
	}
	// A VirtualDestination's ExternalService backends, named by address as the model's endpoint
	// order names them.
	if bp := b.Port(d.Port); bp != nil {
		for _, x := range b.Externals {
			out = append(out, endpoint{address: x.Address, port: x.Ports[bp.Name], locality: x.Locality, cluster: x.Address})
		}
	}
	return out
}

func (e *emitter) upstreamCluster(dc *destCluster) *clusterv3.Cluster {
	dp := destinationPolicy(dc.dest)
	eps := e.endpoints(dc.dest)
	kind := clusterv3.Cluster_STATIC
	remote := false
	for _, ep := range eps {
		if _, err := netip.ParseAddr(ep.address); err != nil {
			kind = clusterv3.Cluster_STRICT_DNS // STATIC takes IP addresses only
		}
		remote = remote || ep.remote
	}
	c := &clusterv3.Cluster{
		Name:                 dc.name,
		ClusterDiscoveryType: &clusterv3.Cluster_Type{Type: kind},
		LoadAssignment:       &endpointv3.ClusterLoadAssignment{ClusterName: dc.name, Endpoints: localities(eps, dp)},
	}
	if opts := httpOptions(dc.dest, dp); opts != nil {
		c.TypedExtensionProtocolOptions = map[string]*anypb.Any{upstreamHTTPOptions: toAny(opts)}
	}
	e.applyDestinationPolicy(c, dc.dest, dp)
	if dp == nil || dp.TLS == nil {
		// An ExternalService port originating TLS by itself.
		if bp := backendPort(dc.dest); bp != nil {
			e.clientTLS(c, dc.dest, bp.TLS)
		}
	}
	if remote {
		c.TransportSocketMatches = []*clusterv3.Cluster_TransportSocketMatch{{
			Name:            "istio-mtls",
			Match:           &structpb.Struct{Fields: map[string]*structpb.Value{tlsModeKey: structpb.NewStringValue(tlsModeIstio)}},
			TransportSocket: e.istioMTLS(dc.dest),
		}}
	}
	return c
}

// http2Upstream: a backend port declared GRPC or HTTP2 speaks HTTP/2 only, and Envoy speaks
// HTTP/1.1 upstream unless told otherwise (Istio picks the protocol from the port the same way).
// A plain local Service has no declared protocol in the model and gets HTTP/1.1.
func http2Upstream(d *model.Destination) bool {
	if d.Backend == nil {
		return false
	}
	p := d.Backend.Port(d.Port)
	return p != nil && (p.Protocol == "GRPC" || p.Protocol == "HTTP2")
}

// localities groups endpoints by priority and locality in first-seen order; endpoints sharing
// both (two clusters in one zone) share a group. The priorities and weights are the model's
// (nil dp: every endpoint at priority 0, unweighted); an endpoint a distribute mapping gives no
// weight gets no traffic and is left out.
func localities(eps []endpoint, dp *model.DestinationPolicy) []*endpointv3.LocalityLbEndpoints {
	var out []*endpointv3.LocalityLbEndpoints
	type group struct {
		priority uint32
		locality string
	}
	index := map[group]int{}
	for _, ep := range eps {
		var prio, weight uint32
		if dp != nil {
			prio = dp.EndpointPriority[ep.cluster]
			if dp.EndpointWeight != nil {
				if weight = dp.EndpointWeight[ep.cluster]; weight == 0 {
					continue
				}
			}
		}
		g := group{prio, ep.locality}
		i, ok := index[g]
		if !ok {
			i = len(out)
			index[g] = i
			out = append(out, &endpointv3.LocalityLbEndpoints{Locality: locality(ep.locality), Priority: prio})
			if weight > 0 {
				out[i].LoadBalancingWeight = wrapperspb.UInt32(weight)
			}
		}
		lb := &endpointv3.LbEndpoint{HostIdentifier: &endpointv3.LbEndpoint_Endpoint{Endpoint: &endpointv3.Endpoint{
			Address: socketAddress(ep.address, ep.port),
		}}}
		if ep.remote {
			lb.Metadata = &corev3.Metadata{FilterMetadata: map[string]*structpb.Struct{
				socketMatchKey: {Fields: map[string]*structpb.Value{tlsModeKey: structpb.NewStringValue(tlsModeIstio)}},
			}}
		}
		out[i].LbEndpoints = append(out[i].LbEndpoints, lb)
	}
	return out
}

// locality parses the model's "region/zone".
func locality(s string) *corev3.Locality {
	if s == "" {
		return nil
	}
	region, zone, _ := strings.Cut(s, "/")
	return &corev3.Locality{Region: region, Zone: zone}
}

// externalEndpoints are an ExternalService host's ExternalEndpoints on the port's endpoint port,
// or, without endpoints, the host itself on the targetPort (else the port): a STRICT_DNS cluster
// then resolves it, as Istio's DNS resolution does.
func externalEndpoints(d *model.Destination, cluster string) []endpoint {
	bp := d.Backend.Port(d.Port)
	if len(d.Backend.Externals) == 0 {
		port := d.Port
		if bp != nil && bp.TargetPort != 0 {
			port = bp.TargetPort
		}
		return []endpoint{{address: d.Host, port: port, cluster: cluster}}
	}
	out := make([]endpoint, 0, len(d.Backend.Externals))
	for _, ep := range d.Backend.Externals {
		out = append(out, endpoint{address: ep.Address, port: ep.Ports[bp.Name], locality: ep.Locality, cluster: cluster})
	}
	return out
}

// backendPort is the backend port a destination sends to; nil for a plain local Service.
func backendPort(d *model.Destination) *model.BackendPort {
	if d.Backend == nil {
		return nil
	}
	return d.Backend.Port(d.Port)
}
