package validate

import (
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
)

// maxClaimsPerKey bounds the distinct tables remembered per host or domain: enough to report
// every table that overlaps, without quadratic growth on pathological inputs.
const maxClaimsPerKey = 8

// checkMeshHosts reports two mesh tables on the same or overlapping hosts (MR3005): sidecars take
// one VirtualService per host (Istio's IST0109), so the other's routes would be silently ignored.
// Hosts are indexed by name and by every parent domain, so each host costs a lookup per label.
func checkMeshHosts(m *model.Model) []diag.Diagnostic {
	tables := meshTables(m)
	exact := map[string][]hostClaim{} // "a.x.com"
	wild := map[string][]hostClaim{}  // "*.x.com" stored as ".x.com"
	under := map[string][]hostClaim{} // every host below a domain ".x.com"
	type pair struct{ a, b diag.ObjectRef }
	reported := map[pair]bool{}
	var ds []diag.Diagnostic
	for _, t := range tables {
		for i, h := range t.Hosts {
			h = strings.ToLower(h)
			if h == "*" {
				continue // MR4007, reported by the compiler
			}
			claim := setHost(t, i)
			claim.host = h
			var others []hostClaim
			suffix, isWild := strings.CutPrefix(h, "*")
			if isWild {
				others = append(others, wild[suffix]...)
				others = append(others, under[suffix]...)
			} else {
				others = append(others, exact[h]...)
			}
			for _, d := range parentDomains(suffixOf(h, isWild)) {
				others = append(others, wild[d]...)
			}
			for _, o := range others {
				p := pair{o.table.Ref(), t.Origin.Ref()}
				if p.a == p.b || reported[p] {
					continue
				}
				reported[p] = true
				ds = append(ds, diag.New("MR3005", hostPos(claim),
					"mesh host %q of %s overlaps host %q of %s", h, t.Origin.Ref(), o.host, o.table.Ref()).
					WithObject(t.Origin.Ref(), hostPath(claim)).
					WithHint("sidecars use one VirtualService per host, so one table's routes would be ignored; serve the host from one table").
					WithRelated(hostPos(o), "%s claims %q here", o.table.Ref(), o.host))
			}
			if isWild {
				remember(wild, suffix, claim)
			} else {
				remember(exact, h, claim)
			}
			for _, d := range parentDomains(suffixOf(h, isWild)) {
				remember(under, d, claim)
			}
			if isWild {
				remember(under, suffix, claim)
			}
		}
	}
	return ds
}

// meshTables returns each mesh root table once (a mesh set exists in every cluster), sorted by
// namespace and name.
func meshTables(m *model.Model) []*model.RouteSet {
	seen := map[diag.ObjectRef]bool{}
	var out []*model.RouteSet
	for _, c := range m.Clusters {
		for _, rs := range c.RouteSets {
			if rs.Mesh && !seen[rs.Origin.Ref()] {
				seen[rs.Origin.Ref()] = true
				out = append(out, rs)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b *model.RouteSet) int {
		if originLess(a.Origin, b.Origin) {
			return -1
		}
		if originLess(b.Origin, a.Origin) {
			return 1
		}
		return 0
	})
	return out
}

// suffixOf is the part of h whose parent domains are looked up: ".x.com" for "*.x.com", "a.x.com"
// for an exact host.
func suffixOf(h string, wild bool) string {
	if wild {
		return strings.TrimPrefix(h, "*")
	}
	return h
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

func remember(m map[string][]hostClaim, k string, c hostClaim) {
	list := m[k]
	if len(list) >= maxClaimsPerKey || slices.ContainsFunc(list, func(o hostClaim) bool { return o.table.Ref() == c.table.Ref() }) {
		return
	}
	m[k] = append(list, c)
}
