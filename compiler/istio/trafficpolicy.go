package istio

import (
	"cmp"
	"maps"
	"slices"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/wrapperspb"
	networking "istio.io/api/networking/v1"

	"github.com/meshroute/meshroute/compiler/model"
)

// trafficPolicy translates a backend's destination policies: the host's settings, and one
// portLevelSettings entry per port carrying that port's effective settings (Istio does not merge
// the two). A multicluster host without a TLS setting keeps ISTIO_MUTUAL, on the host and on
// every port entry.
func trafficPolicy(b *model.Backend) *networking.TrafficPolicy {
	var mtls *networking.ClientTLSSettings
	if b.MTLS {
		mtls = &networking.ClientTLSSettings{Mode: networking.ClientTLSSettings_ISTIO_MUTUAL}
	}
	tp := &networking.TrafficPolicy{Tls: mtls}
	if p := b.Policy; p != nil {
		tp.OutlierDetection = outlierDetection(p.Outlier)
		tp.ConnectionPool = connectionPool(p.Connection)
		tp.LoadBalancer = loadBalancer(p.LoadBalancer, p.Locality)
		tp.Tls = cmpTLS(clientTLS(p.TLS), mtls)
	}
	for _, pp := range b.PortPolicies {
		p := pp.Policy
		tp.PortLevelSettings = append(tp.PortLevelSettings, &networking.TrafficPolicy_PortTrafficPolicy{
			Port:             &networking.PortSelector{Number: pp.Port},
			OutlierDetection: outlierDetection(p.Outlier),
			ConnectionPool:   connectionPool(p.Connection),
			LoadBalancer:     loadBalancer(p.LoadBalancer, p.Locality),
			Tls:              cmpTLS(clientTLS(p.TLS), cmpTLS(portTLS(b, pp.Port), mtls)),
		})
	}
	// An ExternalService port's own TLS origination, where no policy names the port; the entry
	// repeats the host's settings, which it would otherwise replace on that port.
	for _, bp := range b.Ports {
		if bp.TLS != nil && !slices.ContainsFunc(b.PortPolicies, func(pp *model.PortPolicy) bool { return pp.Port == bp.Number }) {
			entry := &networking.TrafficPolicy_PortTrafficPolicy{
				Port: &networking.PortSelector{Number: bp.Number},
				Tls:  cmpTLS(hostTLS(b), clientTLS(bp.TLS)),
			}
			if p := b.Policy; p != nil {
				entry.OutlierDetection = outlierDetection(p.Outlier)
				entry.ConnectionPool = connectionPool(p.Connection)
				entry.LoadBalancer = loadBalancer(p.LoadBalancer, p.Locality)
			}
			tp.PortLevelSettings = append(tp.PortLevelSettings, entry)
		}
	}
	slices.SortStableFunc(tp.PortLevelSettings, func(x, y *networking.TrafficPolicy_PortTrafficPolicy) int {
		return cmp.Compare(x.Port.Number, y.Port.Number)
	})
	if tp.Tls == nil && tp.OutlierDetection == nil && tp.ConnectionPool == nil && tp.LoadBalancer == nil && tp.PortLevelSettings == nil {
		return nil
	}
	return tp
}

// portTLS is the TLS a backend port originates by itself (an ExternalService's clientsideTls).
func portTLS(b *model.Backend, port uint32) *networking.ClientTLSSettings {
	if bp := b.Port(port); bp != nil {
		return clientTLS(bp.TLS)
	}
	return nil
}

// hostTLS is the TLS a destination policy sets on every port of the host: it wins over a
// port's own, as a policy naming the port would.
func hostTLS(b *model.Backend) *networking.ClientTLSSettings {
	if b.Policy != nil {
		return clientTLS(b.Policy.TLS)
	}
	return nil
}

func cmpTLS(own, mesh *networking.ClientTLSSettings) *networking.ClientTLSSettings {
	if own != nil {
		return own
	}
	return mesh
}

func duration(d time.Duration) *durationpb.Duration {
	if d == 0 {
		return nil
	}
	return durationpb.New(d)
}

func outlierDetection(o *model.OutlierDetection) *networking.OutlierDetection {
	if o == nil {
		return nil
	}
	out := &networking.OutlierDetection{
		Consecutive_5XxErrors: wrapperspb.UInt32(o.Consecutive5xx),
		Interval:              duration(o.Interval),
		BaseEjectionTime:      duration(o.BaseEjectionTime),
		MaxEjectionPercent:    int32(o.MaxEjectionPercent),
	}
	if o.ConsecutiveGateway > 0 {
		out.ConsecutiveGatewayErrors = wrapperspb.UInt32(o.ConsecutiveGateway)
	}
	return out
}

