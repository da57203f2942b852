package compiler

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// flatRoute is one route of a root table after delegation, independent of any cluster: the
// destinations and the gateway port numbers are resolved per cluster when the route is bound.
type flatRoute struct {
	// The route's name and chain, shared by its instances in every cluster.
	*model.RouteID
	// matchers are shared, never changed, by the route's instances that remap no port (bind.go).
	matchers []*model.Matcher
	table    *schema.RouteTable // the leaf table, which owns the action
	index    int                // the leaf route's index in table
	route    *schema.HTTPRoute
}

// flatten returns the routes of a root table in the resolved order (memoised: the same in every
// cluster).
func (b *builder) flatten(root *schema.RouteTable) []*flatRoute {
	if fr, ok := b.flat[root]; ok {
		return fr
	}
	fr := b.expandTable(root, nil, nil, []*schema.RouteTable{root})
	b.flat[root] = fr
	return fr
}

// expandTable flattens the routes of t under the parent matchers (nil: match everything) and the
// delegation chain that led to it; stack is the tables on that chain, for cycle detection.
func (b *builder) expandTable(t *schema.RouteTable, parent []*model.Matcher, chain []model.Hop, stack []*schema.RouteTable) []*flatRoute {
	names := b.routeNames(t)
	var out []*flatRoute
	for i := range t.Spec.HTTP {
		r := &t.Spec.HTTP[i]
		p := "/spec/http/" + strconv.Itoa(i)
		hop := model.Hop{Table: origin(&t.Object), RouteName: names[i], Index: i, Pos: t.FieldPos(p)}
		hops := append(chain[:len(chain):len(chain)], hop)
		ms, ok := b.joinMatchers(t, i, parent)
		if !ok {
			continue
		}
		if r.Delegate != nil {
			if !b.checkDelegatingMatchers(t, i) {
				continue
			}
			out = append(out, b.delegate(t, i, ms, hops, stack)...)
			continue
		}
		if len(ms) == 0 {
			ms = nil // matches every request: the model's Route has no matchers
		}
		out = append(out, &flatRoute{RouteID: &model.RouteID{Name: routeName(hops), Chain: hops}, matchers: ms, table: t, index: i, route: r})
	}
	return out
}

// routeName is the generated name of a route with that delegation chain (naming.Route).
func routeName(hops []model.Hop) string {
	chain := make([]naming.RouteHop, len(hops))
	for i, h := range hops {
		chain[i] = naming.RouteHop{Route: h.RouteName, Table: h.Table.Name, Namespace: h.Table.Namespace}
	}
	return naming.Route(chain)
}

// routeNames names each route of t (route-<index> when unnamed) and reports duplicates once per
// table (MR3011): Gloo renames them silently, meshroute tells the user.
func (b *builder) routeNames(t *schema.RouteTable) map[int]string {
	if n, ok := b.checkedTables[t]; ok {
		return n
	}
	names := map[int]string{}
	first := map[string]int{}
	for i, r := range t.Spec.HTTP {
		n := r.Name
		if n == "" {
			n = naming.UnnamedRoute(i)
		}
		names[i] = n
		if j, dup := first[n]; dup {
			p := "/spec/http/" + strconv.Itoa(i) + "/name"
			b.report(on(&t.Object, p, diag.DuplicateRouteName(t.FieldPos(p), n, t.Namespace(), t.Name())).
				WithRelated(t.FieldPos("/spec/http/"+strconv.Itoa(j)), "first route named %q", n).
				WithHint("give every route of a table its own name"))
			continue
		}
		first[n] = i
	}
	b.checkedTables[t] = names
	return names
}

// checkDelegatingMatchers enforces that a delegating route matches by prefix or not by uri at
// all: only a prefix can be joined with the child's paths (MR4010).
func (b *builder) checkDelegatingMatchers(t *schema.RouteTable, i int) bool {
	ok := true
	for j, m := range t.Spec.HTTP[i].Matchers {
		if m.URI != nil && (m.URI.Exact != "" || m.URI.Regex != "") {
			at := "/spec/http/" + strconv.Itoa(i) + "/matchers/" + strconv.Itoa(j) + "/uri"
			b.report(on(&t.Object, at, diag.DelegatingMatcherNotPrefix(t.FieldPos(at))).
				WithHint("write uri: {prefix: ...} and move exact or regex paths into the child table"))
			ok = false
		}
	}
	return ok
}

