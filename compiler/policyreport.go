package compiler

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// reportPolicies says, at each policy, what happens to it: a policy of a kind meshroute does
// not compile that selects something is reported with what it selects — an error (MR4017) when
// ignoring it changes where or whether requests flow, a warning (MR4018) otherwise — and a
// policy that selects nothing, compiled or not, gets MR2018 with a did-you-mean over what is in
// scope.
func (b *builder) reportPolicies() {
	for _, p := range b.set.Policies {
		k, _ := schema.LookupPolicyKind(p.APIVersion, p.Kind)
		notCompiled := diag.PolicyNotCompiled
		if k.Effect == schema.EffectTraffic {
			notCompiled = diag.PolicyNotCompiledTraffic
		}
		routes, dests, clusters := b.policySelection(p)
		selects := len(routes) > 0 || len(dests) > 0
		switch {
		case selects && policyCompiled(p.Kind):
			// Compiled into the model (policytable.go); nothing to say.
		case selects:
			target := describeSelection(routes, dests) + " in " + inClusters(clusters)
			b.report(on(&p.Object, "", notCompiled(p.FieldPos(""), p.Kind, k.Why, target)).WithHint("%s", notCompiledHint))
		case unresolved(k, p) && !isWorkloadKind(p.Kind):
			target := attachedTo(k, p) + ", which meshroute does not resolve"
			b.report(on(&p.Object, "", notCompiled(p.FieldPos(""), p.Kind, k.Why, target)).WithHint("%s", notCompiledHint))
		default:
			b.report(b.selectsNothing(p))
		}
	}
}

const notCompiledHint = "the output would differ from what Gloo runs; docs/policies.md lists the policy kinds and what meshroute does with each"

// unresolved reports whether the policy attaches to what the selector engine does not resolve:
// listeners, workloads, or (RateLimitClientConfig) the policies that refer to it.
func unresolved(k schema.PolicyKind, p *schema.Policy) bool {
	return hasSelectors(p.Spec.ApplyToListeners) || hasSelectors(p.Spec.ApplyToWorkloads) ||
		!k.Attaches(schema.AttachRoutes) && !k.Attaches(schema.AttachDestinations)
}

func attachedTo(k schema.PolicyKind, p *schema.Policy) string {
	switch {
	case hasSelectors(p.Spec.ApplyToListeners) || k.Attaches(schema.AttachListeners) && !k.Attaches(schema.AttachDestinations):
		return "gateway listeners"
	case hasSelectors(p.Spec.ApplyToWorkloads) || k.Attaches(schema.AttachWorkloads) && !k.Attaches(schema.AttachDestinations):
		return "workloads"
	}
	return "the policies that refer to it"
}

// policySelection gathers what p selects in every cluster: route names and destinations (with
// the workloads of a workload kind) in first-seen order, and the clusters.
func (b *builder) policySelection(p *schema.Policy) (routes, dests, clusters []string) {
	for _, ci := range b.clusters {
		for _, mp := range ci.out.Policies {
			if mp.Origin.Kind != p.Kind || mp.Origin.Namespace != p.Namespace() || mp.Origin.Name != p.Name() || mp.APIVersion != p.APIVersion {
				continue
			}
			clusters = append(clusters, ci.name)
			for _, r := range mp.Routes {
				if !slices.Contains(routes, r.Route.Name) {
					routes = append(routes, r.Route.Name)
				}
			}
			for _, d := range mp.Destinations {
				if !slices.Contains(dests, d.String()) {
					dests = append(dests, d.String())
				}
			}
			for _, w := range mp.Workloads {
				if s := "workloads of Service " + w.Namespace + "/" + w.Service; !slices.Contains(dests, s) {
					dests = append(dests, s)
				}
			}
		}
	}
	return routes, dests, clusters
}

func describeSelection(routes, dests []string) string {
	var parts []string
	if len(routes) > 0 {
		parts = append(parts, fmt.Sprintf("%s (%s)", plural(len(routes), "route", "routes"), shortList(routes)))
	}
	if len(dests) > 0 {
		parts = append(parts, fmt.Sprintf("%s (%s)", plural(len(dests), "destination", "destinations"), shortList(dests)))
	}
	return strings.Join(parts, " and ")
}