func connectionPool(c *model.ConnectionPool) *networking.ConnectionPoolSettings {
	if c == nil {
		return nil
	}
	out := &networking.ConnectionPoolSettings{}
	if t := c.TCP; t != nil {
		out.Tcp = &networking.ConnectionPoolSettings_TCPSettings{MaxConnections: t.MaxConnections, ConnectTimeout: duration(t.ConnectTimeout)}
		if k := t.Keepalive; k != nil {
			out.Tcp.TcpKeepalive = &networking.ConnectionPoolSettings_TCPSettings_TcpKeepalive{Probes: k.Probes, Time: duration(k.Time), Interval: duration(k.Interval)}
		}
	}
	if h := c.HTTP; h != nil {
		out.Http = &networking.ConnectionPoolSettings_HTTPSettings{
			MaxRequestsPerConnection: h.MaxRequestsPerConnection,
			MaxRetries:               h.MaxRetries,
			Http2MaxRequests:         h.MaxRequests,
			Http1MaxPendingRequests:  h.MaxPendingRequests,
			IdleTimeout:              duration(h.IdleTimeout),
		}
	}
	return out
}

var simpleLB = map[string]networking.LoadBalancerSettings_SimpleLB{
	model.LBRandom:       networking.LoadBalancerSettings_RANDOM,
	model.LBRoundRobin:   networking.LoadBalancerSettings_ROUND_ROBIN,
	model.LBLeastRequest: networking.LoadBalancerSettings_LEAST_REQUEST,
}

func loadBalancer(lb *model.LoadBalancer, l *model.LocalityLB) *networking.LoadBalancerSettings {
	if lb == nil && l == nil {
		return nil
	}
	out := &networking.LoadBalancerSettings{LocalityLbSetting: localityLB(l)}
	if lb == nil {
		return out
	}
	out.WarmupDurationSecs = duration(lb.Warmup)
	if s, ok := simpleLB[lb.Simple]; ok {
		out.LbPolicy = &networking.LoadBalancerSettings_Simple{Simple: s}
	}
	if h := lb.Hash; h != nil {
		ch := &networking.LoadBalancerSettings_ConsistentHashLB{}
		switch {
		case h.Header != "":
			ch.HashKey = &networking.LoadBalancerSettings_ConsistentHashLB_HttpHeaderName{HttpHeaderName: h.Header}
		case h.Cookie != nil:
			ch.HashKey = &networking.LoadBalancerSettings_ConsistentHashLB_HttpCookie{HttpCookie: &networking.LoadBalancerSettings_ConsistentHashLB_HTTPCookie{
				Name: h.Cookie.Name, Path: h.Cookie.Path, Ttl: duration(h.Cookie.TTL),
			}}
		case h.SourceIP:
			ch.HashKey = &networking.LoadBalancerSettings_ConsistentHashLB_UseSourceIp{UseSourceIp: true}
		case h.QueryParameter != "":
			ch.HashKey = &networking.LoadBalancerSettings_ConsistentHashLB_HttpQueryParameterName{HttpQueryParameterName: h.QueryParameter}
		}
		out.LbPolicy = &networking.LoadBalancerSettings_ConsistentHash{ConsistentHash: ch}
	}
	return out
}

func localityLB(l *model.LocalityLB) *networking.LocalityLoadBalancerSetting {
	if l == nil {
		return nil
	}
	out := &networking.LocalityLoadBalancerSetting{Enabled: wrapperspb.Bool(true), FailoverPriority: l.FailoverPriority}
	for _, f := range l.Failover {
		out.Failover = append(out.Failover, &networking.LocalityLoadBalancerSetting_Failover{From: f.From, To: f.To})
	}
	for _, d := range l.Distribute {
		to := map[string]uint32{}
		for _, w := range d.To {
			to[w.Locality] += w.Weight
		}
		out.Distribute = append(out.Distribute, &networking.LocalityLoadBalancerSetting_Distribute{From: d.From, To: to})
	}
	return out
}

var tlsModes = map[string]networking.ClientTLSSettings_TLSmode{
	model.TLSDisable:     networking.ClientTLSSettings_DISABLE,
	model.TLSSimple:      networking.ClientTLSSettings_SIMPLE,
	model.TLSMutual:      networking.ClientTLSSettings_MUTUAL,
	model.TLSIstioMutual: networking.ClientTLSSettings_ISTIO_MUTUAL,
}

func clientTLS(t *model.ClientTLS) *networking.ClientTLSSettings {
	if t == nil {
		return nil
	}
	return &networking.ClientTLSSettings{
		Mode: tlsModes[t.Mode], Sni: t.SNI, CredentialName: t.CredentialName, SubjectAltNames: t.SubjectAltNames,
		ClientCertificate: t.ClientCertificate, PrivateKey: t.PrivateKey, CaCertificates: t.CACertificates,
	}
}

// endpointLabels are an endpoint's labels: the selected ones, the topology labels a failover
// policy compares, and the Istio mTLS mark.
func endpointLabels(selected map[string]string, r *model.RemoteEndpoint) map[string]string {
	out := withTLSMode(selected)
	maps.Copy(out, r.Labels)
	return out
}
