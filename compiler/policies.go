package compiler

import (
	"cmp"
	"encoding/json"
	"maps"
	"slices"
	"strconv"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/schema"
)

// The selector engine every Gloo policy kind shares (docs/policies.md, "Selection"). It runs on
// the built model, so a policy is resolved per flattened route: a child route reached through two
// parents can be selected through one and not the other. Scope: the policy's workspace, or the
// workspace a selector names (policyscope.go).

// selectPolicies records, in every cluster, what each policy selects (model.Cluster.Policies).
func (b *builder) selectPolicies() {
	if len(b.set.Policies) == 0 {
		return // nothing selects: spare listing every cluster's destinations
	}
	for _, ci := range b.clusters {
		dests := b.destinationCandidates(ci)
		for i, p := range b.set.Policies {
			mp := &model.Policy{Origin: origin(&p.Object), APIVersion: p.APIVersion}
			b.policyInput[mp] = i
			mp.Routes = b.selectRoutes(ci, p)
			mp.Destinations = selectDestinations(dests, p.Spec.ApplyToDestinations, everyDestination(p), b.destinationScope(p))
			if p.Kind == kindTrim {
				mp.Workloads = b.selectWorkloads(ci, p)
			}
			if len(mp.Routes) > 0 || len(mp.Destinations) > 0 || len(mp.Workloads) > 0 {
				ci.out.Policies = append(ci.out.Policies, mp)
			}
		}
	}
}

// everyRoute and everyDestination apply "an empty selector list is everything in scope": a kind
// whose selectors are all left out selects every route it could attach to, or, when it attaches
// to destinations only, every destination. A destination selector alone selects no routes (the
// rule LuaPolicy's API spells out).
func everyRoute(p *schema.Policy) bool {
	k, _ := schema.LookupPolicyKind(p.APIVersion, p.Kind)
	return k.Attaches(schema.AttachRoutes) && noSelectors(p)
}

func everyDestination(p *schema.Policy) bool {
	k, _ := schema.LookupPolicyKind(p.APIVersion, p.Kind)
	return k.Attaches(schema.AttachDestinations) && !k.Attaches(schema.AttachRoutes) && noSelectors(p)
}

func noSelectors(p *schema.Policy) bool {
	s := p.Spec
	return len(s.ApplyToRoutes) == 0 && len(s.ApplyToDestinations) == 0 && len(s.ApplyToRouteDestinations) == 0 &&
		!hasSelectors(s.ApplyToListeners) && !hasSelectors(s.ApplyToWorkloads)
}

// hasSelectors reports whether a raw selector list holds any entry.
func hasSelectors(raw json.RawMessage) bool {
	var list []json.RawMessage
	return json.Unmarshal(raw, &list) == nil && len(list) > 0
}

// selectRoutes returns the flattened routes of the cluster that p selects, in model order: with
// empty selectors every route of the policy's workspace, else those a selector picks within its
// scope (policyscope.go).
func (b *builder) selectRoutes(ci *clusterInfo, p *schema.Policy) []model.PolicyRoute {
	all := everyRoute(p)
	var out []model.PolicyRoute
	for _, rs := range ci.out.RouteSets {
		for _, r := range rs.Routes {
			if r.Leaf().Table.Kind != schema.KindRouteTable {
				continue // an ExternalService's egress route: route selectors pick RouteTable routes
			}
			matches := func(i int, s schema.RouteSelector) bool {
				return b.routeMatches(ci, r, p, "/spec/applyToRoutes/"+strconv.Itoa(i), s)
			}
			if all && b.routeInScope(p, r, "", "") || slices.ContainsFunc(indexed(p.Spec.ApplyToRoutes), func(e entry[schema.RouteSelector]) bool { return matches(e.i, e.v) }) {
				out = append(out, model.PolicyRoute{Set: rs.Name, Route: r})
				continue
			}
			if idx, ok := b.routeDestinationsMatch(ci, r, p); ok {
				out = append(out, model.PolicyRoute{Set: rs.Name, Route: r, Destinations: idx})
			}
		}
	}
	return out
}

// entry is one element of a selector list with its index, for the field paths of diagnostics.
type entry[T any] struct {
	i int
	v T
}

func indexed[T any](list []T) []entry[T] {
	out := make([]entry[T], len(list))
	for i, v := range list {
		out[i] = entry[T]{i, v}
	}
	return out
}

// routeMatches applies one route selector (at its path in p): by labels, or by the destinations
// the route forwards to (the route itself then in the policy's workspace).
func (b *builder) routeMatches(ci *clusterInfo, r *model.Route, p *schema.Policy, at string, s schema.RouteSelector) bool {
	switch {
	case s.Route != nil:
		return b.routeLabelsMatch(ci, r, s.Route) && b.routeInScope(p, r, s.Route.Workspace, at+"/route/workspace")
	case s.WithDestinations != nil:
		return b.routeInScope(p, r, "", "") &&
			len(b.matchingForwardDestinations(ci, r, p, at+"/withDestinations", []schema.DestinationSelector{*s.WithDestinations})) > 0
	}
	return false
}

