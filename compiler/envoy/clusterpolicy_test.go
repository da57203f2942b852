package envoy

import (
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
)

func TestHashPolicy(t *testing.T) {
	header := &model.DestinationPolicy{LoadBalancer: &model.LoadBalancer{Hash: &model.ConsistentHash{Header: "x-user"}}}
	cookie := &model.DestinationPolicy{LoadBalancer: &model.LoadBalancer{Hash: &model.ConsistentHash{Cookie: &model.HashCookie{Name: "sid"}}}}
	dest := func(port uint32, dp *model.DestinationPolicy) *model.Destination {
		return &model.Destination{Port: port, Backend: &model.Backend{Policy: dp}}
	}
	for _, tc := range []struct {
		name string
		ds   []*model.Destination
		want string // the hash policy's key kind, "" for none
	}{
		{"one destination", []*model.Destination{dest(80, header)}, "header"},
		{"same key on every destination", []*model.Destination{dest(80, header), dest(81, header)}, "header"},
		{"different keys", []*model.Destination{dest(80, header), dest(81, cookie)}, ""},
		{"one destination without", []*model.Destination{dest(80, header), dest(81, nil)}, ""},
		{"no backend", []*model.Destination{{Port: 80}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hp := hashPolicy(tc.ds)
			got := ""
			switch {
			case len(hp) == 1 && hp[0].GetHeader() != nil:
				got = "header"
			case len(hp) == 1 && hp[0].GetCookie() != nil:
				got = "cookie"
			case len(hp) > 0:
				got = "other"
			}
			if got != tc.want {
				t.Errorf("hash policy %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLocalitiesByPolicy(t *testing.T) {
	eps := []endpoint{
		{address: "a.svc", locality: "r1/z1", cluster: "c1"},
		{address: "10.0.0.2", locality: "r1/z2", cluster: "c2", remote: true},
		{address: "10.0.0.3", locality: "r2/z3", cluster: "c3", remote: true},
	}
	type group struct {
		locality string
		priority uint32
		weight   uint32
		n        int
	}
	for _, tc := range []struct {
		name string
		dp   *model.DestinationPolicy
		want []group
	}{
		{"flat", nil, []group{{"z1", 0, 0, 1}, {"z2", 0, 0, 1}, {"z3", 0, 0, 1}}},
		{"priorities", &model.DestinationPolicy{EndpointPriority: map[string]uint32{"c1": 0, "c2": 1, "c3": 1}},
			[]group{{"z1", 0, 0, 1}, {"z2", 1, 0, 1}, {"z3", 1, 0, 1}}},
		{"weights leave out the unweighted", &model.DestinationPolicy{EndpointWeight: map[string]uint32{"c1": 80, "c3": 20}},
			[]group{{"z1", 0, 80, 1}, {"z3", 0, 20, 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []group
			for _, l := range localities(eps, tc.dp) {
				got = append(got, group{l.GetLocality().GetZone(), l.GetPriority(), l.GetLoadBalancingWeight().GetValue(), len(l.GetLbEndpoints())})
			}
			if len(got) != len(tc.want) {
				t.Fatalf("groups %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("group %d: %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
}
