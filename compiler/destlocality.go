package compiler

import (
	"maps"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
)

// What locality load balancing makes of a backend's endpoints for the clients of one cluster,
// computed once here so that the Envoy target groups endpoints exactly as istiod would for a
// sidecar or gateway of that cluster.

// policyEndpoint is one backing cluster of a backend, with its topology.
type policyEndpoint struct {
	cluster string
	labels  map[string]string // topology labels: region, zone, subzone, network
}

// topologyLabels are the labels Istio gives an endpoint or proxy in that locality and network.
func topologyLabels(locality, network string) map[string]string {
	parts := strings.SplitN(locality, "/", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	return map[string]string{labelRegion: parts[0], labelZone: parts[1], labelSubzone: parts[2], labelNetwork: network}
}

func backendEndpoints(ci *clusterInfo, be *model.Backend) []policyEndpoint {
	var out []policyEndpoint
	if be.Local != nil {
		out = append(out, policyEndpoint{ci.name, topologyLabels(ci.out.Locality, ci.out.Network)})
	}
	for _, r := range be.Remotes {
		out = append(out, policyEndpoint{r.Cluster, topologyLabels(r.Locality, r.Network)})
	}
	return out
}

// endpointOrder sets the priorities (failover, which needs outlier detection) or weights
// (distribute) of the backend's endpoints for this cluster's clients.
func (b *builder) endpointOrder(ci *clusterInfo, be *model.Backend, dp *model.DestinationPolicy) {
	eps := backendEndpoints(ci, be)
	client := topologyLabels(ci.out.Locality, ci.out.Network)
	if l := dp.Locality; l != nil && l.Distribute != nil {
		dp.EndpointWeight = distributeShares(l.Distribute, client, eps)
		return
	}
	if dp.Outlier == nil {
		return
	}
	raw := make([]int, len(eps))
	for i, ep := range eps {
		if l := dp.Locality; l != nil && l.FailoverPriority != nil {
			raw[i] = labelPriority(l.FailoverPriority, client, ep.labels)
		} else {
			raw[i] = localityPriority(dp.Locality, client, ep.labels)
		}
	}
	levels := slices.Sorted(maps.Keys(setOf(raw)))
	dp.EndpointPriority = map[string]uint32{}
	for i, ep := range eps {
		dp.EndpointPriority[ep.cluster] = uint32(slices.Index(levels, raw[i]))
	}
}

func setOf(xs []int) map[int]bool {
	out := map[int]bool{}
	for _, x := range xs {
		out[x] = true
	}
	return out
}

// localityPriority is Istio's locality failover order: the client's own locality, the same zone,
// the same region, a region the failover settings name for the client's region, the rest.
func localityPriority(l *model.LocalityLB, client, ep map[string]string) int {
	sameRegion := ep[labelRegion] == client[labelRegion]
	sameZone := sameRegion && ep[labelZone] == client[labelZone]
	switch {
	case sameZone && ep[labelSubzone] == client[labelSubzone]:
		return 0
	case sameZone:
		return 1
	case sameRegion:
		return 2
	}
	if l != nil && slices.Contains(l.Failover, model.LocalityFailover{From: client[labelRegion], To: ep[labelRegion]}) {
		return 3
	}
	return 4
}

// labelPriority is Istio's failoverPriority order: the fewer of the labels, in order, the endpoint
// shares with the client (or, for key=value, carries with that value), the later it comes.
func labelPriority(labels []string, client, ep map[string]string) int {
	matched := 0
	for _, l := range labels {
		key, want, pair := strings.Cut(l, "=")
		if !pair {
			want = client[key]
		}
		if ep[key] != want {
			break
		}
		matched++
	}
	return len(labels) - matched
}

// distributeShares applies the first distribute entry whose from matches the client: each of its
// localities' weight is shared equally by the endpoint localities it matches; endpoints no entry
// matches get no traffic. Nil when no entry is for the client (then nothing changes).
func distributeShares(ds []model.LocalityDistribute, client map[string]string, eps []policyEndpoint) map[string]uint32 {
	for _, d := range ds {
		if !localityMatches(d.From, client) {
			continue
		}
		out := map[string]uint32{}
		for _, to := range d.To {
			var matched []string // distinct endpoint localities
			for _, ep := range eps {
				if loc := localityOf(ep.labels); localityMatches(to.Locality, ep.labels) && !slices.Contains(matched, loc) {
					matched = append(matched, loc)
				}
			}
			for _, ep := range eps {
				if _, taken := out[ep.cluster]; !taken && slices.Contains(matched, localityOf(ep.labels)) {
					out[ep.cluster] = max(to.Weight/uint32(len(matched)), 1)
				}
			}
		}
		return out
	}
	return nil
}

func localityOf(labels map[string]string) string {
	return labels[labelRegion] + "/" + labels[labelZone] + "/" + labels[labelSubzone]
}

// localityMatches matches "region/zone/subzone" with "*" parts against topology labels.
func localityMatches(pattern string, labels map[string]string) bool {
	keys := []string{labelRegion, labelZone, labelSubzone}
	for i, part := range strings.SplitN(pattern, "/", 3) {
		if part != "*" && part != labels[keys[i]] {
			return false
		}
	}
	return true
}

// labelEndpoints writes the topology labels priorityLabels compare on the remote endpoints
// (WorkloadEntries, ServiceEntry endpoints), so the emitted objects say what Istio compares.
func labelEndpoints(be *model.Backend, dps []*model.DestinationPolicy) {
	var keys []string
	for _, dp := range dps {
		if dp == nil || dp.Locality == nil {
			continue
		}
		for _, l := range dp.Locality.FailoverPriority {
			key, _, _ := strings.Cut(l, "=")
			if !slices.Contains(keys, key) {
				keys = append(keys, key)
			}
		}
	}
	if keys == nil {
		return
	}
	for _, r := range be.Remotes {
		all := topologyLabels(r.Locality, r.Network)
		r.Labels = map[string]string{}
		for _, k := range keys {
			if v := all[k]; v != "" {
				r.Labels[k] = v
			}
		}
	}
}
