package routetest

import (
	"fmt"
	"strings"
	"time"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/eval"
)

// DestinationPolicy is one destination policy in effect on a chosen backend, with where it was
// declared and what it does there.
type DestinationPolicy struct {
	Destination string        `json:"destination"` // host:port
	Kind        string        `json:"kind"`
	Policy      string        `json:"policy"` // namespace/name
	Pos         diag.Position `json:"position"`
	Effect      string        `json:"effect"`
}

// destinationPolicies lists, for each destination of the result, the policies of the model's
// settings for its port (the port's own merged with the host's), in kind order.
func destinationPolicies(m *model.Cluster, ds []eval.Destination) []DestinationPolicy {
	if m == nil {
		return nil
	}
	var out []DestinationPolicy
	for _, d := range ds {
		dp := backendPolicy(m, d.Host, d.Port)
		if dp == nil {
			continue
		}
		for _, s := range dp.Sources {
			out = append(out, DestinationPolicy{
				Destination: fmt.Sprintf("%s:%d", d.Host, d.Port),
				Kind:        s.Kind, Policy: s.Namespace + "/" + s.Name, Pos: s.Pos,
				Effect: policyEffect(s.Kind, dp),
			})
		}
	}
	return out
}

func backendPolicy(m *model.Cluster, host string, port uint32) *model.DestinationPolicy {
	for _, be := range m.Backends {
		for _, h := range be.Hosts {
			if strings.EqualFold(h, host) {
				return be.PolicyFor(port)
			}
		}
	}
	return nil
}

// policyEffect says in a few words what the kind's settings do.
func policyEffect(kind string, dp *model.DestinationPolicy) string {
	switch kind {
	case "OutlierDetectionPolicy":
		o := dp.Outlier
		s := fmt.Sprintf("eject after %d consecutive 5xx", o.Consecutive5xx)
		if o.ConsecutiveGateway > 0 {
			s += fmt.Sprintf(" or %d gateway errors", o.ConsecutiveGateway)
		}
		return s + fmt.Sprintf(", checked every %s, for %s, at most %d%%", dur(o.Interval), dur(o.BaseEjectionTime), o.MaxEjectionPercent)
	case "FailoverPolicy":
		return failoverEffect(dp.Locality)
	case "ConnectionPolicy":
		return connectionEffect(dp.Connection)
	case "LoadBalancerPolicy":
		return loadBalancerEffect(dp.LoadBalancer)
	case "ClientTLSPolicy":
		s := "TLS " + dp.TLS.Mode
		if dp.TLS.SNI != "" {
			s += " SNI " + dp.TLS.SNI
		}
		if dp.TLS.CredentialName != "" {
			s += " credential " + dp.TLS.CredentialName
		}
		return s
	}
	return ""
}

func failoverEffect(l *model.LocalityLB) string {
	var parts []string
	for _, f := range l.Failover {
		parts = append(parts, f.From+" → "+f.To)
	}
	for _, d := range l.Distribute {
		var to []string
		for _, w := range d.To {
			to = append(to, fmt.Sprintf("%s %d%%", w.Locality, w.Weight))
		}
		parts = append(parts, d.From+" → "+strings.Join(to, ", "))
	}
	switch {
	case l.FailoverPriority != nil:
		return "failover by labels " + strings.Join(l.FailoverPriority, ", ")
	case l.Distribute != nil:
		return "distribute " + strings.Join(parts, "; ")
	case parts != nil:
		return "locality failover: zone, region, then " + strings.Join(parts, "; ")
	}
	return "locality failover: zone, region, then the rest"
}

func connectionEffect(c *model.ConnectionPool) string {
	var parts []string
	add := func(name string, v int32) {
		if v > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", name, v))
		}
	}
	if t := c.TCP; t != nil {
		add("max connections", t.MaxConnections)
		if t.ConnectTimeout > 0 {
			parts = append(parts, "connect timeout "+dur(t.ConnectTimeout))
		}
		if t.Keepalive != nil {
			parts = append(parts, "TCP keepalive")
		}
	}
	if h := c.HTTP; h != nil {
		add("max requests", h.MaxRequests)
		add("max pending requests", h.MaxPendingRequests)
		add("max retries", h.MaxRetries)
		add("max requests per connection", h.MaxRequestsPerConnection)
		if h.IdleTimeout > 0 {
			parts = append(parts, "idle timeout "+dur(h.IdleTimeout))
		}
	}
	return strings.Join(parts, ", ")
}

func loadBalancerEffect(lb *model.LoadBalancer) string {
	s := lb.Simple
	if h := lb.Hash; h != nil {
		switch {
		case h.Header != "":
			s = "consistent hash on header " + h.Header
		case h.Cookie != nil:
			s = "consistent hash on cookie " + h.Cookie.Name
		case h.SourceIP:
			s = "consistent hash on the source IP"
		default:
			s = "consistent hash on query parameter " + h.QueryParameter
		}
	}
	if lb.Warmup > 0 {
		s = strings.TrimPrefix(s+", warm-up "+dur(lb.Warmup), ", ")
	}
	return s
}

func dur(d time.Duration) string { return d.String() }
