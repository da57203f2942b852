package compiler

import (
	"encoding/json"
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

// policyDuration parses the duration at path (spec.config…). The schema admits Gloo's written
// form; Gloo also refuses, for timeouts and delays, values below 1ms or finer than a millisecond
// (minMillisecond), and any value must fit a protobuf Duration.
func (b *builder) policyDuration(p *schema.Policy, path, value string, minMillisecond bool) (time.Duration, bool) {
	problem := ""
	d, err := time.ParseDuration(value)
	switch {
	case err != nil:
		problem = "is out of range (at most about 292 years)"
	case minMillisecond && d < time.Millisecond:
		problem = "must be at least 1ms"
	case minMillisecond && d%time.Millisecond != 0:
		problem = "is finer than a millisecond, which Gloo refuses"
	}
	if problem != "" {
		b.report(on(&p.Object, path, diag.InvalidPolicyDuration(p.ValuePos(path), lastToken(path), value, problem)).
			WithHint("Gloo's timeouts and delays are whole milliseconds, at least 1ms: e.g. 250ms, 1.5s, 1m"))
		return 0, false
	}
	return d, true
}

// lastToken is the last JSON pointer token: the field name a message shows.
func lastToken(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}

// percentage is a Gloo DoubleValue percentage: left out means every request.
func percentage(p *float64) float64 {
	if p == nil {
		return 100
	}
	return *p
}
