package model

import "time"

// DestinationPolicy is what the destination policies (OutlierDetectionPolicy, FailoverPolicy,
// ConnectionPolicy, LoadBalancerPolicy, ClientTLSPolicy) make of the traffic to a backend, with
// Gloo's defaults applied: on every port (Backend.Policy) or, for a port a policy names, the
// effective settings of that port (Backend.PortPolicies) — the host's settings with the port's
// own replacing them kind by kind, because an Istio portLevelSettings entry replaces the
// destination-level settings for its port instead of inheriting them.
type DestinationPolicy struct {
	Outlier      *OutlierDetection
	Connection   *ConnectionPool
	LoadBalancer *LoadBalancer
	Locality     *LocalityLB
	TLS          *ClientTLS
	// Sources are the policies the settings come from, in kind order (for explain).
	Sources []Origin

	// What the settings mean for this cluster's clients (their locality is the cluster's):
	// EndpointPriority is each backing cluster's failover priority (0 first, consecutive), set
	// when locality load balancing is in effect (outlier detection present, as in Istio);
	// EndpointWeight is each backing cluster's share under a distribute mapping from the
	// clients' locality (a cluster missing from the map gets none). Keyed by cluster name.
	EndpointPriority map[string]uint32
	EndpointWeight   map[string]uint32
}

// OutlierDetection ejects endpoints that keep failing.
type OutlierDetection struct {
	Consecutive5xx     uint32 // Gloo's consecutiveErrors, 5 when left out
	ConsecutiveGateway uint32 // 0: not counted separately
	Interval           time.Duration
	BaseEjectionTime   time.Duration
	MaxEjectionPercent uint32
}

// ConnectionPool limits connections and requests to each endpoint.
type ConnectionPool struct {
	TCP  *TCPPool
	HTTP *HTTPPool
}

// TCPPool: zero values are left to the proxy's defaults.
type TCPPool struct {
	MaxConnections int32
	ConnectTimeout time.Duration
	Keepalive      *TCPKeepalive
}

// TCPKeepalive: zero values are left to the operating system's defaults.
type TCPKeepalive struct {
	Probes   uint32
	Time     time.Duration
	Interval time.Duration
}

// HTTPPool: zero values are left to the proxy's defaults.
type HTTPPool struct {
	MaxRequestsPerConnection int32
	MaxRetries               int32
	MaxRequests              int32
	MaxPendingRequests       int32
	IdleTimeout              time.Duration
}

// Load balancing algorithms (Simple).
const (
	LBRandom       = "RANDOM"
	LBPassthrough  = "PASSTHROUGH"
	LBRoundRobin   = "ROUND_ROBIN"
	LBLeastRequest = "LEAST_REQUEST"
)

// LoadBalancer picks an endpoint: Simple or Hash (at most one; neither is the proxy's default).
type LoadBalancer struct {
	Simple string
	Hash   *ConsistentHash
	Warmup time.Duration
}

// ConsistentHash keeps requests with the same key on the same endpoint; exactly one key is set.
type ConsistentHash struct {
	Header         string
	Cookie         *HashCookie
	SourceIP       bool
	QueryParameter string
}

// HashCookie hashes on a cookie; with a TTL the proxy sets the cookie when it is missing.
type HashCookie struct {
	Name string
	Path string
	TTL  time.Duration
}

// LocalityLB is Istio's locality load balancing, enabled: with no field set, endpoints in the
// clients' own locality come first, then the same region, then the rest. At most one of
// Failover (with FailoverPriority empty), Distribute and FailoverPriority is set.
type LocalityLB struct {
	// Failover names, per client region, the region to try before any other.
	Failover []LocalityFailover
	// Distribute splits traffic from a client locality over localities by weight.
	Distribute []LocalityDistribute
	// FailoverPriority are endpoint label keys (or key=value) in order: endpoints matching more
	// of them, from the first, come first.
	FailoverPriority []string
}

// LocalityFailover sends traffic from region From to region To first when From has no healthy
// endpoint.
type LocalityFailover struct{ From, To string }

// LocalityDistribute splits the traffic of clients in From ("region/zone/subzone", a final "*"
// for the parts left out) over the localities To names, by weight (summing to 100).
type LocalityDistribute struct {
	From string
	To   []LocalityWeight
}

// LocalityWeight is one locality (a pattern like From's) and its share.
type LocalityWeight struct {
	Locality string
	Weight   uint32
}

// Client TLS modes.
const (
	TLSDisable     = "DISABLE"
	TLSSimple      = "SIMPLE"
	TLSMutual      = "MUTUAL"
	TLSIstioMutual = "ISTIO_MUTUAL"
)

// ClientTLS is how clients open connections to the backend. CredentialName (a policy's Secret)
// and the file paths (an ExternalService's clientsideTls, files on the proxy) are alternatives.
type ClientTLS struct {
	Mode              string
	SNI               string
	CredentialName    string
	SubjectAltNames   []string
	ClientCertificate string
	PrivateKey        string
	CACertificates    string
}

// PortPolicy is the effective destination policy of one port.
type PortPolicy struct {
	Port   uint32
	Policy *DestinationPolicy
}

// TLSFor returns the client TLS of traffic on port: a destination policy's, else the port's own
// (an ExternalService's clientsideTls); nil: plain.
func (b *Backend) TLSFor(port uint32) *ClientTLS {
	if p := b.PolicyFor(port); p != nil && p.TLS != nil {
		return p.TLS
	}
	if bp := b.Port(port); bp != nil {
		return bp.TLS
	}
	return nil
}

// PolicyFor returns the destination policy that applies to traffic on port: the port's own
// effective settings, else the host's (nil: none).
func (b *Backend) PolicyFor(port uint32) *DestinationPolicy {
	for _, pp := range b.PortPolicies {
		if pp.Port == port {
			return pp.Policy
		}
	}
	return b.Policy
}