// routeInScope reports whether a route's declaring table is in the scope of a selector of p whose
// workspace field (at path) says workspace.
func (b *builder) routeInScope(p *schema.Policy, r *model.Route, workspace, path string) bool {
	leaf := r.Leaf().Table
	rt := b.tables[nsName{leaf.Namespace, leaf.Name}]
	return rt == nil || b.selectorScope(p, workspace, path)(&rt.Object, "")
}

func (b *builder) routeLabelsMatch(ci *clusterInfo, r *model.Route, s *schema.RouteLabelSelector) bool {
	leaf := r.Leaf().Table
	if s.Namespace != "" && s.Namespace != leaf.Namespace || s.Cluster != "" && s.Cluster != ci.name {
		return false
	}
	return subset(s.Labels, b.routeLabels(r))
}

// routeLabels are the labels a flattened route carries for route selectors: along the delegation
// chain, root first, each table's metadata labels and then the route's own labels, the nearer
// one winning a key both set (docs/routing.md, "Route labels").
func (b *builder) routeLabels(r *model.Route) map[string]string {
	out := map[string]string{}
	for _, h := range r.Chain {
		rt := b.tables[nsName{h.Table.Namespace, h.Table.Name}]
		if rt == nil {
			continue
		}
		maps.Copy(out, rt.Metadata.Labels)
		if h.Index >= 0 && h.Index < len(rt.Spec.HTTP) {
			maps.Copy(out, rt.Spec.HTTP[h.Index].Labels)
		}
	}
	return out
}

// routeDestinationsMatch applies applyToRouteDestinations: a route its label selector picks,
// limited to the forwardTo destinations onDestinations picks (all of them when left out).
func (b *builder) routeDestinationsMatch(ci *clusterInfo, r *model.Route, p *schema.Policy) ([]int, bool) {
	var idx []int
	for i, s := range p.Spec.ApplyToRouteDestinations {
		at := "/spec/applyToRouteDestinations/" + strconv.Itoa(i)
		if r.Forward == nil {
			continue
		}
		if s.Route != nil && !(b.routeLabelsMatch(ci, r, s.Route) && b.routeInScope(p, r, s.Route.Workspace, at+"/route/workspace")) ||
			s.Route == nil && !b.routeInScope(p, r, "", "") {
			continue
		}
		if len(s.OnDestinations) == 0 {
			idx = append(idx, allIndexes(len(r.Forward.Destinations))...)
			continue
		}
		idx = append(idx, b.matchingForwardDestinations(ci, r, p, at+"/onDestinations", s.OnDestinations)...)
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	return idx, len(idx) > 0
}

func allIndexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// matchingForwardDestinations returns the indexes of r's forwardTo destinations some selector of
// p (the list at path at) picks within its scope.
func (b *builder) matchingForwardDestinations(ci *clusterInfo, r *model.Route, p *schema.Policy, at string, sels []schema.DestinationSelector) []int {
	if r.Forward == nil {
		return nil
	}
	var out []int
	for i, d := range r.Forward.Destinations {
		c, ok := b.forwardCandidate(ci, d)
		if ok && slices.ContainsFunc(indexed(sels), func(e entry[schema.DestinationSelector]) bool {
			return destinationMatches(c, e.v) && b.destinationInScope(p, at+"/"+strconv.Itoa(e.i), e.v, c)
		}) {
			out = append(out, i)
		}
	}
	return out
}

// forwardCandidate finds the object behind a route's destination.
func (b *builder) forwardCandidate(ci *clusterInfo, d *model.Destination) (destCandidate, bool) {
	switch d.Kind {
	case model.DestService:
		cluster := cmp.Or(d.Cluster, ci.name)
		if c := b.byName[cluster]; c != nil {
			if svc := c.svc[nsName{d.Namespace, d.Name}]; svc != nil {
				return serviceCandidate(svc, d.Host, d.Port), true
			}
		}
	case model.DestVirtualDestination:
		if vd := b.vdByNS[nsName{d.Namespace, d.Name}]; vd != nil {
			return vdCandidate(vd, d.Host, d.Port), true
		}
	case model.DestExternalService:
		if xi := b.externals[nsName{d.Namespace, d.Name}]; xi != nil {
			return externalCandidate(xi.es, d.Host, d.Port), true
		}
	}
	return destCandidate{}, false
}

func subset(want, have map[string]string) bool {
	for k, v := range want {
		if hv, ok := have[k]; !ok || hv != v {
			return false
		}
	}
	return true
}
