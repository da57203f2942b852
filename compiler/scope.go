package compiler

import (
	"maps"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// scopeNamespaces are the namespaces of cluster ci (among known, those the input names there)
// whose proxies may use obj once Workspaces are declared: the namespaces of its workspace and of
// every workspace it is shared with (exported and imported). cluster is obj's cluster ("" for
// configuration objects). Nil when obj belongs to no workspace.
func (b *builder) scopeNamespaces(ci *clusterInfo, known []string, obj *schema.Object, cluster string) map[string]bool {
	owner := b.ws.of[obj]
	if owner == nil {
		return nil
	}
	nss := map[string]bool{}
	for _, ns := range known {
		for _, w := range b.selecting(ci, ns, false) {
			exported, imported := b.shared(owner, w, obj, cluster)
			if w == owner || exported && imported {
				nss[ns] = true
			}
		}
	}
	return nss
}

// backendOwner is the input object a backend stands for, with its cluster (a Service's; "" for
// the mesh-wide VirtualDestinations and ExternalServices); nil when none is found.
func (b *builder) backendOwner(ci *clusterInfo, be *model.Backend) (*schema.Object, string) {
	k := nsName{be.Origin.Namespace, be.Origin.Name}
	switch be.Kind {
	case model.BackendVirtualDestination:
		if vi := b.vdByNS[k]; vi != nil {
			return &vi.vd.Object, ""
		}
	case model.BackendExternal:
		if xi := b.externals[k]; xi != nil {
			return &xi.es.Object, ""
		}
	case model.BackendFederated:
		if _, _, cluster, ok := naming.ParseFederatedHost(be.Host); ok && b.byName[cluster] != nil {
			if s := b.byName[cluster].svc[k]; s != nil {
				return &s.Object, cluster
			}
		}
	case model.BackendService:
		if s := ci.svc[k]; s != nil {
			return &s.Object, ci.name
		}
	}
	return nil, ""
}

// scopeBackends narrows, once Workspaces are declared, the exportTo of every generated
// ServiceEntry and DestinationRule of cluster ci to the owner's workspace scope plus the
// namespaces whose routes use the host (users, as assignExportTo found them). A ServiceEntry an
// east-west gateway serves (a VirtualDestination or federated host with a local backing Service)
// is exported to the gateway's namespace too (eastWestNamespaces: the inventory's, or the one the
// workspace's eastWestGateways select), or stays exported everywhere when neither names it.
func (b *builder) scopeBackends(ci *clusterInfo, users map[string]map[string]bool) {
	known := b.knownNamespaces(ci)
	for _, be := range ci.out.Backends {
		obj, cluster := b.backendOwner(ci, be)
		scope := b.scopeNamespaces(ci, known, obj, cluster)
		if scope == nil {
			continue
		}
		scope[be.Namespace] = true
		maps.Copy(scope, users[be.Host])
		if be.DestinationRule != "" && !containsAll(be.ExportTo) {
			be.ExportTo = exportList(scope)
		}
		if be.Local != nil && (be.Kind == model.BackendVirtualDestination || be.Kind == model.BackendFederated) {
			// The east-west gateway serves this ServiceEntry (and builds the subset clusters of
			// its DestinationRule): exported to its namespace, or everywhere when unknown.
			nss := b.eastWestNamespaces(ci, obj)
			if len(nss) == 0 {
				continue
			}
			for _, ns := range nss {
				scope[ns] = true
			}
			if be.DestinationRule != "" {
				be.ExportTo = exportList(scope)
			}
		}
		if be.ServiceEntry != "" {
			be.EntryExportTo = exportList(scope)
		}
	}
}

func containsAll(nss []string) bool { return len(nss) == 1 && nss[0] == exportAll }
