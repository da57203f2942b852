package validate

import (
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
)

// checkDelegationTies reports the equal-weight tables of one delegate selector whose order can
// change what a request does: a route of one and a route of another that some request matches
// both of (MR3026, or MR3027 when the order came from creation times). Each tie is judged once,
// in the first cluster that serves routes under it; tables whose routes are disjoint are not
// reported, since their order cannot matter.
func checkDelegationTies(m *model.Model) []diag.Diagnostic {
	var ds []diag.Diagnostic
	done := map[*model.DelegationTie]bool{}
	for _, c := range m.Clusters {
		if len(c.Conflicts.DelegationTies) == len(done) {
			continue
		}
		under := routesUnderDelegation(c)
		for _, tie := range c.Conflicts.DelegationTies {
			if done[tie] {
				continue
			}
			routes := make([][]*model.Route, len(tie.Tables))
			served := false
			for i, t := range tie.Tables {
				routes[i] = under[delegationStep{tie.Table.Namespace, tie.Table.Name, tie.Route, t.Namespace, t.Name}]
				served = served || len(routes[i]) > 0
			}
			if !served {
				continue
			}
			done[tie] = true
			if d, ok := tieFinding(tie, routes); ok {
				ds = append(ds, d)
			}
		}
	}
	return ds
}

// tieFinding reports the first pair of tied tables, in the order chosen, with overlapping routes.
func tieFinding(tie *model.DelegationTie, routes [][]*model.Route) (diag.Diagnostic, bool) {
	for i := range tie.Tables {
		for j := i + 1; j < len(tie.Tables); j++ {
			a, b := overlappingRoutes(routes[i], routes[j])
			if a == nil {
				continue
			}
			first, later := tie.Tables[i].Namespace+"/"+tie.Tables[i].Name, tie.Tables[j].Namespace+"/"+tie.Tables[j].Name
			report, hint := diag.DelegationTie, "give the tables different weights (higher first), or make their routes' matchers exclude each other"
			if tie.ByCreation {
				report, hint = diag.DelegationTieByCreation, "creation times change when the objects are applied again from Git; different weights make the order explicit"
			}
			return report(tie.Selector.Pos, first, later, tie.Weight, a.Name, b.Name).
				WithObject(tie.Table.Ref(), tie.Selector.Path).
				WithHint("%s", hint), true
		}
	}
	return diag.Diagnostic{}, false
}

// delegationStep is one delegating route of a table and one table it delegates to.
type delegationStep struct {
	ns, table     string
	route         int
	childNS, name string
}

// routesUnderDelegation indexes the flattened routes of a cluster by every delegation step on
// their chain.
func routesUnderDelegation(c *model.Cluster) map[delegationStep][]*model.Route {
	out := map[delegationStep][]*model.Route{}
	for _, rs := range c.RouteSets {
		for _, r := range rs.Routes {
			for j := 0; j+1 < len(r.Chain); j++ {
				h, next := r.Chain[j], r.Chain[j+1]
				k := delegationStep{h.Table.Namespace, h.Table.Name, h.Index, next.Table.Namespace, next.Table.Name}
				out[k] = append(out[k], r)
			}
		}
	}
	return out
}
