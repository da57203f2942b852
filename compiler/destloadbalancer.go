package compiler

import (
	"encoding/json"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/schema"
)

var loadBalancerPolicy = compiledPolicy{
	Kind:  "LoadBalancerPolicy",
	apply: applyDestinations("LoadBalancerPolicy", setLoadBalancer),
	Fields: []fieldMapping{
		{"`config.simple` RANDOM / ROUND_ROBIN / LEAST_REQUEST", "`loadBalancer.simple`", "cluster `lb_policy` RANDOM / ROUND_ROBIN / LEAST_REQUEST"},
		{"`config.simple` PASSTHROUGH", "refused (MR4025)", "refused (MR4025)"},
		{"`config.consistentHash.httpHeaderName`", "`loadBalancer.consistentHash.httpHeaderName`", "`lb_policy: RING_HASH`; route `hash_policy.header`"},
		{"`config.consistentHash.httpCookie{name, path, ttl}`", "`loadBalancer.consistentHash.httpCookie{name, path, ttl}`", "`lb_policy: RING_HASH`; route `hash_policy.cookie`"},
		{"`config.consistentHash.useSourceIp`", "`loadBalancer.consistentHash.useSourceIp`", "`lb_policy: RING_HASH`; route `hash_policy.connection_properties.source_ip`"},
		{"`config.consistentHash.httpQueryParameterName`", "`loadBalancer.consistentHash.httpQueryParameterName`", "`lb_policy: RING_HASH`; route `hash_policy.query_parameter`"},
		{"`config.warmupDurationSecs`", "`loadBalancer.warmupDurationSecs`", "`round_robin_lb_config` / `least_request_lb_config` `slow_start_config.slow_start_window`"},
		{"`config.healthyPanicThreshold`, `config.updateMergeWindow`", "refused (MR4025)", "refused (MR4025)"},
	},
	Notes: []string{
		"Istio's DestinationRule has no field for healthyPanicThreshold and updateMergeWindow (Gloo " +
			"writes them with an EnvoyFilter); meshroute refuses them rather than drop them, since they " +
			"change which endpoints receive traffic. PASSTHROUGH forwards to the address the client " +
			"dialled, which for meshroute's hosts is a VIP no endpoint owns: refused. In Envoy the hash " +
			"key lives on the route: a route gets the hash policy when every destination it forwards to " +
			"has the same one (as istiod does).",
	},
}

type loadBalancerConfig struct {
	Simple         json.RawMessage `json:"simple"`
	ConsistentHash *struct {
		HTTPHeaderName string `json:"httpHeaderName"`
		HTTPCookie     *struct {
			Name string `json:"name"`
			Path string `json:"path"`
			TTL  string `json:"ttl"`
		} `json:"httpCookie"`
		UseSourceIP            bool   `json:"useSourceIp"`
		HTTPQueryParameterName string `json:"httpQueryParameterName"`
	} `json:"consistentHash"`
	WarmupDurationSecs    string   `json:"warmupDurationSecs"`
	HealthyPanicThreshold *float64 `json:"healthyPanicThreshold"`
	UpdateMergeWindow     *string  `json:"updateMergeWindow"`
}

// simpleAlgorithms are the enum's names by number (the schema accepts both).
var simpleAlgorithms = []string{"UNSPECIFIED", model.LBRandom, model.LBPassthrough, model.LBRoundRobin, model.LBLeastRequest}

func setLoadBalancer(b *builder, p *schema.Policy, _ *model.Backend, dp *model.DestinationPolicy) bool {
	var c loadBalancerConfig
	if !decodeConfig(p, &c) {
		return false
	}
	const at = "/spec/config/"
	ok := true
	if c.HealthyPanicThreshold != nil {
		b.invalidPolicyValue(p, at+"healthyPanicThreshold", "has no Istio DestinationRule field; Gloo needs an EnvoyFilter for it, which meshroute does not emit")
		ok = false
	}
	if c.UpdateMergeWindow != nil {
		b.invalidPolicyValue(p, at+"updateMergeWindow", "has no Istio DestinationRule field; Gloo needs an EnvoyFilter for it, which meshroute does not emit")
		ok = false
	}
	lb := &model.LoadBalancer{Simple: simpleName(c.Simple)}
	if lb.Simple == simpleAlgorithms[0] {
		lb.Simple = ""
	}
	if lb.Simple == model.LBPassthrough {
		b.invalidPolicyValue(p, at+"simple", "forwards to the address the client dialled, which for meshroute's hosts is a VIP no endpoint owns")
		ok = false
	}
	warmup, good := b.policyDuration(p, at+"warmupDurationSecs", c.WarmupDurationSecs, 1)
	lb.Warmup = warmup
	ok = ok && good
	if h := c.ConsistentHash; h != nil {
		lb.Hash = &model.ConsistentHash{Header: h.HTTPHeaderName, SourceIP: h.UseSourceIP, QueryParameter: h.HTTPQueryParameterName}
		if k := h.HTTPCookie; k != nil {
			ttl, good := b.policyDuration(p, at+"consistentHash/httpCookie/ttl", k.TTL, 0)
			ok = ok && good
			if k.Name == "" {
				b.invalidPolicyValue(p, at+"consistentHash/httpCookie", "needs a cookie name")
				ok = false
			}
			lb.Hash.Cookie = &model.HashCookie{Name: k.Name, Path: k.Path, TTL: ttl}
		}
		if *lb.Hash == (model.ConsistentHash{}) {
			b.invalidPolicyValue(p, at+"consistentHash", "names no hash key (httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName)")
			ok = false
		}
	}
	if !ok {
		return false
	}
	dp.LoadBalancer = lb
	return true
}

// simpleName reads the simple enum written as a name or a number.
func simpleName(raw json.RawMessage) string {
	var name string
	if json.Unmarshal(raw, &name) == nil {
		return name
	}
	var n int
	if json.Unmarshal(raw, &n) == nil && n >= 0 && n < len(simpleAlgorithms) {
		return simpleAlgorithms[n]
	}
	return ""
}
