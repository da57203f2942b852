package compiler

import (
	"maps"
	"slices"

	"github.com/meshroute/meshroute/compiler/model"
)

// exportAll is Istio's exportTo value for every namespace.
const exportAll = "*"

// assignExportTo decides, per cluster, which namespaces' proxies use each DestinationRule, so the
// rule reaches them even where the mesh exports DestinationRules to their own namespace only
// (defaultDestinationRuleExportTo: ["."]), which would cost the gateway the subsets and ISTIO_MUTUAL:
// the owner's namespace; the gateway namespace of every ingress set routing to the host; the
// source namespaces of every mesh set routing to it (every namespace when a source names none);
// and, for a federated host with subsets in its own cluster, every namespace — the east-west
// gateway builds the subset clusters from the rule, and the inventory does not name its namespace.
func (b *builder) assignExportTo() {
	for _, ci := range b.clusters {
		users := map[string]map[string]bool{}
		for _, rs := range ci.out.RouteSets {
			nss := setNamespaces(rs)
			for _, r := range rs.Routes {
				if r.Forward == nil {
					continue
				}
				for _, d := range r.Forward.Destinations {
					if users[d.Host] == nil {
						users[d.Host] = map[string]bool{}
					}
					for _, ns := range nss {
						users[d.Host][ns] = true
					}
				}
			}
		}
		for host, nss := range b.mirrors.users[ci.name] {
			if users[host] == nil {
				users[host] = map[string]bool{}
			}
			maps.Copy(users[host], nss)
		}
		for _, be := range ci.out.Backends {
			if be.DestinationRule == "" {
				continue
			}
			nss := map[string]bool{be.Namespace: true}
			maps.Copy(nss, users[be.Host])
			if be.Kind == model.BackendFederated && be.Local != nil && len(be.Subsets) > 0 {
				nss[exportAll] = true
			}
			be.ExportTo = exportList(nss)
		}
		if len(b.ws.workspaces) > 0 {
			b.scopeBackends(ci, users)
		}
	}
}

// setNamespaces are the namespaces whose proxies serve a route set: an ingress set's gateway
// namespace, or a mesh set's source namespaces ("*" when a source, or the lack of any, selects
// sidecars in every namespace — or, with Workspaces, every namespace the set is exported to).
func setNamespaces(rs *model.RouteSet) []string {
	if !rs.Mesh {
		return []string{rs.Namespace}
	}
	// Sidecars everywhere, as far as the VirtualService's exportTo (workspaces) lets them see it.
	all := []string{exportAll}
	if rs.ExportTo != nil {
		all = rs.ExportTo
	}
	if len(rs.Sources) == 0 {
		return all
	}
	out := make([]string, 0, len(rs.Sources))
	for _, s := range rs.Sources {
		if s.Namespace == "" {
			return all
		}
		out = append(out, s.Namespace)
	}
	return out
}

// exportList is the sorted set, or just "*" when it holds "*" (Istio refuses "*" beside others).
func exportList(nss map[string]bool) []string {
	if nss[exportAll] {
		return []string{exportAll}
	}
	return slices.Sorted(maps.Keys(nss))
}
