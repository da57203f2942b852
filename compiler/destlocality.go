package compiler

import (
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/internal/locality"
)

// What locality load balancing makes of a backend's endpoints for the clients of one cluster
// (their locality is the cluster's), computed once here so that the Envoy target groups the
// endpoints as istiod would for a sidecar or gateway of that cluster.

// backendEndpoints are the backing clusters of a backend with their topology labels, and the
// addresses of a VirtualDestination's ExternalService backends.
func backendEndpoints(ci *clusterInfo, be *model.Backend) []locality.Endpoint {
	var out []locality.Endpoint
	if be.Local != nil {
		out = append(out, locality.Endpoint{Key: ci.name, Labels: locality.Labels(ci.out.Locality, ci.out.Network)})
	}
	for _, r := range be.Remotes {
		out = append(out, locality.Endpoint{Key: r.Cluster, Labels: locality.Labels(r.Locality, r.Network)})
	}
	// A VirtualDestination's external endpoints, named by address: their ExternalEndpoint's
	// locality, no network.
	for _, x := range be.Externals {
		if x.WorkloadEntry != "" {
			out = append(out, locality.Endpoint{Key: x.Address, Labels: locality.Labels(x.Locality, "")})
		}
	}
	return out
}

// endpointOrder sets the weights (distribute) or priorities (failover, which needs outlier
// detection) of the backend's endpoints for this cluster's clients.
func (b *builder) endpointOrder(ci *clusterInfo, be *model.Backend, dp *model.DestinationPolicy) {
	eps := backendEndpoints(ci, be)
	client := locality.Labels(ci.out.Locality, ci.out.Network)
	l := dp.Locality
	if l == nil {
		l = &model.LocalityLB{}
	}
	if l.Distribute != nil {
		var ds []locality.Distribute
		for _, d := range l.Distribute {
			ld := locality.Distribute{From: d.From}
			for _, w := range d.To {
				ld.To = append(ld.To, locality.Weight{Locality: w.Locality, Weight: w.Weight})
			}
			ds = append(ds, ld)
		}
		dp.EndpointWeight = locality.Weights(eps, client, ds)
		return
	}
	if dp.Outlier == nil {
		return
	}
	var failover []locality.Failover
	for _, f := range l.Failover {
		failover = append(failover, locality.Failover{From: f.From, To: f.To})
	}
	dp.EndpointPriority = locality.Priorities(eps, client, failover, l.FailoverPriority)
}

// labelEndpoints writes the topology labels a priorityLabels setting compares on the remote
// endpoints (WorkloadEntries, ServiceEntry endpoints), so the emitted objects carry what Istio
// compares.
func labelEndpoints(be *model.Backend, dps []*model.DestinationPolicy) {
	var keys []string
	for _, dp := range dps {
		if dp == nil || dp.Locality == nil {
			continue
		}
		for _, l := range dp.Locality.FailoverPriority {
			key, _, _ := strings.Cut(l, "=")
			keys = append(keys, key)
		}
	}
	if keys == nil {
		return
	}
	for _, r := range be.Remotes {
		r.Labels = locality.Pick(locality.Labels(r.Locality, r.Network), keys)
	}
}
