package compiler

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// Route policies (docs/policies.md): each winning policy of a kind (policywinners.go) is decoded
// once, checked as Gloo's own validation would, Gloo's defaults applied, and written into
// model.Route.Policies of every forwarding route it wins. The emitters only translate that.

// applyRouteWinners decodes each winning policy of kind once per cluster (decode reports and
// returns false for a config Gloo would refuse) and applies it to the routes it wins. A redirect
// or direct-response route forwards nothing, so a policy there only gets MR4027.
func applyRouteWinners[C any](b *builder, ci *clusterInfo, kind string, decode func(*builder, *schema.Policy) (C, bool), apply func(r *model.Route, dests []int, cfg C, p *schema.Policy)) {
	type decoded struct {
		cfg C
		ok  bool
	}
	memo := map[*schema.Policy]decoded{}
	for _, w := range b.routeWinners(ci, kind) {
		d, seen := memo[w.Policy]
		if !seen {
			d.cfg, d.ok = decode(b, w.Policy)
			memo[w.Policy] = d
		}
		if !d.ok {
			continue
		}
		r := w.Route.Route
		if r.Forward == nil {
			b.reportNotForwarding(w.Policy, r)
			continue
		}
		if r.Policies == nil {
			r.Policies = &model.RoutePolicies{}
		}
		apply(r, w.Route.Destinations, d.cfg, w.Policy)
		r.Policies.Applied = append(r.Policies.Applied, model.AppliedPolicy{Origin: origin(&w.Policy.Object), Destinations: w.Route.Destinations})
	}
}

func (b *builder) reportNotForwarding(p *schema.Policy, r *model.Route) {
	action := "direct response"
	if r.Redirect != nil {
		action = "redirect"
	}
	b.report(on(&p.Object, "", diag.RoutePolicyWithoutForward(p.FieldPos(""), p.Kind, p.Namespace(), p.Name(), r.Name, action)).
		WithRelated(r.Leaf().Pos, "the %s route", action).
		WithHint("narrow the selector to routes that forward, e.g. applyToRoutes: [{withDestinations: …}]"))
}

// decodeConfig reads spec.config into v; the schema already checked its shape, so an error here
// is an internal mismatch, reported rather than ignored.
func decodeConfig(b *builder, p *schema.Policy, v any) bool {
	if len(p.Spec.Config) == 0 {
		return true
	}
	if err := json.Unmarshal(p.Spec.Config, v); err != nil {
		b.report(on(&p.Object, "/spec/config", diag.InvalidRoutePolicy(p.FieldPos("/spec/config"), p.Kind, p.Namespace(), p.Name(), err.Error())))
		return false
	}
	return true
}

func (b *builder) invalidRoutePolicy(p *schema.Policy, path, problem string) {
	b.report(on(&p.Object, path, diag.InvalidRoutePolicy(p.FieldPos(path), p.Kind, p.Namespace(), p.Name(), problem)))
}

// policyDuration parses the duration at path (spec.config…), once for both targets; empty is 0.
// The schema admits Gloo's written form; Gloo and Istio also refuse values below min or finer
// than their precision unit — a millisecond for timeouts and delays, a second for CORS maxAge —
// and any value must fit a protobuf Duration.
func (b *builder) policyDuration(p *schema.Policy, path, value string, min, unit time.Duration) (time.Duration, bool) {
	if value == "" {
		return 0, true
	}
	problem := ""
	d, err := time.ParseDuration(value)
	switch {
	case err != nil:
		problem = "is out of range (at most about 292 years)"
	case d < min:
		problem = "must be at least " + min.String()
	case d%unit != 0:
		problem = "is finer than a " + unitName[unit] + ", which Gloo and Istio refuse"
	}
	if problem != "" {
		b.report(on(&p.Object, path, diag.InvalidPolicyDuration(p.ValuePos(path), lastToken(path), value, problem)).
			WithHint("write whole %ss or more, e.g. %s", unitName[unit], unitExample[unit]))
		return 0, false
	}
	return d, true
}

var (
	unitName    = map[time.Duration]string{time.Millisecond: "millisecond", time.Second: "second"}
	unitExample = map[time.Duration]string{time.Millisecond: "250ms, 1.5s, 1m", time.Second: "30s, 1h"}
)

// lastToken is the last JSON pointer token: the field name a message shows.
func lastToken(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}

// policyPercentage reads a Gloo DoubleValue percentage at path (the schema keeps it in 0–100):
// left out means every request. Istio refuses a share below 0.0001% other than 0, which its
// millionths cannot express.
func (b *builder) policyPercentage(p *schema.Policy, path string, v *float64) (float64, bool) {
	if v == nil {
		return 100, true
	}
	if *v > 0 && *v < 0.0001 {
		b.invalidRoutePolicy(p, path, fmt.Sprintf("percentage %g is below 0.0001, the smallest share Istio and Envoy express", *v))
		return 0, false
	}
	return *v, true
}