func inClusters(names []string) string {
	if len(names) == 1 {
		return "cluster " + names[0]
	}
	return "clusters " + strings.Join(names, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func shortList(s []string) string {
	if len(s) > 5 {
		return strings.Join(s[:5], ", ") + fmt.Sprintf(", and %d more", len(s)-5)
	}
	return strings.Join(s, ", ")
}

// selectsNothing is MR2018 at the first selector list, with a did-you-mean for the first label
// (or destination name) of a selector that nothing in scope carries.
func (b *builder) selectsNothing(p *schema.Policy) diag.Diagnostic {
	path := ""
	for _, f := range []struct {
		field string
		n     int
	}{{"applyToRoutes", len(p.Spec.ApplyToRoutes)}, {"applyToDestinations", len(p.Spec.ApplyToDestinations)}, {"applyToRouteDestinations", len(p.Spec.ApplyToRouteDestinations)}} {
		if f.n > 0 {
			path = "/spec/" + f.field
			break
		}
	}
	if path == "" && hasSelectors(p.Spec.ApplyToWorkloads) {
		path = "/spec/applyToWorkloads"
	}
	d := on(&p.Object, path, diag.PolicySelectsNothing(p.FieldPos(path), p.Kind, p.Name()))
	routeLabels, destLabels, destNames := b.labelsInScope()
	var want []string
	var have []string
	for _, s := range p.Spec.ApplyToRoutes {
		if s.Route != nil {
			want, have = append(want, pairs(s.Route.Labels)...), routeLabels
		}
	}
	for _, s := range p.Spec.ApplyToRouteDestinations {
		if s.Route != nil {
			want, have = append(want, pairs(s.Route.Labels)...), routeLabels
		}
	}
	if len(want) == 0 {
		for _, s := range p.Spec.ApplyToDestinations {
			if s.Selector != nil {
				want, have = append(want, pairs(s.Selector.Labels)...), destLabels
				if s.Selector.Name != "" {
					want, have = append(want, s.Selector.Name), append(slices.Clone(destLabels), destNames...)
				}
			}
		}
	}
	for _, w := range want {
		if slices.Contains(have, w) {
			continue
		}
		if s := schema.Suggest(w, have); s != "" {
			return d.WithHint("nothing in scope carries %s: did you mean %s?", w, s)
		}
		if len(have) == 0 {
			return d.WithHint("nothing in scope carries %s, and no route or destination has labels", w)
		}
		return d.WithHint("nothing in scope carries %s; labels in scope: %s", w, shortList(have))
	}
	if isWorkloadKind(p.Kind) {
		return d.WithHint("no Service of the policy's workspace has pods applyToWorkloads selects: labels are matched against a Service's pod selector, name against its name, and gateways and VMs are never selected")
	}
	if k, _ := schema.LookupPolicyKind(p.APIVersion, p.Kind); k.Attaches(schema.AttachRoutes) && !b.anyRoute() {
		return d.WithHint("no gateway or sidecar serves any route in this input: add the RouteTables the policy is for")
	}
	return d.WithHint("check the selector's namespace, cluster, kind and port against the routes and destinations in the input")
}

func (b *builder) anyRoute() bool {
	for _, ci := range b.clusters {
		for _, rs := range ci.out.RouteSets {
			if len(rs.Routes) > 0 {
				return true
			}
		}
	}
	return false
}

// labelsInScope lists the key=value labels of every flattened route and destination object, and
// the destination names, sorted.
func (b *builder) labelsInScope() (routes, dests, names []string) {
	for _, ci := range b.clusters {
		for _, rs := range ci.out.RouteSets {
			for _, r := range rs.Routes {
				routes = append(routes, pairs(b.routeLabels(r))...)
			}
		}
		for _, c := range b.destinationCandidates(ci) {
			dests = append(dests, pairs(c.labels)...)
			names = append(names, c.dest.Name)
		}
	}
	for _, s := range []*[]string{&routes, &dests, &names} {
		slices.Sort(*s)
		*s = slices.Compact(*s)
	}
	return routes, dests, names
}

func pairs(labels map[string]string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		out = append(out, k+"="+labels[k])
	}
	return out
}
