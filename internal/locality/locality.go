// Package locality is Istio's locality load balancing as istiod applies it to one proxy's view of
// a host's endpoints: failover priorities (with outlier detection) and distribute weights. The
// compiler computes the model's endpoint order with it, and the Istio evaluator reads the emitted
// DestinationRules and endpoints through it, so both targets are checked against one rule.
package locality

import (
	"slices"
	"strings"
)

// Topology labels: what Istio knows of every endpoint and proxy, and what failoverPriority and
// the locality settings compare.
const (
	Region  = "topology.kubernetes.io/region"
	Zone    = "topology.kubernetes.io/zone"
	Subzone = "topology.istio.io/subzone"
	Network = "topology.istio.io/network"
)

// Keys are the topology labels, in order.
var Keys = []string{Region, Zone, Subzone, Network}

// Labels are the topology labels of a locality ("region/zone/subzone") and network.
func Labels(locality, network string) map[string]string {
	parts := strings.SplitN(locality, "/", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	return map[string]string{Region: parts[0], Zone: parts[1], Subzone: parts[2], Network: network}
}

// Endpoint is one group of endpoints (one backing cluster), named by Key, with its labels.
type Endpoint struct {
	Key    string
	Labels map[string]string
}

// Failover sends traffic from region From to region To before any other region.
type Failover struct{ From, To string }

// Distribute splits the traffic of clients in From over the To localities by weight; localities
// are "region/zone/subzone" with "*" for any part.
type Distribute struct {
	From string
	To   []Weight
}

// Weight is one locality's share.
type Weight struct {
	Locality string
	Weight   uint32
}

// Priorities orders the endpoints for the client as istiod does once outlier detection is on:
// with priority labels, by how many of them (in order) the endpoint shares with the client (or
// carries with the value a key=value label names); otherwise the client's own locality, then its
// zone, its region, a failover region, the rest. Priorities are consecutive from 0.
func Priorities(eps []Endpoint, client map[string]string, failover []Failover, priorityLabels []string) map[string]uint32 {
	raw := make([]int, len(eps))
	for i, ep := range eps {
		if priorityLabels != nil {
			raw[i] = labelPriority(priorityLabels, client, ep.Labels)
		} else {
			raw[i] = localityPriority(failover, client, ep.Labels)
		}
	}
	levels := slices.Clone(raw)
	slices.Sort(levels)
	levels = slices.Compact(levels)
	out := map[string]uint32{}
	for i, ep := range eps {
		out[ep.Key] = uint32(slices.Index(levels, raw[i]))
	}
	return out
}

func localityPriority(failover []Failover, client, ep map[string]string) int {
	sameRegion := ep[Region] == client[Region]
	sameZone := sameRegion && ep[Zone] == client[Zone]
	switch {
	case sameZone && ep[Subzone] == client[Subzone]:
		return 0
	case sameZone:
		return 1
	case sameRegion:
		return 2
	case slices.Contains(failover, Failover{From: client[Region], To: ep[Region]}):
		return 3
	}
	return 4
}

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

// Weights applies the first distribute entry whose From matches the client: each To locality's
// weight is shared by the distinct endpoint localities it matches, rounded up as istiod rounds
// (istiod shares by endpoint count, which the inventory does not know: equally here); an
// endpoint no To matches gets none (it is absent from the map). Nil when no entry is for the
// client. A weight of 0 leaves its localities out too.
func Weights(eps []Endpoint, client map[string]string, ds []Distribute) map[string]uint32 {
	for _, d := range ds {
		if !Matches(d.From, client) {
			continue
		}
		out := map[string]uint32{}
		for _, to := range d.To {
			matched := map[string]bool{}
			for _, ep := range eps {
				if Matches(to.Locality, ep.Labels) {
					matched[of(ep.Labels)] = true
				}
			}
			for _, ep := range eps {
				if _, taken := out[ep.Key]; !taken && matched[of(ep.Labels)] {
					n := uint32(len(matched))
					out[ep.Key] = (to.Weight + n - 1) / n
				}
			}
		}
		return out
	}
	return nil
}

func of(labels map[string]string) string {
	return labels[Region] + "/" + labels[Zone] + "/" + labels[Subzone]
}

// Matches matches a "region/zone/subzone" pattern with "*" parts against topology labels.
func Matches(pattern string, labels map[string]string) bool {
	keys := []string{Region, Zone, Subzone}
	for i, part := range strings.SplitN(pattern, "/", 3) {
		if part != "*" && part != labels[keys[i]] {
			return false
		}
	}
	return true
}

// Pick returns the labels among keys that labels carries (for writing them on endpoints).
func Pick(labels map[string]string, keys []string) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		if v := labels[k]; v != "" {
			out[k] = v
		}
	}
	return out
}
