package validate

import (
	"hash/maphash"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/parallel"
)

// checkShadowing finds, in the flattened route list of every RouteSet (all of a root table's
// hosts share that list), routes identical to an earlier one (MR3003) and routes every matcher of
// which an earlier matcher already covers (MR3002). Delegation is already flattened by Build, so a
// child route shadowed by a sibling table's route is found too. The lists are checked on every
// core, and a list already checked in another cluster is not checked again (sameFindings).
func checkShadowing(m *model.Model, src *sources) []diag.Diagnostic {
	lists := distinctRouteLists(m)
	found := make([][]diag.Diagnostic, len(lists))
	_ = parallel.ForEach(len(lists), func(i int) error {
		found[i] = shadowedRoutes(lists[i], src)
		return nil
	})
	return slices.Concat(found...)
}

// distinctRouteLists returns the route lists of every cluster's RouteSets in model order, less
// those with the findings of an earlier one. A root table served in twenty clusters has twenty
// route lists, each route with the same RouteID and (when no gateway port was remapped) the
// very same matchers: their findings are the same, down to every field, and Run's dedup
// would keep only the first anyway. Lists are grouped by a hash of what sameFindings compares,
// so each is compared only with the lists it most likely equals.
func distinctRouteLists(m *model.Model) [][]*model.Route {
	seed := maphash.MakeSeed()
	var out [][]*model.Route
	seen := map[uint64][]int{} // indexes into out
	for _, c := range m.Clusters {
		for _, rs := range c.RouteSets {
			k := findingsHash(seed, rs.Routes)
			if slices.ContainsFunc(seen[k], func(i int) bool { return sameFindings(out[i], rs.Routes) }) {
				continue
			}
			seen[k] = append(seen[k], len(out))
			out = append(out, rs.Routes)
		}
	}
	return out
}

// findingsHash hashes what sameFindings compares: equal lists hash alike.
func findingsHash(seed maphash.Seed, routes []*model.Route) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	for _, r := range routes {
		maphash.WriteComparable(&h, r.RouteID)
		for _, m := range r.Matchers {
			maphash.WriteComparable(&h, m)
		}
	}
	return h.Sum64()
}

// sameFindings reports whether shadowedRoutes finds the same in a as in b: it reads a route's
// name, leaf hop and matchers only, which are the same when the routes share their RouteID and
// their matchers (Build changes neither once made).
func sameFindings(a, b []*model.Route) bool {
	return slices.EqualFunc(a, b, func(x, y *model.Route) bool {
		return x.RouteID == y.RouteID && slices.Equal(x.Matchers, y.Matchers)
	})
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
			ds = append(ds, shadowDiag(diag.DuplicateRoute(src.hopPos(r.Leaf()), r.Name, routes[first].Name), r, routes[first], src).
				WithHint("remove one of the two routes, or give them different matchers"))
		} else if by := idx.coveredBy(r); by != nil {
			d := shadowDiag(diag.UnreachableRoute(src.hopPos(r.Leaf()), r.Name, routes[by[0]].Name), r, routes[by[0]], src).
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

// shadowDiag attaches to d, built at r, the table and route it is about and the route by.
func shadowDiag(d diag.Diagnostic, r, by *model.Route, src *sources) diag.Diagnostic {
	leaf := r.Leaf()
	return d.WithObject(leaf.Table.Ref(), routePath(leaf.Index)).
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

// disjointRoutes reports whether no request can match both a and b, so the order in which two
// root tables' routes are merged cannot matter (MR3014 rather than MR3004). It is the
// shadowing analysis's other question — not "does an earlier route take all of this one's
// requests" but "can they share one" — decided on the same reading of the conditions, and
// conservatively: conditions it cannot compare (regexes, say) count as overlapping.
func disjointRoutes(a, b *model.Route) bool {
	for _, x := range matchersOf(a) {
		for _, y := range matchersOf(b) {
			if !disjointMatchers(x, y) {
				return false
			}
		}
	}
	return true
}

// disjointMatchers reports whether two matchers (each an AND of conditions) exclude each other:
// different ports or methods, paths no request has both, or one header or query parameter
// that cannot satisfy both.
func disjointMatchers(x, y *model.Matcher) bool {
	if x.Port != 0 && y.Port != 0 && x.Port != y.Port {
		return true
	}
	if x.Method != "" && y.Method != "" && !strings.EqualFold(x.Method, y.Method) {
		return true
	}
	return disjointPaths(x.URI, y.URI) || disjointHeaders(x.Headers, y.Headers) || disjointQuery(x.Query, y.Query)
}

// disjointPaths compares exact and prefix paths; when either ignores case both compare in
// ASCII lower case (Envoy folds ASCII only), which can only find fewer disjoint pairs.
func disjointPaths(u, v *model.URIMatch) bool {
	if matchesAnyPath(u) || matchesAnyPath(v) || u.Kind == model.MatchRegex || v.Kind == model.MatchRegex {
		return false
	}
	a, b := u.Value, v.Value
	if u.IgnoreCase || v.IgnoreCase {
		a, b = asciiLower(a), asciiLower(b)
	}
	switch {
	case u.Kind == model.MatchExact && v.Kind == model.MatchExact:
		return a != b
	case u.Kind == model.MatchExact:
		return !strings.HasPrefix(a, b)
	case v.Kind == model.MatchExact:
		return !strings.HasPrefix(b, a)
	}
	return !strings.HasPrefix(a, b) && !strings.HasPrefix(b, a)
}

// disjointHeaders: one header (names are case-insensitive) with two different exact values, or
// required by one matcher (present or with a value) and required absent, or required unequal to
// that very value, by the other.
func disjointHeaders(xs, ys []model.HeaderMatch) bool {
	excludes := func(p, n model.HeaderMatch) bool {
		if p.Invert || !n.Invert || !strings.EqualFold(p.Name, n.Name) {
			return false
		}
		return n.Value == "" || (!p.Regex && !n.Regex && p.Value == n.Value)
	}
	for _, x := range xs {
		for _, y := range ys {
			if excludes(x, y) || excludes(y, x) {
				return true
			}
			if !x.Invert && !y.Invert && strings.EqualFold(x.Name, y.Name) && exactValues(x.Value, x.Regex, y.Value, y.Regex) {
				return true
			}
		}
	}
	return false
}

// disjointQuery: one query parameter (names are case-sensitive) with two different exact values.
func disjointQuery(xs, ys []model.QueryMatch) bool {
	for _, x := range xs {
		for _, y := range ys {
			if x.Name == y.Name && exactValues(x.Value, x.Regex, y.Value, y.Regex) {
				return true
			}
		}
	}
	return false
}

// exactValues reports two different exact (non-regex, non-empty) values.
func exactValues(a string, aRegex bool, b string, bRegex bool) bool {
	return !aRegex && !bRegex && a != "" && b != "" && a != b
}