// joinMatchers AND-combines the matchers of route i of t with its parent's (OR × OR = every
// pair). Pairs that contradict are dropped with MR3007; false means nothing can match.
func (b *builder) joinMatchers(t *schema.RouteTable, i int, parent []*model.Matcher) ([]*model.Matcher, bool) {
	r := &t.Spec.HTTP[i]
	routePath := "/spec/http/" + strconv.Itoa(i)
	if len(r.Matchers) == 0 {
		out := make([]*model.Matcher, len(parent))
		for k, p := range parent {
			m := cloneMatcher(p)
			m.Pos = t.FieldPos(routePath)
			out[k] = m
		}
		return out, true
	}
	if len(parent) == 0 {
		parent = []*model.Matcher{{}}
	}
	var out []*model.Matcher
	for j := range r.Matchers {
		mp := routePath + "/matchers/" + strconv.Itoa(j)
		for _, p := range parent {
			m, why := mergeMatcher(p, &r.Matchers[j])
			if why != "" {
				b.report(on(&t.Object, mp, diag.MatcherContradiction(t.FieldPos(mp), why)).
					WithRelated(p.Pos, "the parent matcher").
					WithHint("no request can match both; change the condition here or on the delegating route"))
				continue
			}
			m.Pos = t.FieldPos(mp)
			out = append(out, m)
		}
	}
	return out, len(out) > 0
}

func cloneMatcher(m *model.Matcher) *model.Matcher {
	c := *m
	if m.URI != nil {
		u := *m.URI
		c.URI = &u
	}
	c.Headers = append([]model.HeaderMatch(nil), m.Headers...)
	c.Query = append([]model.QueryMatch(nil), m.Query...)
	return &c
}

// mergeMatcher is parent AND child (DESIGN.md §2), or the reason they contradict.
func mergeMatcher(p *model.Matcher, c *schema.HTTPRequestMatcher) (*model.Matcher, string) {
	m := cloneMatcher(p)
	if c.URI != nil {
		m.URI = joinURI(p.URI, c.URI)
	}
	for _, h := range c.Headers {
		hm := model.HeaderMatch{Name: h.Name, Value: h.Value, Regex: h.Regex && h.Value != "", Invert: h.InvertMatch, Present: h.Value == ""}
		var why string
		if m.Headers, why = addHeader(m.Headers, hm); why != "" {
			return nil, why
		}
	}
	for _, q := range c.QueryParameters {
		qm := model.QueryMatch{Name: q.Name, Value: q.Value, Regex: q.Regex && q.Value != "", Present: q.Value == ""}
		var why string
		if m.Query, why = addQuery(m.Query, qm); why != "" {
			return nil, why
		}
	}
	if c.Method != "" {
		method := strings.ToUpper(c.Method)
		if m.Method != "" && m.Method != method {
			return nil, "methods " + m.Method + " and " + method
		}
		m.Method = method
	}
	if c.Port != 0 {
		if m.Port != 0 && m.Port != c.Port {
			return nil, "ports " + strconv.Itoa(int(m.Port)) + " and " + strconv.Itoa(int(c.Port))
		}
		m.Port = c.Port
	}
	return m, ""
}

// joinURI puts the child's path under the parent's prefix. Paths join with exactly one '/'; a
// child regex is appended to the quoted parent prefix without its leading '^' (grouped when it has
// an alternation). ignoreCase is the child's.
func joinURI(parent *model.URIMatch, c *schema.StringMatch) *model.URIMatch {
	u := &model.URIMatch{IgnoreCase: c.IgnoreCase}
	switch {
	case c.Exact != "":
		u.Kind, u.Value = model.MatchExact, c.Exact
	case c.Regex != "":
		u.Kind, u.Value = model.MatchRegex, c.Regex
	default:
		u.Kind, u.Value = model.MatchPrefix, c.Prefix
	}
	if parent == nil || parent.Value == "" {
		if u.Kind == model.MatchPrefix && u.Value == "" {
			u.Value = "/"
		}
		return u
	}
	prefix := parent.Value
	if u.Kind == model.MatchRegex {
		r := strings.TrimPrefix(u.Value, "^")
		if strings.HasPrefix(r, "/") {
			prefix = strings.TrimSuffix(prefix, "/")
		}
		if strings.Contains(r, "|") {
			// Group an alternation so every branch stays under the parent's prefix:
			// /p + /a|/b must not become (/p/a)|(/b).
			r = "(?:" + dropBranchAnchors(r) + ")"
		}
		u.Value = regexp.QuoteMeta(prefix) + r
		return u
	}
	u.Value = joinPath(prefix, u.Value)
	return u
}

// dropBranchAnchors drops a '^' that starts a top-level alternative (^/a|^/b): under the parent's
// prefix the branch is no longer at the start of the path, so the anchor would make it unmatchable.
func dropBranchAnchors(r string) string {
	var b strings.Builder
	depth, class := 0, false
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case c == '\\' && i+1 < len(r):
			b.WriteByte(c)
			i++
			c = r[i]
		case class:
			class = c != ']'
		case c == '[':
			class = true
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == '|' && depth == 0 && i+1 < len(r) && r[i+1] == '^':
			b.WriteByte(c)
			i++
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// joinPath joins two paths with exactly one '/' between them; an empty child is the parent.
func joinPath(parent, child string) string {
	if child == "" {
		return parent
	}
	return strings.TrimSuffix(parent, "/") + "/" + strings.TrimPrefix(child, "/")
}
