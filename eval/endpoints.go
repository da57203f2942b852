package eval

import (
	"cmp"
	"maps"
	"slices"
)

// Endpoint is the endpoints one backing cluster contributes to a destination, as the proxy
// orders them: its failover priority (0 first) and, under a distribute setting, its locality's
// weight. A destination lists endpoints only when the order is not flat (some priority above 0,
// or weights), so results of hosts without such a setting stay as they were.
type Endpoint struct {
	Cluster  string `json:"cluster"`
	Priority uint32 `json:"priority"`
	Weight   uint32 `json:"weight,omitempty"`
}

// OrderedEndpoints returns eps sorted by priority and cluster, or nil when every endpoint has
// priority 0 and no weight.
func OrderedEndpoints(eps []Endpoint) []Endpoint {
	if !slices.ContainsFunc(eps, func(e Endpoint) bool { return e.Priority > 0 || e.Weight > 0 }) {
		return nil
	}
	out := slices.Clone(eps)
	slices.SortFunc(out, func(a, b Endpoint) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), cmp.Compare(a.Cluster, b.Cluster))
	})
	return slices.CompactFunc(out, func(a, b Endpoint) bool { return a == b })
}

// ClusterAt names the cluster whose east-west gateway has the address ("" when none).
func (inv *Inventory) ClusterAt(address string) string {
	if inv.set == nil {
		return ""
	}
	for _, c := range inv.set.Clusters {
		if ew := c.Spec.EastWestGateway; ew != nil && ew.Address == address {
			return c.Name()
		}
	}
	return ""
}

// EndpointKey names an endpoint address as the endpoint order does: the cluster whose east-west
// gateway it is, else the address itself (an ExternalService backend of a VirtualDestination).
func (inv *Inventory) EndpointKey(address string) string {
	if c := inv.ClusterAt(address); c != "" {
		return c
	}
	return address
}

// Topology is a cluster's locality ("region/zone/subzone") and network.
func (inv *Inventory) Topology(cluster string) (locality, network string) {
	if inv.set == nil {
		return "", ""
	}
	c := inv.set.Cluster(cluster)
	if c == nil {
		return "", ""
	}
	return c.Spec.Locality.String(), c.Network()
}

// ServiceSelected reports whether a Service of the inventory's cluster has exactly this pod
// selector: the local pods a ServiceEntry's workloadSelector picks.
func (inv *Inventory) ServiceSelected(selector map[string]string) bool {
	if inv.set == nil {
		return false
	}
	for _, s := range inv.set.Services {
		if s.Cluster == inv.Cluster && maps.Equal(s.Spec.Selector, selector) {
			return true
		}
	}
	return false
}
