package routediff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
)

// compareRouteSet reports a route set added or removed, the hosts it gained or lost, and its
// routes' changes in the new set's order (removed routes after, in the old order).
func compareRouteSet(scope string, o, n *model.RouteSet) []Change {
	switch {
	case o == nil:
		return []Change{{Kind: RouteSetAdded, Scope: scope, To: strings.Join(n.Hosts, ", ")}}
	case n == nil:
		return []Change{{Kind: RouteSetRemoved, Scope: scope, From: strings.Join(o.Hosts, ", ")}}
	}
	ch := setChanges(scope, HostAdded, HostRemoved, sorted(o.Hosts), sorted(n.Hosts))
	ok, nk := routeKeys(o.Routes), routeKeys(n.Routes)
	oi := indexOf(ok)
	moved := movedRoutes(ok, nk)
	for j, r := range n.Routes {
		k := nk[j]
		i, found := oi[k]
		if !found {
			ch = append(ch, Change{Kind: RouteAdded, Scope: scope, Route: k, To: describe(r)})
			continue
		}
		if moved[k] {
			ch = append(ch, Change{Kind: RouteReordered, Scope: scope, Route: k,
				From: fmt.Sprintf("position %d", i+1), To: fmt.Sprintf("position %d", j+1)})
		}
		ch = append(ch, compareRoute(scope, k, o.Routes[i], r)...)
	}
	ni := indexOf(nk)
	for i, r := range o.Routes {
		if _, found := ni[ok[i]]; !found {
			ch = append(ch, Change{Kind: RouteRemoved, Scope: scope, Route: ok[i], From: describe(r)})
		}
	}
	return ch
}

// compareRoute reports what one route kept in both models now does differently. A changed kind
// of action is one action change, not also a re-target.
func compareRoute(scope, key string, o, n *model.Route) []Change {
	var ch []Change
	if a, b := matchers(o), matchers(n); a != b {
		ch = append(ch, Change{Kind: MatchersChanged, Scope: scope, Route: key, From: a, To: b})
	}
	if a, b := action(o), action(n); a != b {
		return append(ch, Change{Kind: ActionChanged, Scope: scope, Route: key, From: a, To: b})
	}
	if o.Forward == nil {
		return ch
	}
	if a, b := destinations(o, false), destinations(n, false); a != b {
		return append(ch, Change{Kind: RouteRetargeted, Scope: scope, Route: key, From: a, To: b})
	}
	if a, b := destinations(o, true), destinations(n, true); a != b {
		ch = append(ch, Change{Kind: WeightsChanged, Scope: scope, Route: key, From: a, To: b})
	}
	return ch
}

// movedRoutes marks the routes kept in both orders whose position relative to the other kept
// routes changed: those outside a longest common subsequence of the two orders. Only relative
// order decides which route matches first, so routes shifted by an insertion are not moved.
func movedRoutes(ok, nk []string) map[string]bool {
	oi, ni := indexOf(ok), indexOf(nk)
	var a, b []string
	for _, k := range ok {
		if _, found := ni[k]; found {
			a = append(a, k)
		}
	}
	for _, k := range nk {
		if _, found := oi[k]; found {
			b = append(b, k)
		}
	}
	kept := map[string]bool{}
	for _, p := range lcs(a, b) {
		kept[a[p[0]]] = true
	}
	moved := map[string]bool{}
	for _, k := range b {
		if !kept[k] {
			moved[k] = true
		}
	}
	return moved
}

// routeKeys names each route by its chain of RouteTable routes, which stays the same when the
// route moves; a repeated name (one delegated table reached twice) gets a #N suffix.
func routeKeys(rs []*model.Route) []string {
	keys := make([]string, len(rs))
	seen := map[string]int{}
	for i, r := range rs {
		hops := make([]string, len(r.Chain))
		for j, h := range r.Chain {
			hops[j] = h.Table.Namespace + "/" + h.Table.Name + "#" + h.RouteName
		}
		k := strings.Join(hops, " > ")
		if seen[k]++; seen[k] > 1 {
			k = fmt.Sprintf("%s (%d)", k, seen[k])
		}
		keys[i] = k
	}
	return keys
}

func indexOf(keys []string) map[string]int {
	m := make(map[string]int, len(keys))
	for i, k := range keys {
		m[k] = i
	}
	return m
}

func sorted(xs []string) []string {
	return slices.Compact(slices.Sorted(slices.Values(xs)))
}

// describe is a route in one line: what it matches and what it does.
func describe(r *model.Route) string {
	s := matchers(r) + " -> " + action(r)
	if r.Forward != nil {
		s += " " + destinations(r, true)
	}
	return s
}

func matchers(r *model.Route) string {
	if len(r.Matchers) == 0 {
		return "any request"
	}
	ms := make([]string, len(r.Matchers))
	for i, m := range r.Matchers {
		var parts []string
		if m.Method != "" {
			parts = append(parts, m.Method)
		}
		if m.URI != nil {
			u := m.URI.Kind + " " + m.URI.Value
			if m.URI.IgnoreCase {
				u += " (any case)"
			}
			parts = append(parts, u)
		}
		for _, h := range m.Headers {
			parts = append(parts, "header "+pairMatch(h.Name, h.Value, h.Regex, h.Present, h.Invert))
		}
		for _, q := range m.Query {
			parts = append(parts, "query "+pairMatch(q.Name, q.Value, q.Regex, q.Present, false))
		}
		if m.Port != 0 {
			parts = append(parts, fmt.Sprintf("port %d", m.Port))
		}
		if len(parts) == 0 {
			parts = []string{"any request"}
		}
		ms[i] = strings.Join(parts, " ")
	}
	return strings.Join(ms, " | ")
}

func pairMatch(name, value string, regex, present, invert bool) string {
	s := name + "=" + value
	switch {
	case present:
		s = name + " present"
	case regex:
		s = name + "~" + value
	}
	if invert {
		s = "not " + s
	}
	return s
}

// action is what a route does, without its destinations.
func action(r *model.Route) string {
	switch {
	case r.Redirect != nil:
		return fmt.Sprintf("redirect %d to %s%s", r.Redirect.Code, r.Redirect.Host, r.Redirect.Path)
	case r.DirectResponse != nil:
		return fmt.Sprintf("direct response %d %q", r.DirectResponse.Status, r.DirectResponse.Body)
	case r.Forward == nil:
		return "no action"
	}
	s := "forward"
	f := r.Forward
	if f.PathRewrite != nil {
		s += fmt.Sprintf(" rewriting the path to %q", *f.PathRewrite)
	}
	if f.RegexRewrite != nil {
		s += fmt.Sprintf(" rewriting the path %q to %q", f.RegexRewrite.Pattern, f.RegexRewrite.Substitution)
	}
	if f.HostRewrite != "" {
		s += " rewriting the host to " + f.HostRewrite
	}
	return s
}

// destinations lists a forward's destinations as host:port[/subset], with their weights when
// asked, sorted so that only a real change differs.
func destinations(r *model.Route, weights bool) string {
	ds := make([]string, len(r.Forward.Destinations))
	for i, d := range r.Forward.Destinations {
		s := fmt.Sprintf("%s:%d", d.Host, d.Port)
		if d.Subset != "" {
			s += "/" + d.Subset
		}
		if weights {
			s += fmt.Sprintf(" (weight %d)", d.Weight)
		}
		ds[i] = s
	}
	slices.Sort(ds)
	return strings.Join(ds, ", ")
}
