package routetest

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/eval"
)

// endpointsMatch checks a destination's expected failover priorities and distribute weights
// against the endpoints the evaluator read from the emitted config. No endpoints in the result
// means a flat order: every cluster at priority 0, none weighted.
func endpointsMatch(want Destination, got []eval.Endpoint) bool {
	prio, weight := endpointMaps(got)
	for c, p := range want.Priorities {
		if prio[c] != p || got != nil && !hasCluster(got, c) {
			return false
		}
	}
	return want.Weights == nil || maps.Equal(nonZero(want.Weights), nonZero(weight))
}

func endpointMaps(eps []eval.Endpoint) (prio, weight map[string]uint32) {
	prio, weight = map[string]uint32{}, map[string]uint32{}
	for _, e := range eps {
		prio[e.Cluster] = e.Priority
		weight[e.Cluster] = e.Weight
	}
	return prio, weight
}

func hasCluster(eps []eval.Endpoint, cluster string) bool {
	return slices.ContainsFunc(eps, func(e eval.Endpoint) bool { return e.Cluster == cluster })
}

func nonZero(m map[string]uint32) map[string]uint32 {
	out := map[string]uint32{}
	for k, v := range m {
		if v > 0 {
			out[k] = v
		}
	}
	return out
}

// describeEndpoints renders endpoints as "priorities cluster-1=0 cluster-2=1" (or weights).
func describeEndpoints(eps []eval.Endpoint) string {
	if eps == nil {
		return ""
	}
	var parts []string
	weighted := slices.ContainsFunc(eps, func(e eval.Endpoint) bool { return e.Weight > 0 })
	for _, e := range eps {
		if weighted {
			parts = append(parts, fmt.Sprintf("%s=%d%%", e.Cluster, e.Weight))
		} else {
			parts = append(parts, fmt.Sprintf("%s=%d", e.Cluster, e.Priority))
		}
	}
	if weighted {
		return "weights " + strings.Join(parts, " ")
	}
	return "priorities " + strings.Join(parts, " ")
}

// describeExpectedEndpoints renders an expectation's priorities and weights like
// describeEndpoints, clusters sorted.
func describeExpectedEndpoints(d Destination) string {
	var parts []string
	for _, c := range slices.Sorted(maps.Keys(d.Priorities)) {
		parts = append(parts, fmt.Sprintf("%s=%d", c, d.Priorities[c]))
	}
	s := ""
	if parts != nil {
		s = "priorities " + strings.Join(parts, " ")
	}
	parts = nil
	for _, c := range slices.Sorted(maps.Keys(d.Weights)) {
		parts = append(parts, fmt.Sprintf("%s=%d%%", c, d.Weights[c]))
	}
	if parts != nil {
		s = strings.TrimSpace(s + " weights " + strings.Join(parts, " "))
	}
	return s
}
