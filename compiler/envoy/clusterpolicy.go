package envoy

import (
	"path"
	"time"

	clusterv3 "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	tlsv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/transport_sockets/tls/v3"
	upstreamhttpv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/upstreams/http/v3"
	matcherv3 "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/meshroute/meshroute/compiler/model"
)

// The destination policies of the model (compiler/destpolicy.go) on an upstream cluster, written
// the way istiod writes a DestinationRule's trafficPolicy into a sidecar's or gateway's cluster.

// destinationPolicy is the model's settings for the destination's port, or nil.
func destinationPolicy(d *model.Destination) *model.DestinationPolicy {
	if d.Backend == nil {
		return nil
	}
	return d.Backend.PolicyFor(d.Port)
}

// applyDestinationPolicy sets outlier detection, circuit breakers, timeouts, keepalive, the load
// balancer and client TLS on c.
func (e *emitter) applyDestinationPolicy(c *clusterv3.Cluster, d *model.Destination, dp *model.DestinationPolicy) {
	if dp == nil {
		return
	}
	if o := dp.Outlier; o != nil {
		c.OutlierDetection = &clusterv3.OutlierDetection{
			Consecutive_5Xx:          wrapperspb.UInt32(o.Consecutive5xx),
			EnforcingConsecutive_5Xx: wrapperspb.UInt32(100),
			Interval:                 durationpb.New(o.Interval),
			BaseEjectionTime:         durationpb.New(o.BaseEjectionTime),
			MaxEjectionPercent:       wrapperspb.UInt32(o.MaxEjectionPercent),
			// Istio turns success-rate ejection off; only consecutive errors eject.
			EnforcingSuccessRate: wrapperspb.UInt32(0),
		}
		if o.ConsecutiveGateway > 0 {
			c.OutlierDetection.ConsecutiveGatewayFailure = wrapperspb.UInt32(o.ConsecutiveGateway)
			c.OutlierDetection.EnforcingConsecutiveGatewayFailure = wrapperspb.UInt32(100)
		}
	}
	if dp.EndpointWeight != nil {
		c.CommonLbConfig = &clusterv3.Cluster_CommonLbConfig{
			LocalityConfigSpecifier: &clusterv3.Cluster_CommonLbConfig_LocalityWeightedLbConfig_{LocalityWeightedLbConfig: &clusterv3.Cluster_CommonLbConfig_LocalityWeightedLbConfig{}},
		}
	}
	connectionLimits(c, dp.Connection)
	loadBalancing(c, dp.LoadBalancer)
	e.clientTLS(c, d, dp.TLS)
}

func connectionLimits(c *clusterv3.Cluster, pool *model.ConnectionPool) {
	if pool == nil {
		return
	}
	th := &clusterv3.CircuitBreakers_Thresholds{}
	if t := pool.TCP; t != nil {
		th.MaxConnections = positive(t.MaxConnections)
		if t.ConnectTimeout > 0 {
			c.ConnectTimeout = durationpb.New(t.ConnectTimeout)
		}
		if k := t.Keepalive; k != nil {
			ka := &corev3.TcpKeepalive{KeepaliveTime: seconds(k.Time), KeepaliveInterval: seconds(k.Interval)}
			if k.Probes > 0 {
				ka.KeepaliveProbes = wrapperspb.UInt32(k.Probes)
			}
			c.UpstreamConnectionOptions = &clusterv3.UpstreamConnectionOptions{TcpKeepalive: ka}
		}
	}
	if h := pool.HTTP; h != nil {
		th.MaxPendingRequests = positive(h.MaxPendingRequests)
		th.MaxRequests = positive(h.MaxRequests)
		th.MaxRetries = positive(h.MaxRetries)
	}
	if th.MaxConnections != nil || th.MaxPendingRequests != nil || th.MaxRequests != nil || th.MaxRetries != nil {
		c.CircuitBreakers = &clusterv3.CircuitBreakers{Thresholds: []*clusterv3.CircuitBreakers_Thresholds{th}}
	}
}

// positive is a limit, or nil for 0 (the proxy's default).
func positive(v int32) *wrapperspb.UInt32Value {
	if v <= 0 {
		return nil
	}
	return wrapperspb.UInt32(uint32(v))
}

