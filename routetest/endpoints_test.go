package routetest

import (
	"testing"

	"github.com/meshroute/meshroute/eval"
)

func TestEndpointsMatch(t *testing.T) {
	ordered := []eval.Endpoint{{Cluster: "c1", Priority: 0}, {Cluster: "c2", Priority: 1}}
	weighted := []eval.Endpoint{{Cluster: "c1", Weight: 80}, {Cluster: "c2", Weight: 20}}
	for _, tc := range []struct {
		name string
		want Destination
		got  []eval.Endpoint
		ok   bool
	}{
		{"nothing expected", Destination{}, ordered, true},
		{"priorities", Destination{Priorities: map[string]uint32{"c1": 0, "c2": 1}}, ordered, true},
		{"wrong priority", Destination{Priorities: map[string]uint32{"c2": 0}}, ordered, false},
		{"unknown cluster", Destination{Priorities: map[string]uint32{"c3": 0}}, ordered, false},
		{"flat order is priority 0", Destination{Priorities: map[string]uint32{"c1": 0, "c2": 0}}, nil, true},
		{"flat order is not failover", Destination{Priorities: map[string]uint32{"c2": 1}}, nil, false},
		{"weights", Destination{Weights: map[string]uint32{"c1": 80, "c2": 20, "c3": 0}}, weighted, true},
		{"wrong weights", Destination{Weights: map[string]uint32{"c1": 50, "c2": 50}}, weighted, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := endpointsMatch(tc.want, tc.got); got != tc.ok {
				t.Errorf("endpointsMatch = %v, want %v", got, tc.ok)
			}
		})
	}
}
