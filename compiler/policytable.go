package compiler

import "slices"

// compiledPolicy is a policy kind meshroute compiles, with how each of its fields maps to both
// targets: the table docs/policies.md is generated from (policydoc.go).
type compiledPolicy struct {
	Kind string
	// apply compiles the kind's winning policies (policywinners.go) into one cluster's model.
	apply  func(b *builder, ci *clusterInfo)
	Fields []fieldMapping
	// Notes are sentences for the docs on what the mapping cannot express or changes.
	Notes []string
}

// fieldMapping is one Gloo field (a path under spec) and what it becomes in each target.
type fieldMapping struct {
	Gloo, Istio, Envoy string
}

// compiledPolicies lists the kinds meshroute compiles, in docs order. Every other kind is
// reported at the policy (policyreport.go).
var compiledPolicies = slices.Concat(destinationPolicies, workloadPolicies, routePolicies)

// policyCompiled reports whether meshroute compiles the kind.
func policyCompiled(kind string) bool { return kindIn(compiledPolicies, kind) }

// kindIn reports whether the list holds the kind.
func kindIn(list []compiledPolicy, kind string) bool {
	return slices.ContainsFunc(list, func(c compiledPolicy) bool { return c.Kind == kind })
}

// compilePolicies applies every compiled kind but the destination and workload kinds (compiled
// earlier, by compileDestinationPolicies and compileWorkloadPolicies) to the model of each cluster, one winner per target
// (policywinners.go), in compiledPolicies order.
func (b *builder) compilePolicies() {
	for _, ci := range b.clusters {
		for _, k := range compiledPolicies {
			if isDestinationKind(k.Kind) || isWorkloadKind(k.Kind) {
				continue
			}
			k.apply(b, ci)
		}
	}
}