// seconds rounds a keepalive duration up to Envoy's whole seconds (nil for 0).
func seconds(d time.Duration) *wrapperspb.UInt32Value {
	if d <= 0 {
		return nil
	}
	return wrapperspb.UInt32(uint32((d + time.Second - 1) / time.Second))
}

var lbPolicies = map[string]clusterv3.Cluster_LbPolicy{
	model.LBRandom:       clusterv3.Cluster_RANDOM,
	model.LBRoundRobin:   clusterv3.Cluster_ROUND_ROBIN,
	model.LBLeastRequest: clusterv3.Cluster_LEAST_REQUEST,
}

// loadBalancing: consistent hashing is a ring hash (Istio's default); its key is on the route
// (hashPolicy). Warm-up is Envoy's slow start, for round robin and least request.
func loadBalancing(c *clusterv3.Cluster, lb *model.LoadBalancer) {
	if lb == nil {
		return
	}
	if p, ok := lbPolicies[lb.Simple]; ok {
		c.LbPolicy = p
	}
	if lb.Hash != nil {
		c.LbPolicy = clusterv3.Cluster_RING_HASH
		return
	}
	if lb.Warmup > 0 {
		slow := &clusterv3.Cluster_SlowStartConfig{SlowStartWindow: durationpb.New(lb.Warmup)}
		switch c.LbPolicy {
		case clusterv3.Cluster_ROUND_ROBIN:
			c.LbConfig = &clusterv3.Cluster_RoundRobinLbConfig_{RoundRobinLbConfig: &clusterv3.Cluster_RoundRobinLbConfig{SlowStartConfig: slow}}
		case clusterv3.Cluster_LEAST_REQUEST:
			c.LbConfig = &clusterv3.Cluster_LeastRequestLbConfig_{LeastRequestLbConfig: &clusterv3.Cluster_LeastRequestLbConfig{SlowStartConfig: slow}}
		}
	}
}

// hashPolicy is the route's hash key: the destinations' common consistent-hash key, or nil when
// they do not all have the same one.
func hashPolicy(ds []*model.Destination) []*routev3.RouteAction_HashPolicy {
	var key *model.ConsistentHash
	for i, d := range ds {
		var h *model.ConsistentHash
		if dp := destinationPolicy(d); dp != nil && dp.LoadBalancer != nil {
			h = dp.LoadBalancer.Hash
		}
		if h == nil || i > 0 && !sameHash(h, key) {
			return nil
		}
		key = h
	}
	if key == nil {
		return nil
	}
	hp := &routev3.RouteAction_HashPolicy{}
	switch {
	case key.Header != "":
		hp.PolicySpecifier = &routev3.RouteAction_HashPolicy_Header_{Header: &routev3.RouteAction_HashPolicy_Header{HeaderName: key.Header}}
	case key.Cookie != nil:
		ck := &routev3.RouteAction_HashPolicy_Cookie{Name: key.Cookie.Name, Path: key.Cookie.Path}
		if key.Cookie.TTL > 0 {
			ck.Ttl = durationpb.New(key.Cookie.TTL)
		}
		hp.PolicySpecifier = &routev3.RouteAction_HashPolicy_Cookie_{Cookie: ck}
	case key.SourceIP:
		hp.PolicySpecifier = &routev3.RouteAction_HashPolicy_ConnectionProperties_{ConnectionProperties: &routev3.RouteAction_HashPolicy_ConnectionProperties{SourceIp: true}}
	default:
		hp.PolicySpecifier = &routev3.RouteAction_HashPolicy_QueryParameter_{QueryParameter: &routev3.RouteAction_HashPolicy_QueryParameter{Name: key.QueryParameter}}
	}
	return []*routev3.RouteAction_HashPolicy{hp}
}

func sameHash(a, b *model.ConsistentHash) bool {
	if a.Header != b.Header || a.SourceIP != b.SourceIP || a.QueryParameter != b.QueryParameter || (a.Cookie == nil) != (b.Cookie == nil) {
		return false
	}
	return a.Cookie == nil || *a.Cookie == *b.Cookie
}

