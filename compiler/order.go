package compiler

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// delegate flattens the delegate action of route i of t: it selects the child tables, orders
// them (or their routes) by the action's sortMethod and expands each under the route's matchers.
func (b *builder) delegate(t *schema.RouteTable, i int, parent []*model.Matcher, hops []model.Hop, stack []*schema.RouteTable) []*flatRoute {
	children, from := b.selectChildren(t, i, stack)
	d := t.Spec.HTTP[i].Delegate
	if d.SortMethod == schema.SortRouteSpecificity {
		// Every route this action produces, re-sorted; the stable sort keeps reference order and
		// written order for ties.
		type ranked struct {
			r      *flatRoute
			weight int32
			key    specificity
		}
		var all []ranked
		for _, c := range children {
			for _, r := range b.expandTable(c, parent, hops, append(stack[:len(stack):len(stack)], c)) {
				all = append(all, ranked{r, c.Spec.Weight, routeSpecificity(r.matchers)})
			}
		}
		slices.SortStableFunc(all, func(x, y ranked) int {
			return cmp.Or(x.key.compare(y.key), cmp.Compare(y.weight, x.weight))
		})
		out := make([]*flatRoute, len(all))
		for k, a := range all {
			out[k] = a.r
		}
		return out
	}
	// TABLE_WEIGHT: higher weight first; the stable sort keeps reference order (then
	// namespace/name, the order selectChildren returns) for equal weights.
	slices.SortStableFunc(children, func(x, y *schema.RouteTable) int { return cmp.Compare(y.Spec.Weight, x.Spec.Weight) })
	b.settleTies(t, i, children, from)
	var out []*flatRoute
	for _, c := range children {
		out = append(out, b.expandTable(c, parent, hops, append(stack[:len(stack):len(stack)], c))...)
	}
	return out
}

// selectChildren returns the tables the delegate action of route i of t selects, in reference
// order (selector by selector, each one's matches by namespace/name), each table once, and the
// index of the selector that picked each. Root tables (MR2008) and tables already on the
// delegation chain (MR3006) are refused.
func (b *builder) selectChildren(t *schema.RouteTable, i int, stack []*schema.RouteTable) (out []*schema.RouteTable, from map[*schema.RouteTable]int) {
	d := t.Spec.HTTP[i].Delegate
	p := "/spec/http/" + strconv.Itoa(i) + "/delegate"
	from = map[*schema.RouteTable]int{}
	matchedAny := false
	var invisible *diag.Diagnostic // the first child refused only because of workspaces
	for k := range d.RouteTables {
		sel := &d.RouteTables[k]
		sp := p + "/routeTables/" + strconv.Itoa(k)
		if sel.Cluster != "" {
			at := sp + "/cluster"
			b.report(on(&t.Object, at, diag.SelectorClusterIgnored(t.FieldPos(at))))
		}
		s := *sel
		s.Cluster = ""
		for _, c := range b.tableCandidates(&s) {
			if !selects(&s, c.Name(), c.Namespace(), "", c.Metadata.Labels) || !b.inWorkspace(sel.Workspace, &c.Object) {
				continue
			}
			if d, hidden := b.hidden(&t.Object, &c.Object, "", &t.Object, sp); hidden {
				invisible = cmp.Or(invisible, &d)
				continue
			}
			matchedAny = true
			switch {
			case c.IsRoot():
				b.report(on(&t.Object, sp, diag.DelegateSelectsRoot(t.FieldPos(sp), c.Namespace(), c.Name())).
					WithRelated(c.FieldPos("/spec/hosts"), "its hosts").
					WithHint("remove hosts from the child table, or narrow this selector"))
			case slices.Contains(stack, c):
				b.report(on(&t.Object, sp, diag.DelegationCycle(t.FieldPos(sp), cycleString(stack, c))).
					WithRelated(c.Pos, "RouteTable %s/%s is already on the delegation chain", c.Namespace(), c.Name()).
					WithHint("a table cannot delegate, directly or indirectly, to itself"))
			case !slices.Contains(out, c):
				out = append(out, c)
				from[c] = k
			}
		}
	}
	switch {
	case !matchedAny && invisible != nil:
		b.report(*invisible)
	case !matchedAny:
		at := p + "/routeTables"
		b.report(b.delegateHint(on(&t.Object, at, diag.DelegateSelectsNothing(t.FieldPos(at))), t, i))
	}
	return out, from
}

func cycleString(stack []*schema.RouteTable, back *schema.RouteTable) string {
	s := ""
	for _, t := range stack {
		s += t.Namespace() + "/" + t.Name() + " → "
	}
	return s + back.Namespace() + "/" + back.Name()
}

// specificity ranks a route for ROUTE_SPECIFICITY: exact before regex before prefix, longer
// paths first inside exact and prefix, regexes tied.
type specificity struct {
	kind   int // 0 exact, 1 regex, 2 prefix
	length int
}

func (s specificity) compare(o specificity) int {
	return cmp.Or(cmp.Compare(s.kind, o.kind), cmp.Compare(o.length, s.length))
}

// routeSpecificity is the rank of a route's most specific matcher; a matcher (or route) without
// uri counts as a prefix of length 0.
func routeSpecificity(ms []*model.Matcher) specificity {
	best := specificity{kind: 2}
	for _, m := range ms {
		s := specificity{kind: 2}
		if m.URI != nil {
			switch m.URI.Kind {
			case model.MatchExact:
				s = specificity{0, len(m.URI.Value)}
			case model.MatchRegex:
				s = specificity{1, 0}
			default:
				s = specificity{2, len(m.URI.Value)}
			}
		}
		if s.compare(best) < 0 {
			best = s
		}
	}
	return best
}
