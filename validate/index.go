package validate

import (
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
)

// maxSubsetConditions bounds the condition subsets looked up per matcher (2^8 lookups); a matcher
// with more conditions is compared only with earlier matchers with none or the same ones.
const maxSubsetConditions = 8

// matcherIndex holds the matchers of the routes seen so far, keyed so that "which earlier
// matcher covers this one?" is a handful of map lookups: an earlier matcher A covers B when A's
// uri condition accepts every path B accepts and A's other conditions are a subset of B's.
// Enumerating the subsets of B's conditions and the prefixes of B's path finds every such A.
type matcherIndex struct {
	any    map[string]int   // no uri condition (or prefix "/"), by condition signature
	prefix map[pathKey]int  // uri prefix
	exact  map[pathKey]int  // uri exact
	regex  map[pathKey]int  // uri regex (ignoreCase does not apply to regexes)
	lens   []int            // distinct lengths of indexed prefixes, sorted
	seen   map[int]struct{} // members of lens
}

// pathKey: fold marks an ignoreCase matcher, whose path is stored in ASCII lower case (Envoy folds
// ASCII only); sig is the matcher's condition signature.
type pathKey struct {
	fold bool
	path string
	sig  string
}

func newMatcherIndex() *matcherIndex {
	return &matcherIndex{any: map[string]int{}, prefix: map[pathKey]int{}, exact: map[pathKey]int{},
		regex: map[pathKey]int{}, seen: map[int]struct{}{}}
}

// matchersOf returns a route's matchers; a route with none matches everything.
func matchersOf(r *model.Route) []*model.Matcher {
	if len(r.Matchers) == 0 {
		return []*model.Matcher{{}}
	}
	return r.Matchers
}

// matchesAnyPath reports whether a uri condition accepts every path (absent, or a prefix that
// every request path starts with).
func matchesAnyPath(u *model.URIMatch) bool {
	return u == nil || (u.Kind == model.MatchPrefix && (u.Value == "" || u.Value == "/"))
}

// add indexes the matchers of route i; the first route for a key stays, since it is the one
// that matches first.
func (x *matcherIndex) add(r *model.Route, i int) {
	for _, m := range matchersOf(r) {
		sig := strings.Join(conditions(m, false), "\x1e")
		u := m.URI
		switch {
		case matchesAnyPath(u):
			putFirst(x.any, sig, i)
		case u.Kind == model.MatchRegex:
			putFirst(x.regex, pathKey{path: u.Value, sig: sig}, i)
		case u.Kind == model.MatchExact:
			putFirst(x.exact, foldKey(u, sig), i)
		case u.Kind == model.MatchPrefix:
			putFirst(x.prefix, foldKey(u, sig), i)
			if _, ok := x.seen[len(u.Value)]; !ok {
				x.seen[len(u.Value)] = struct{}{}
				at, _ := slices.BinarySearch(x.lens, len(u.Value))
				x.lens = slices.Insert(x.lens, at, len(u.Value))
			}
		}
	}
}

func putFirst[K comparable](m map[K]int, k K, i int) {
	if _, ok := m[k]; !ok {
		m[k] = i
	}
}

func foldKey(u *model.URIMatch, sig string) pathKey {
	if u.IgnoreCase {
		return pathKey{fold: true, path: asciiLower(u.Value), sig: sig}
	}
	return pathKey{path: u.Value, sig: sig}
}

// coveredBy returns the indexes of the earliest routes covering each of r's matchers (sorted,
// distinct), or nil when some matcher of r is covered by no earlier route.
func (x *matcherIndex) coveredBy(r *model.Route) []int {
	var by []int
	for _, m := range matchersOf(r) {
		j := x.firstCover(m)
		if j < 0 {
			return nil
		}
		by = append(by, j)
	}
	slices.Sort(by)
	return slices.Compact(by)
}

// firstCover returns the earliest indexed route with a matcher covering m, or -1.
func (x *matcherIndex) firstCover(m *model.Matcher) int {
	best := -1
	consider := func(j int, ok bool) {
		if ok && (best < 0 || j < best) {
			best = j
		}
	}
	u := m.URI
	for _, sig := range subsetSignatures(conditions(m, true)) {
		j, ok := x.any[sig]
		consider(j, ok)
		switch {
		case matchesAnyPath(u):
			// Only a matcher accepting every path covers one that does.
		case u.Kind == model.MatchRegex:
			j, ok := x.regex[pathKey{path: u.Value, sig: sig}]
			consider(j, ok)
		default:
			if u.Kind == model.MatchExact {
				x.lookupPath(x.exact, u, u.Value, sig, consider)
			}
			for _, l := range x.lens {
				if l > len(u.Value) {
					break
				}
				x.lookupPath(x.prefix, u, u.Value[:l], sig, consider)
			}
		}
	}
	return best
}

// lookupPath finds an earlier exact or prefix matcher on path p that accepts every path B's uri
// u accepts: a case-insensitive one always can; a case-sensitive one only when B is
// case-sensitive too, or p has no letters (so case cannot matter).
func (x *matcherIndex) lookupPath(idx map[pathKey]int, u *model.URIMatch, p, sig string, consider func(int, bool)) {
	j, ok := idx[pathKey{fold: true, path: asciiLower(p), sig: sig}]
	consider(j, ok)
	if !u.IgnoreCase || !hasLetter(p) {
		j, ok := idx[pathKey{path: p, sig: sig}]
		consider(j, ok)
	}
}

// subsetSignatures lists the signatures of every subset of the sorted conditions cs (the empty
// one first), or only the empty and the full one beyond maxSubsetConditions.
func subsetSignatures(cs []string) []string {
	if len(cs) == 0 {
		return []string{""}
	}
	if len(cs) > maxSubsetConditions {
		return []string{"", strings.Join(cs, "\x1e")}
	}
	sigs := make([]string, 0, 1<<len(cs))
	parts := make([]string, 0, len(cs))
	for mask := 0; mask < 1<<len(cs); mask++ {
		parts = parts[:0]
		for i, c := range cs {
			if mask&(1<<i) != 0 {
				parts = append(parts, c)
			}
		}
		sigs = append(sigs, strings.Join(parts, "\x1e"))
	}
	return sigs
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if 'a' <= c && c <= 'z' {
			return true
		}
	}
	return false
}
