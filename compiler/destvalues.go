package compiler

import (
	"encoding/json"
	"time"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// decodeConfig decodes the policy's spec.config into v. The loader already checked it against
// the kind's schema, so a failure here is not the user's.
func decodeConfig(p *schema.Policy, v any) bool {
	if len(p.Spec.Config) == 0 {
		return true
	}
	return json.Unmarshal(p.Spec.Config, v) == nil
}

// policyDuration converts a duration field (the schema checked its form) once, for both targets.
// Istio takes durations of at least min with millisecond precision; a value outside that, or too
// large for a duration, is MR4025 and ok is false. An empty value is 0 and ok.
func (b *builder) policyDuration(p *schema.Policy, path, value string, min time.Duration) (d time.Duration, ok bool) {
	if value == "" {
		return 0, true
	}
	d, err := time.ParseDuration(value)
	problem := ""
	switch {
	case err != nil:
		problem = "is too large for a duration"
	case d < min:
		problem = "must be at least " + min.String()
	case d%time.Millisecond != 0:
		problem = "has a precision finer than a millisecond, which Istio refuses"
	}
	if problem != "" {
		b.invalidPolicyValue(p, path, problem)
		return 0, false
	}
	return d, true
}

// nonNegative checks a limit Istio refuses below zero.
func (b *builder) nonNegative(p *schema.Policy, path string, v int32) bool {
	if v < 0 {
		b.invalidPolicyValue(p, path, "must not be negative")
		return false
	}
	return true
}

func (b *builder) invalidPolicyValue(p *schema.Policy, path, problem string) {
	b.report(on(&p.Object, path, diag.InvalidPolicyValue(p.ValuePos(path), fieldName(path), problem)))
}

// fieldName is the last element of a JSON pointer.
func fieldName(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}
