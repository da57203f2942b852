package compiler

import (
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/compiler/model"
)

// readBack is what the output of m gives the next run as its previous VIPs: every host of
// every ServiceEntry → its address.
func readBack(m *model.Model) map[string]string {
	out := map[string]string{}
	for _, c := range m.Clusters {
		for _, be := range c.Backends {
			if getsVIP(be) {
				for _, h := range be.Hosts {
					out[h] = be.VIP
				}
			}
		}
	}
	return out
}

// KeptBy is a promise about Build: whenever it holds, building again with that previous
// output gives the same addresses (and it holds for a model's own output).
func TestVIPsKept(t *testing.T) {
	inputs := []string{
		vdWith("", "a.example.com"),
		vdWith("", "b.example.com", "b2.example.com"),
		vdWith("meshroute.dev/vip: 10.96.0.10", "pinned.example.com"),
		ingress("t", `- name: fed
  forwardTo: {destinations: [{ref: {name: ratings, cluster: c1}, port: {number: 9080}}]}
`),
	}
	m, ds := build(t, inputs...)
	noErrors(t, ds)
	own := readBack(m)
	swapped := maps.Clone(own)
	swapped["a.example.com"], swapped["b.example.com"] = own["b.example.com"], own["a.example.com"]
	shared := maps.Clone(own)
	shared["b.example.com"] = own["a.example.com"]
	moved := maps.Clone(own)
	moved["b2.example.com"] = "240.1.2.3"
	delete(moved, "b.example.com") // b's first host found is now b2
	for _, tc := range []struct {
		name     string
		previous map[string]string
		want     bool
	}{
		{"its own output", own, true},
		{"no previous output", nil, false},
		{"two hosts swapped", swapped, false},
		{"two hosts on one address", shared, false},
		{"another host of the entry moved", moved, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ClaimedVIPs(m).KeptBy(tc.previous)
			if got != tc.want {
				t.Errorf("KeptBy = %v, want %v", got, tc.want)
			}
			if !got {
				return
			}
			again, ds := buildWith(t, Options{PreviousVIPs: tc.previous}, inputs...)
			noErrors(t, ds)
			if diff := cmp.Diff(vips(t, m), vips(t, again)); diff != "" {
				t.Errorf("KeptBy held, yet building again moved addresses (-before +after):\n%s", diff)
			}
		})
	}
}
