package compiler

import (
	"maps"
	"slices"

	"github.com/meshroute/meshroute/schema"
)

// scopeMeshSets limits each mesh set, once Workspaces are declared, to the sidecars of its
// table's workspace and of the workspaces that import the table (Gloo: a mesh route table applies
// to the workloads "of the workspace where the route table is deployed or imported"), through
// the VirtualService's exportTo. The namespaces are the ones the input names in that cluster
// (Services, Namespaces, configuration objects): a workspace's glob cannot be enumerated.
func (b *builder) scopeMeshSets() {
	if len(b.ws.workspaces) == 0 {
		return
	}
	for _, ci := range b.clusters {
		known := b.knownNamespaces(ci)
		for _, rs := range ci.out.RouteSets {
			rt := b.tables[nsName{rs.Origin.Namespace, rs.Origin.Name}]
			if !rs.Mesh || rs.Origin.Kind != schema.KindRouteTable || rt == nil || b.ws.of[&rt.Object] == nil {
				continue
			}
			nss := b.scopeNamespaces(ci, known, &rt.Object, ci.name)
			nss[rs.Namespace] = true
			rs.ExportTo = slices.Sorted(maps.Keys(nss))
		}
	}
}

// knownNamespaces are the namespaces of cluster ci the input names, sorted.
func (b *builder) knownNamespaces(ci *clusterInfo) []string {
	nss := map[string]bool{}
	for _, s := range ci.services {
		nss[s.Namespace()] = true
	}
	for _, n := range b.set.Namespaces {
		if n.Cluster == "" || n.Cluster == ci.name {
			nss[n.Name()] = true
		}
	}
	for o := range b.ws.of {
		if o.Kind != schema.KindService {
			nss[o.Namespace()] = true
		}
	}
	return slices.Sorted(maps.Keys(nss))
}
