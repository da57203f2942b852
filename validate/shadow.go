package validate

import (
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
)

// checkShadowing finds, in the flattened route list of every RouteSet (all of a root table's
// hosts share that list), routes identical to an earlier one (MR3003) and routes every matcher of
// which an earlier matcher already covers (MR3002). Delegation is already flattened by Build, so a
// child route shadowed by a sibling table's route is found too. A route set compiled in several
// clusters yields the same findings, which Run's dedup collapses.
func checkShadowing(m *model.Model, src *sources) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, c := range m.Clusters {
		for _, rs := range c.RouteSets {
			ds = append(ds, shadowedRoutes(rs.Routes, src)...)
		}
	}
	return ds
}

// shadowedRoutes walks routes in match order, looking each one up in an index of the matchers
// seen before it. The cost per matcher is bounded by its path length and condition count, never
// by the number of earlier routes, so 10,000 routes on one host stay fast.
func shadowedRoutes(routes []*model.Route, src *sources) []diag.Diagnostic {
	var ds []diag.Diagnostic
	idx := newMatcherIndex()
	identical := map[string]int{}
	for i, r := range routes {
		key := routeKey(r)
		if first, ok := identical[key]; ok {
			ds = append(ds, shadowDiag("MR3003", r, routes[first], src,
				"route %s has the same matchers as route %s, which comes first for the same hosts", r.Name, routes[first].Name).
				WithHint("remove one of the two routes, or give them different matchers"))
		} else if by := idx.coveredBy(r); by != nil {
			d := shadowDiag("MR3002", r, routes[by[0]], src,
				"route %s can never match: route %s, which comes first for the same hosts, matches every request it matches", r.Name, routes[by[0]].Name).
				WithHint("put the more specific route first, or remove it")
			for _, j := range by[1:] {
				d = d.WithRelated(src.hopPos(routes[j].Leaf()), "route %s also matches some of its requests first", routes[j].Name)
			}
			ds = append(ds, d)
		}
		if _, ok := identical[key]; !ok {
			identical[key] = i
		}
		idx.add(r, i)
	}
	return ds
}

func shadowDiag(code string, r, by *model.Route, src *sources, format string, args ...any) diag.Diagnostic {
	leaf := r.Leaf()
	return diag.New(code, src.hopPos(leaf), format, args...).
		WithObject(leaf.Table.Ref(), routePath(leaf.Index)).
		WithRelated(src.hopPos(by.Leaf()), "route %s is here", by.Name)
}

// routeKey identifies a route's matchers as written (order-insensitive, since they are OR-ed).
func routeKey(r *model.Route) string {
	keys := make([]string, len(r.Matchers))
	for i, m := range r.Matchers {
		keys[i] = uriKey(m.URI) + "\x01" + strings.Join(conditions(m, false), "\x1e")
	}
	slices.Sort(keys)
	return strings.Join(slices.Compact(keys), "\x02")
}

// uriKey identifies a uri match by what it matches: an ignoreCase exact or prefix match is keyed
// by its lower-cased value (Envoy folds ASCII letters only), so /A and /a both ignoring case are
// the same match; without letters, ignoreCase changes nothing and is left out of the key.
// Istio applies ignoreUriCase to regexes not at all, so they keep the flag out and their case.
func uriKey(u *model.URIMatch) string {
	if u == nil {
		return ""
	}
	value, fold := u.Value, ""
	if u.IgnoreCase && u.Kind != model.MatchRegex {
		value = asciiLower(value)
		if hasLetter(value) {
			fold = "i"
		}
	}
	return u.Kind + fold + ":" + value
}

// conditions lists a matcher's non-uri conditions as sorted strings. With implied set it adds the
// conditions they imply (a header value implies the header is present), so an earlier matcher
// asking only for presence is found as covering.
func conditions(m *model.Matcher, implied bool) []string {
	var cs []string
	for _, h := range m.Headers {
		name := strings.ToLower(h.Name) // header names are case-insensitive
		neg := ""
		if h.Invert {
			neg = "!"
		}
		if h.Value == "" {
			cs = append(cs, neg+"h\x00"+name+"\x00present")
			continue
		}
		cs = append(cs, neg+"h\x00"+name+"\x00"+valueOp(h.Regex)+"\x00"+h.Value)
		if implied && !h.Invert {
			cs = append(cs, "h\x00"+name+"\x00present")
		}
	}
	for _, q := range m.Query {
		if q.Value == "" {
			cs = append(cs, "q\x00"+q.Name+"\x00present")
			continue
		}
		cs = append(cs, "q\x00"+q.Name+"\x00"+valueOp(q.Regex)+"\x00"+q.Value)
		if implied {
			cs = append(cs, "q\x00"+q.Name+"\x00present")
		}
	}
	if m.Method != "" {
		cs = append(cs, "m\x00"+strings.ToUpper(m.Method))
	}
	if m.Port != 0 {
		cs = append(cs, "p\x00"+itoa(m.Port))
	}
	slices.Sort(cs)
	return slices.Compact(cs)
}

func valueOp(regex bool) string {
	if regex {
		return "re"
	}
	return "eq"
}

func itoa(n uint32) string {
	var b [10]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}