// httpOptions are the cluster's HTTP protocol options: HTTP/2 for a GRPC or HTTP2 port, and the
// connection policy's idle timeout and requests per connection; nil when none applies.
func httpOptions(d *model.Destination, dp *model.DestinationPolicy) *upstreamhttpv3.HttpProtocolOptions {
	var common *corev3.HttpProtocolOptions
	if dp != nil && dp.Connection != nil && dp.Connection.HTTP != nil {
		h := dp.Connection.HTTP
		if h.IdleTimeout > 0 || h.MaxRequestsPerConnection > 0 {
			common = &corev3.HttpProtocolOptions{MaxRequestsPerConnection: positive(h.MaxRequestsPerConnection)}
			if h.IdleTimeout > 0 {
				common.IdleTimeout = durationpb.New(h.IdleTimeout)
			}
		}
	}
	h2 := http2Upstream(d)
	if common == nil && !h2 {
		return nil
	}
	explicit := &upstreamhttpv3.HttpProtocolOptions_ExplicitHttpConfig{
		ProtocolConfig: &upstreamhttpv3.HttpProtocolOptions_ExplicitHttpConfig_HttpProtocolOptions{HttpProtocolOptions: &corev3.Http1ProtocolOptions{}},
	}
	if h2 {
		explicit.ProtocolConfig = &upstreamhttpv3.HttpProtocolOptions_ExplicitHttpConfig_Http2ProtocolOptions{Http2ProtocolOptions: &corev3.Http2ProtocolOptions{}}
	}
	return &upstreamhttpv3.HttpProtocolOptions{
		CommonHttpProtocolOptions: common,
		UpstreamProtocolOptions:   &upstreamhttpv3.HttpProtocolOptions_ExplicitHttpConfig_{ExplicitHttpConfig: explicit},
	}
}

// clientTLS is the transport to the destination's own endpoints (the local Service). A
// multicluster host keeps Istio mTLS to the east-west gateways through its socket match, which the
// model allows only with ISTIO_MUTUAL; its local endpoint stays plain, as without a policy.
func (e *emitter) clientTLS(c *clusterv3.Cluster, d *model.Destination, t *model.ClientTLS) {
	if t == nil || d.Backend.MTLS {
		return
	}
	switch t.Mode {
	case model.TLSIstioMutual:
		c.TransportSocket = e.istioMTLS(d)
	case model.TLSSimple, model.TLSMutual:
		ctx := &tlsv3.UpstreamTlsContext{Sni: t.SNI, CommonTlsContext: &tlsv3.CommonTlsContext{}}
		if t.CACertificates != "" {
			v := validation(t.CACertificates)
			for _, san := range t.SubjectAltNames {
				v.ValidationContext.MatchTypedSubjectAltNames = append(v.ValidationContext.MatchTypedSubjectAltNames, &tlsv3.SubjectAltNameMatcher{
					SanType: tlsv3.SubjectAltNameMatcher_DNS,
					Matcher: &matcherv3.StringMatcher{MatchPattern: &matcherv3.StringMatcher_Exact{Exact: san}},
				})
			}
			ctx.CommonTlsContext.ValidationContextType = v
		}
		if t.ClientCertificate != "" {
			ctx.CommonTlsContext.TlsCertificates = []*tlsv3.TlsCertificate{{CertificateChain: file(t.ClientCertificate), PrivateKey: file(t.PrivateKey)}}
		}
		if t.CredentialName != "" {
			dir := path.Join(e.opts.CertDir, t.CredentialName)
			ctx.CommonTlsContext.ValidationContextType = validation(path.Join(dir, caFile))
			if t.Mode == model.TLSMutual {
				ctx.CommonTlsContext.TlsCertificates = []*tlsv3.TlsCertificate{{CertificateChain: file(path.Join(dir, certFile)), PrivateKey: file(path.Join(dir, keyFile))}}
			}
		}
		c.TransportSocket = &corev3.TransportSocket{Name: tlsSocketName, ConfigType: &corev3.TransportSocket_TypedConfig{TypedConfig: toAny(ctx)}}
	}
}
