package compiler

import (
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

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
