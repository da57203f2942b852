// Package routediff compares two routing models at the level a reviewer thinks in: per cluster,
// the gateways' hosts, each route set's routes (added, removed, reordered, re-targeted, weights,
// actions, matchers) and the VirtualDestination backends' clusters. The model is compared, not
// the manifests, because it is the single truth about what a request does.
package routediff

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
)

// Change kinds, as the JSON schema spells them.
const (
	ClusterAdded    = "cluster-added"
	ClusterRemoved  = "cluster-removed"
	GatewayAdded    = "gateway-added"
	GatewayRemoved  = "gateway-removed"
	HostAdded       = "host-added"
	HostRemoved     = "host-removed"
	RouteSetAdded   = "routeset-added"
	RouteSetRemoved = "routeset-removed"
	RouteAdded      = "route-added"
	RouteRemoved    = "route-removed"
	RouteReordered  = "route-reordered"
	RouteRetargeted = "route-retargeted"
	WeightsChanged  = "weights-changed"
	ActionChanged   = "action-changed"
	MatchersChanged = "matchers-changed"
	BackendAdded    = "backend-added"
	BackendRemoved  = "backend-removed"
	EndpointAdded   = "backend-cluster-added"
	EndpointRemoved = "backend-cluster-removed"
)

// Report is every change from the old model to the new one, clusters sorted by name.
type Report struct {
	Clusters []Cluster `json:"clusters"`
}

// Empty reports whether nothing changed.
func (r Report) Empty() bool { return len(r.Clusters) == 0 }

// Cluster is one cluster's changes, in a fixed order: gateways, route sets, backends, each
// sorted by namespace/name (host for backends), and routes in the new order of their set.
type Cluster struct {
	Name    string   `json:"name"`
	Changes []Change `json:"changes"`
}

// Change is one difference. Scope names what changed: "gateway NS/NAME", "routes NS/NAME" (an
// ingress route set), "mesh routes NS/NAME" or "backend HOST". Route is the route's chain of
// RouteTable routes ("ns/table#route > …"); From and To describe the old and new state.
type Change struct {
	Kind  string `json:"kind"`
	Scope string `json:"scope"`
	Route string `json:"route,omitempty"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
}

// Compare lists what changed from old to new; a nil model has no clusters.
func Compare(old, new *model.Model) Report {
	var r Report
	oc, nc := clusters(old), clusters(new)
	for _, name := range unionKeys(oc, nc) {
		o, n := oc[name], nc[name]
		var ch []Change
		switch {
		case o == nil:
			ch = []Change{{Kind: ClusterAdded, Scope: "cluster " + name}}
		case n == nil:
			ch = []Change{{Kind: ClusterRemoved, Scope: "cluster " + name}}
		default:
			ch = compareCluster(o, n)
		}
		if len(ch) > 0 {
			r.Clusters = append(r.Clusters, Cluster{Name: name, Changes: ch})
		}
	}
	return r
}

func clusters(m *model.Model) map[string]*model.Cluster {
	out := map[string]*model.Cluster{}
	if m != nil {
		for _, c := range m.Clusters {
			out[c.Name] = c
		}
	}
	return out
}

func compareCluster(o, n *model.Cluster) []Change {
	var ch []Change
	og, ng := byKey(o.Gateways, gatewayKey), byKey(n.Gateways, gatewayKey)
	for _, k := range unionKeys(og, ng) {
		ch = append(ch, compareGateway("gateway "+k, og[k], ng[k])...)
	}
	or, nr := byKey(o.RouteSets, routeSetKey), byKey(n.RouteSets, routeSetKey)
	for _, k := range unionKeys(or, nr) {
		ch = append(ch, compareRouteSet(k, or[k], nr[k])...)
	}
	ob, nb := byKey(o.Backends, backendKey), byKey(n.Backends, backendKey)
	for _, k := range unionKeys(ob, nb) {
		ch = append(ch, compareBackend("backend "+k, ob[k], nb[k])...)
	}
	return ch
}

func gatewayKey(g *model.Gateway) string { return g.Namespace + "/" + g.Name }

func routeSetKey(s *model.RouteSet) string {
	if s.Mesh {
		return "mesh routes " + s.Namespace + "/" + s.Name
	}
	return "routes " + s.Namespace + "/" + s.Name
}

func backendKey(b *model.Backend) string { return b.Host }

// compareGateway reports a gateway added or removed, or the hosts each listener port gained
// or lost.
func compareGateway(scope string, o, n *model.Gateway) []Change {
	switch {
	case o == nil:
		return []Change{{Kind: GatewayAdded, Scope: scope, To: strings.Join(listenerHosts(n), ", ")}}
	case n == nil:
		return []Change{{Kind: GatewayRemoved, Scope: scope, From: strings.Join(listenerHosts(o), ", ")}}
	}
	return setChanges(scope, HostAdded, HostRemoved, listenerHosts(o), listenerHosts(n))
}

// listenerHosts is every host a gateway serves, as "host:port", sorted.
func listenerHosts(g *model.Gateway) []string {
	var hs []string
	for _, l := range g.Listeners {
		for _, h := range l.Hosts {
			hs = append(hs, fmt.Sprintf("%s:%d", h, l.ServicePort))
		}
	}
	slices.Sort(hs)
	return slices.Compact(hs)
}

// compareBackend reports a backend added or removed, or the clusters it reaches gained or lost
// (its local Service counts as its own cluster).
func compareBackend(scope string, o, n *model.Backend) []Change {
	switch {
	case o == nil:
		return []Change{{Kind: BackendAdded, Scope: scope, To: strings.Join(endpointClusters(n), ", ")}}
	case n == nil:
		return []Change{{Kind: BackendRemoved, Scope: scope, From: strings.Join(endpointClusters(o), ", ")}}
	}
	return setChanges(scope, EndpointAdded, EndpointRemoved, endpointClusters(o), endpointClusters(n))
}

func endpointClusters(b *model.Backend) []string {
	var cs []string
	if b.Local != nil {
		cs = append(cs, "local")
	}
	for _, r := range b.Remotes {
		cs = append(cs, r.Cluster)
	}
	slices.Sort(cs)
	return slices.Compact(cs)
}

// setChanges lists what is in n and not in o (added), then the reverse (removed); both sorted.
func setChanges(scope, added, removed string, o, n []string) []Change {
	var ch []Change
	for _, h := range n {
		if !slices.Contains(o, h) {
			ch = append(ch, Change{Kind: added, Scope: scope, To: h})
		}
	}
	for _, h := range o {
		if !slices.Contains(n, h) {
			ch = append(ch, Change{Kind: removed, Scope: scope, From: h})
		}
	}
	return ch
}

func byKey[T any](xs []T, key func(T) string) map[string]T {
	m := make(map[string]T, len(xs))
	for _, x := range xs {
		m[key(x)] = x
	}
	return m
}

func unionKeys[T any](a, b map[string]T) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, cmp.Compare)
	return keys
}
