package compiler

import (
	"time"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/schema"
)

var connectionPolicy = compiledPolicy{
	Kind:  "ConnectionPolicy",
	apply: applyDestinations("ConnectionPolicy", setConnection),
	Fields: []fieldMapping{
		{"`config.tcp.maxConnections`", "`connectionPool.tcp.maxConnections`", "cluster `circuit_breakers.thresholds[0].max_connections`"},
		{"`config.tcp.connectTimeout`", "`connectionPool.tcp.connectTimeout`", "cluster `connect_timeout`"},
		{"`config.tcp.tcpKeepalive.probes` / `.time` / `.interval`", "`connectionPool.tcp.tcpKeepalive.probes` / `.time` / `.interval`", "cluster `upstream_connection_options.tcp_keepalive.keepalive_probes` / `_time` / `_interval` (seconds, rounded up)"},
		{"`config.http.maxRequestsPerConnection`", "`connectionPool.http.maxRequestsPerConnection`", "`HttpProtocolOptions.common_http_protocol_options.max_requests_per_connection`"},
		{"`config.http.maxRetries`", "`connectionPool.http.maxRetries`", "`circuit_breakers.thresholds[0].max_retries`"},
		{"`config.http.maxRequests`", "`connectionPool.http.http2MaxRequests`", "`circuit_breakers.thresholds[0].max_requests`"},
		{"`config.http.maxPendingRequests`", "`connectionPool.http.http1MaxPendingRequests`", "`circuit_breakers.thresholds[0].max_pending_requests`"},
		{"`config.http.idleTimeout`", "`connectionPool.http.idleTimeout`", "`HttpProtocolOptions.common_http_protocol_options.idle_timeout`"},
	},
	Notes: []string{
		"A limit left out (or 0) keeps the proxy's default. Negative limits, and durations below 1ms, " +
			"are refused (MR4025), as Istio's validation refuses them.",
	},
}

type connectionConfig struct {
	TCP *struct {
		MaxConnections int32  `json:"maxConnections"`
		ConnectTimeout string `json:"connectTimeout"`
		TCPKeepalive   *struct {
			Probes   uint32 `json:"probes"`
			Time     string `json:"time"`
			Interval string `json:"interval"`
		} `json:"tcpKeepalive"`
	} `json:"tcp"`
	HTTP *struct {
		MaxRequestsPerConnection int32  `json:"maxRequestsPerConnection"`
		MaxRetries               int32  `json:"maxRetries"`
		MaxRequests              int32  `json:"maxRequests"`
		MaxPendingRequests       int32  `json:"maxPendingRequests"`
		IdleTimeout              string `json:"idleTimeout"`
	} `json:"http"`
}

func setConnection(b *builder, p *schema.Policy, _ *model.Backend, dp *model.DestinationPolicy) bool {
	var c connectionConfig
	if !decodeConfig(p, &c) {
		return false
	}
	ok := true
	check := func(good bool) { ok = ok && good }
	pool := &model.ConnectionPool{}
	if t := c.TCP; t != nil {
		const at = "/spec/config/tcp/"
		pool.TCP = &model.TCPPool{MaxConnections: t.MaxConnections}
		check(b.nonNegative(p, at+"maxConnections", t.MaxConnections))
		d, good := b.policyDuration(p, at+"connectTimeout", t.ConnectTimeout, time.Millisecond)
		pool.TCP.ConnectTimeout = d
		check(good)
		if k := t.TCPKeepalive; k != nil {
			kt, good1 := b.policyDuration(p, at+"tcpKeepalive/time", k.Time, time.Millisecond)
			ki, good2 := b.policyDuration(p, at+"tcpKeepalive/interval", k.Interval, time.Millisecond)
			check(good1 && good2)
			pool.TCP.Keepalive = &model.TCPKeepalive{Probes: k.Probes, Time: kt, Interval: ki}
		}
	}
	if h := c.HTTP; h != nil {
		const at = "/spec/config/http/"
		pool.HTTP = &model.HTTPPool{
			MaxRequestsPerConnection: h.MaxRequestsPerConnection,
			MaxRetries:               h.MaxRetries,
			MaxRequests:              h.MaxRequests,
			MaxPendingRequests:       h.MaxPendingRequests,
		}
		check(b.nonNegative(p, at+"maxRequestsPerConnection", h.MaxRequestsPerConnection))
		check(b.nonNegative(p, at+"maxRetries", h.MaxRetries))
		check(b.nonNegative(p, at+"maxRequests", h.MaxRequests))
		check(b.nonNegative(p, at+"maxPendingRequests", h.MaxPendingRequests))
		d, good := b.policyDuration(p, at+"idleTimeout", h.IdleTimeout, time.Millisecond)
		pool.HTTP.IdleTimeout = d
		check(good)
	}
	if !ok {
		return false
	}
	dp.Connection = pool
	return true
}
