package compiler

import (
	"cmp"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
)

// maxClaimsPerKey bounds the distinct tables remembered per host or domain: enough to record
// every table that overlaps, without quadratic growth on pathological inputs.
const maxClaimsPerKey = 8

// resolveMeshHosts records every pair of mesh tables on the same or overlapping hosts
// (Conflicts.MeshHosts): sidecars take one VirtualService per host (Istio's IST0109), so the
// other's routes would be silently ignored. Each table counts once, as served in the first
// cluster serving it, and each pair is recorded once, in that cluster of the later table. Hosts
// are indexed by name and by every parent domain, so each host costs a lookup per label.
func resolveMeshHosts(m *model.Model) {
	exact := map[string][]model.HostClaim{} // "a.x.com"
	wild := map[string][]model.HostClaim{}  // "*.x.com" stored as ".x.com"
	under := map[string][]model.HostClaim{} // every host below a domain ".x.com"
	type pair struct{ a, b diag.ObjectRef }
	recorded := map[pair]bool{}
	for _, t := range meshSets(m) {
		for i, h := range t.set.Hosts {
			h = strings.ToLower(h)
			if h == "*" {
				continue // MR4007, reported by Build
			}
			claim := model.HostClaim{Set: t.set, Host: h}
			if i < len(t.set.HostFields) {
				claim.Field = t.set.HostFields[i]
			}
			var others []model.HostClaim
			suffix, isWild := strings.CutPrefix(h, "*")
			if isWild {
				others = append(others, wild[suffix]...)
				others = append(others, under[suffix]...)
			} else {
				others = append(others, exact[h]...)
			}
			for _, d := range parentDomains(suffix) {
				others = append(others, wild[d]...)
			}
			for _, o := range others {
				p := pair{o.Set.Origin.Ref(), t.set.Origin.Ref()}
				if p.a == p.b || recorded[p] {
					continue
				}
				recorded[p] = true
				t.cluster.Conflicts.MeshHosts = append(t.cluster.Conflicts.MeshHosts, &model.MeshHostConflict{First: o, Later: claim})
			}
			if isWild {
				remember(wild, suffix, claim)
				remember(under, suffix, claim)
			} else {
				remember(exact, h, claim)
			}
			for _, d := range parentDomains(suffix) {
				remember(under, d, claim)
			}
		}
	}
}

// meshSet is a mesh route set with the cluster it was taken from.
type meshSet struct {
	set     *model.RouteSet
	cluster *model.Cluster
}

// meshSets returns each mesh root table once, as served in the first cluster serving it (its
// hosts are the same in every cluster), sorted by namespace and name.
func meshSets(m *model.Model) []meshSet {
	seen := map[diag.ObjectRef]bool{}
	var out []meshSet
	for _, c := range m.Clusters {
		for _, rs := range c.RouteSets {
			if rs.Mesh && !seen[rs.Origin.Ref()] {
				seen[rs.Origin.Ref()] = true
				out = append(out, meshSet{rs, c})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b meshSet) int {
		return cmp.Or(cmp.Compare(a.set.Origin.Namespace, b.set.Origin.Namespace), cmp.Compare(a.set.Origin.Name, b.set.Origin.Name))
	})
	return out
}

// parentDomains lists the strict parent domains of name, each with its leading dot:
// "a.b.com" → ".b.com", ".com"; ".b.com" → ".com".
func parentDomains(name string) []string {
	var out []string
	for i := 1; i < len(name); i++ {
		if name[i] == '.' {
			out = append(out, name[i:])
		}
	}
	return out
}

func remember(m map[string][]model.HostClaim, k string, c model.HostClaim) {
	list := m[k]
	if len(list) >= maxClaimsPerKey || slices.ContainsFunc(list, func(o model.HostClaim) bool { return o.Set.Origin.Ref() == c.Set.Origin.Ref() }) {
		return
	}
	m[k] = append(list, c)
}
