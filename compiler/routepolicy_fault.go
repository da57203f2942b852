package compiler

import (
	"time"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

var faultInjectionPolicy = compiledPolicy{
	Kind:  kindFaultInjection,
	apply: applyFaultInjection,
	Fields: []fieldMapping{
		{"`config.delay.fixedDelay`", "`http[].fault.delay.fixedDelay`", "route `typed_per_filter_config` `envoy.filters.http.fault`: `delay.fixed_delay`"},
		{"`config.delay.percentage` (left out: 100)", "`http[].fault.delay.percentage.value`", "`delay.percentage` (millionths)"},
		{"`config.abort.httpStatus`", "`http[].fault.abort.httpStatus`", "`abort.http_status`"},
		{"`config.abort.percentage` (left out: 100)", "`http[].fault.abort.percentage.value`", "`abort.percentage` (millionths)"},
	},
	Notes: []string{
		"The Envoy target adds the `envoy.filters.http.fault` filter before the router of a listener only when one of its routes injects faults. " +
			"Istio applies neither retries nor timeout on a route that injects faults: a RetryTimeoutPolicy on the same route is still emitted, with warning MR4026. " +
			"A fault injection without delay or abort, a delay without `fixedDelay` (at least 1ms) or an abort without `httpStatus` is MR4029 or MR4028, as Gloo refuses them.",
	},
}

type faultConfig struct {
	Delay *struct {
		FixedDelay string   `json:"fixedDelay"`
		Percentage *float64 `json:"percentage"`
	} `json:"delay"`
	Abort *struct {
		HTTPStatus uint32   `json:"httpStatus"`
		Percentage *float64 `json:"percentage"`
	} `json:"abort"`
}

func applyFaultInjection(b *builder, ci *clusterInfo) {
	applyRouteWinners(b, ci, kindFaultInjection, decodeFault, func(r *model.Route, _ []int, f *model.Fault, p *schema.Policy) {
		r.Policies.Fault = f
		if r.Policies.Timeout == 0 && r.Policies.Retries == nil {
			return
		}
		for _, a := range r.Policies.Applied {
			if a.Origin.Kind == kindRetryTimeout {
				b.report(diag.FaultDisablesRetryTimeout(a.Origin.Pos, a.Origin.Namespace, a.Origin.Name, r.Name, p.Namespace(), p.Name()).
					WithObject(a.Origin.Ref(), "").
					WithRelated(p.FieldPos(""), "the FaultInjectionPolicy").
					WithHint("remove the fault injection when the experiment is over, or narrow one of the two selectors"))
			}
		}
	})
}

func decodeFault(b *builder, p *schema.Policy) (*model.Fault, bool) {
	var cfg faultConfig
	if !decodeConfig(b, p, &cfg) {
		return nil, false
	}
	if cfg.Delay == nil && cfg.Abort == nil {
		b.invalidRoutePolicy(p, "/spec/config", "a fault injection sets a delay, an abort or both")
		return nil, false
	}
	out, ok := &model.Fault{}, true
	if d := cfg.Delay; d != nil {
		if d.FixedDelay == "" {
			b.invalidRoutePolicy(p, "/spec/config/delay", "delay needs fixedDelay")
			ok = false
		} else {
			fixed, dok := b.policyDuration(p, "/spec/config/delay/fixedDelay", d.FixedDelay, time.Millisecond, time.Millisecond)
			pct, pok := b.policyPercentage(p, "/spec/config/delay/percentage", d.Percentage)
			out.Delay = &model.FaultDelay{Fixed: fixed, Percentage: pct}
			ok = ok && dok && pok
		}
	}
	if a := cfg.Abort; a != nil {
		if a.HTTPStatus == 0 {
			b.invalidRoutePolicy(p, "/spec/config/abort", "abort needs httpStatus")
			ok = false
		}
		pct, pok := b.policyPercentage(p, "/spec/config/abort/percentage", a.Percentage)
		out.Abort = &model.FaultAbort{Status: a.HTTPStatus, Percentage: pct}
		ok = ok && pok
	}
	return out, ok
}
