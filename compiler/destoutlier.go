package compiler

import (
	"time"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

var outlierDetectionPolicy = compiledPolicy{
	Kind:  "OutlierDetectionPolicy",
	apply: applyDestinations("OutlierDetectionPolicy", setOutlier),
	Fields: []fieldMapping{
		{"`config.consecutiveErrors` (left out or 0: 5)", "`outlierDetection.consecutive5xxErrors`", "cluster `outlier_detection.consecutive_5xx`"},
		{"`config.consecutiveGatewayErrors`", "`outlierDetection.consecutiveGatewayErrors`", "`outlier_detection.consecutive_gateway_failure` (enforced 100%)"},
		{"`config.interval` (left out: 10s)", "`outlierDetection.interval`", "`outlier_detection.interval`"},
		{"`config.baseEjectionTime` (left out: 30s)", "`outlierDetection.baseEjectionTime`", "`outlier_detection.base_ejection_time`"},
		{"`config.maxEjectionPercent` (left out: 100; 0: Istio's 10%, MR4022)", "`outlierDetection.maxEjectionPercent`", "`outlier_detection.max_ejection_percent`"},
	},
	Notes: []string{
		"For every destination kind: a selector without `port` writes the DestinationRule's " +
			"`trafficPolicy`; with `port`, a `portLevelSettings` entry with the port's effective settings " +
			"(its own policies, and the host's for the kinds it has none of: Istio does not merge the two). " +
			"A plain Service gets a DestinationRule when a policy applies to it; the Envoy target writes " +
			"the same settings into every cluster of that host and port (docs/istio-output.md, docs/envoy.md).",
		"Outlier detection also turns on locality failover, as in Istio (whose mesh default enables " +
			"locality load balancing): endpoints in the client's zone first, then its region, then the " +
			"rest; a FailoverPolicy changes that order. Envoy's success-rate ejection stays off, as Istio " +
			"sets it.",
	},
}

type outlierConfig struct {
	ConsecutiveErrors        uint32  `json:"consecutiveErrors"`
	ConsecutiveGatewayErrors uint32  `json:"consecutiveGatewayErrors"`
	Interval                 string  `json:"interval"`
	BaseEjectionTime         string  `json:"baseEjectionTime"`
	MaxEjectionPercent       *uint32 `json:"maxEjectionPercent"`
}

// setOutlier applies Gloo's defaults (5 errors, 10s, 30s, 100%).
func setOutlier(b *builder, p *schema.Policy, _ *model.Backend, dp *model.DestinationPolicy) bool {
	var c outlierConfig
	if !decodeConfig(p, &c) {
		return false
	}
	interval, ok1 := b.policyDuration(p, "/spec/config/interval", c.Interval, time.Millisecond)
	ejection, ok2 := b.policyDuration(p, "/spec/config/baseEjectionTime", c.BaseEjectionTime, time.Millisecond)
	if !ok1 || !ok2 {
		return false
	}
	o := &model.OutlierDetection{
		Consecutive5xx:     c.ConsecutiveErrors,
		ConsecutiveGateway: c.ConsecutiveGatewayErrors,
		Interval:           interval,
		BaseEjectionTime:   ejection,
		MaxEjectionPercent: 100,
	}
	if o.Consecutive5xx == 0 {
		o.Consecutive5xx = 5
	}
	if o.Interval == 0 {
		o.Interval = 10 * time.Second
	}
	if o.BaseEjectionTime == 0 {
		o.BaseEjectionTime = 30 * time.Second
	}
	if m := c.MaxEjectionPercent; m != nil {
		o.MaxEjectionPercent = *m
		if *m == 0 {
			const at = "/spec/config/maxEjectionPercent"
			b.report(on(&p.Object, at, diag.OutlierEjectionPercentZero(p.ValuePos(at))).
				WithHint("Gloo leaves 0 to Istio, which reads it as unset; left out, the percentage is 100"))
			o.MaxEjectionPercent = 10
		}
	}
	dp.Outlier = o
	return true
}
