package compiler

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// clusterInfo is one declared cluster with its Services and the model being filled for it.
type clusterInfo struct {
	c        *schema.Cluster
	name     string
	services []*schema.Service // sorted by namespace/name (the loader's order)
	svc      map[nsName]*schema.Service
	out      *model.Cluster
	// shared are the Destinations and Forwards of this cluster's routes, one per value.
	shared *shared
	// gateways are this cluster's Gateways with the binding data the model does not carry.
	gateways []*gatewayInfo
	// vdBackends are the VirtualDestination backends of this cluster, by VD.
	vdBackends map[*vdInfo]*model.Backend
	// extBackends are the ExternalService backends routes of this cluster use.
	extBackends map[*extInfo]*model.Backend
	// local are the backends of this cluster's Services, by namespace and name (localBackend).
	local map[nsName]*model.Backend
	// byNamespace is services by namespace (servicesIn); built on first use.
	byNamespace map[string][]*schema.Service
}

func (b *builder) loadInventory() {
	for _, c := range b.set.Clusters {
		ci := &clusterInfo{
			c:           c,
			name:        c.Name(),
			svc:         map[nsName]*schema.Service{},
			vdBackends:  map[*vdInfo]*model.Backend{},
			extBackends: map[*extInfo]*model.Backend{},
			local:       map[nsName]*model.Backend{},
			shared:      newShared(),
			out: &model.Cluster{
				Name:     c.Name(),
				Domain:   c.Domain(),
				Network:  c.Network(),
				Locality: c.Spec.Locality.String(),
			},
		}
		b.clusters = append(b.clusters, ci)
		b.byName[ci.name] = ci
	}
	for _, s := range b.set.Services {
		ci := b.byName[s.Cluster]
		if ci == nil {
			continue // the loader reported it (MR2013)
		}
		ci.services = append(ci.services, s)
		ci.svc[nsName{s.Namespace(), s.Name()}] = s
	}
}

// isManagement reports whether c names a cluster declared with role management.
func (b *builder) isManagement(c string) bool {
	return slices.ContainsFunc(b.set.ManagementClusters, func(m *schema.Cluster) bool { return m.Name() == c })
}

// unknownCluster reports, at path at of obj, a cluster name that is no workload cluster: the
// management cluster (which runs nothing a selector or a Service destination could name) or an
// undeclared one.
func (b *builder) unknownCluster(obj *schema.Object, at, c string) diag.Diagnostic {
	if b.isManagement(c) {
		return on(obj, at, diag.ManagementClusterSelected(obj.FieldPos(at), c)).
			WithHint("name the workload cluster, or leave cluster out for every cluster (workload clusters: %s)", joinComma(b.clusterNames()))
	}
	return didYouMean(on(obj, at, diag.UnknownCluster(obj.FieldPos(at), c)), c, b.clusterNames(), "cluster")
}

func (b *builder) clusterNames() []string {
	names := make([]string, len(b.clusters))
	for i, ci := range b.clusters {
		names[i] = ci.name
	}
	return names
}

// fqdn is a Service's in-cluster host name.
func (ci *clusterInfo) fqdn(s *schema.Service) string {
	return naming.ServiceFQDN(s.Name(), s.Namespace(), ci.out.Domain)
}

// subsetOf reports whether every label of want is in have (an empty want matches everything).
func subsetOf(want, have map[string]string) bool {
	for k, v := range want {
		if hv, ok := have[k]; !ok || hv != v {
			return false
		}
	}
	return true
}

// selects reports whether sel matches an object of that name, namespace, cluster and labels;
// every empty field of sel means "any" (DESIGN.md §1).
func selects(sel *schema.ObjectSelector, name, namespace, cluster string, labels map[string]string) bool {
	if sel == nil {
		return true
	}
	return (sel.Name == "" || sel.Name == name) &&
		(sel.Namespace == "" || sel.Namespace == namespace) &&
		(sel.Cluster == "" || sel.Cluster == cluster) &&
		subsetOf(sel.Labels, labels)
}

// eastWest returns how other clusters reach ci, and false (having reported why, on the Cluster
// object) when they cannot: no east-west gateway (MR2016) or an address that is not an IP
// (MR2014). needer (at pos) is what needs the route; it is a related position so the finding is
// reported once per cluster however many objects need it. obj is the needer, whose workspace's
// east-west gateway selectors must pick a gateway in ci (MR2044, a warning).
func (b *builder) eastWest(ci *clusterInfo, obj *schema.Object, pos diag.Position, needer string) (*model.RemoteEndpoint, bool) {
	ew := ci.c.Spec.EastWestGateway
	if ew == nil || ew.Address == "" {
		b.report(on(&ci.c.Object, "/spec", diag.MissingEastWestGateway(ci.c.FieldPos("/spec"), ci.name)).
			WithRelated(pos, "needed by %s", needer).
			WithHint("add spec.eastWestGateway: {address: <IP of the east-west gateway>, port: 15443}"))
		return nil, false
	}
	if _, err := netip.ParseAddr(ew.Address); err != nil {
		b.report(on(&ci.c.Object, "/spec/eastWestGateway/address", diag.EastWestAddressNotIP(ci.c.FieldPos("/spec/eastWestGateway/address"), ew.Address, ci.name)).
			WithRelated(pos, "needed by %s", needer).
			WithHint("use the gateway's load-balancer IP: Istio's STATIC endpoints need an IP address"))
		return nil, false
	}
	b.checkEastWestNeeded(ci, obj, pos, needer)
	return ci.eastWestEndpoint(), true
}

// eastWestEndpoint is how other clusters reach ci: nil when they cannot, which eastWest reports.
func (ci *clusterInfo) eastWestEndpoint() *model.RemoteEndpoint {
	ew := ci.c.Spec.EastWestGateway
	if ew == nil || ew.Address == "" {
		return nil
	}
	if _, err := netip.ParseAddr(ew.Address); err != nil {
		return nil
	}
	return &model.RemoteEndpoint{
		Cluster:  ci.name,
		Address:  ew.Address,
		Port:     ew.PortOrDefault(),
		Network:  ci.out.Network,
		Locality: ci.out.Locality,
	}
}

// labelString renders labels as sorted k=v pairs, for messages.
func labelString(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + labels[k]
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
