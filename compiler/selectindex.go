package compiler

import "github.com/meshroute/meshroute/schema"

// Indexes that narrow what a selector is tried against, so that resolving every delegate
// action and every VirtualDestination stays linear in the fleet's size instead of scanning all
// tables or Services each time. They only skip objects selects would refuse (another name or
// namespace) and keep the order of the lists they index, so what is selected, and in which
// order, is what the full scans gave.

// tableIndex holds the route tables by name and by namespace, each list in set order.
type tableIndex struct {
	byName, byNamespace map[string][]*schema.RouteTable
}

// tableCandidates is the tables, in set order, that sel can select.
func (b *builder) tableCandidates(sel *schema.ObjectSelector) []*schema.RouteTable {
	if b.tableIdx == nil {
		b.tableIdx = &tableIndex{byName: map[string][]*schema.RouteTable{}, byNamespace: map[string][]*schema.RouteTable{}}
		for _, t := range b.set.RouteTables {
			b.tableIdx.byName[t.Name()] = append(b.tableIdx.byName[t.Name()], t)
			b.tableIdx.byNamespace[t.Namespace()] = append(b.tableIdx.byNamespace[t.Namespace()], t)
		}
	}
	switch {
	case sel.Name != "":
		return b.tableIdx.byName[sel.Name]
	case sel.Namespace != "":
		return b.tableIdx.byNamespace[sel.Namespace]
	}
	return b.set.RouteTables
}

// servicesIn is the cluster's Services of one namespace, in the cluster's order.
func (ci *clusterInfo) servicesIn(namespace string) []*schema.Service {
	if ci.byNamespace == nil {
		ci.byNamespace = map[string][]*schema.Service{}
		for _, s := range ci.services {
			ci.byNamespace[s.Namespace()] = append(ci.byNamespace[s.Namespace()], s)
		}
	}
	return ci.byNamespace[namespace]
}
