package compiler

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNormaliseWeights(t *testing.T) {
	for _, tc := range []struct {
		name       string
		in         []uint32 // 0 = no weight
		want       []uint32
		wantScaled bool
		wantErr    bool
	}{
		{"single unweighted", []uint32{0}, []uint32{0}, false, false},
		{"single weighted", []uint32{30}, []uint32{0}, false, false},
		{"single over 100", []uint32{130}, nil, false, true},
		{"three unweighted", []uint32{0, 0, 0}, []uint32{34, 33, 33}, false, false},
		{"leftover split", []uint32{10, 0, 0, 0}, []uint32{10, 30, 30, 30}, false, false},
		{"leftover remainder to the first", []uint32{0, 20, 0, 0}, []uint32{27, 20, 27, 26}, false, false},
		{"exact 100", []uint32{70, 30}, []uint32{70, 30}, false, false},
		{"scaled", []uint32{1, 1, 1}, []uint32{34, 33, 33}, true, false},
		{"scaled largest remainder", []uint32{1, 2}, []uint32{33, 67}, true, false},
		{"scaled typo", []uint32{90, 5}, []uint32{95, 5}, true, false},
		{"over 100", []uint32{60, 50}, nil, false, true},
		{"100 with unweighted", []uint32{100, 0}, nil, false, true},
		{"leftover below unweighted", []uint32{98, 0, 0, 0}, nil, false, true},
		// Gloo reads weight 0 as unset (proto3 uint32): it shares the leftover.
		{"zero takes the leftover", []uint32{80, 0}, []uint32{80, 20}, false, false},
		{"zero first takes the leftover", []uint32{0, 50}, []uint32{50, 50}, false, false},
		{"all zero split evenly", []uint32{0, 0}, []uint32{50, 50}, false, false},
		{"zeros share the leftover", []uint32{0, 60, 0}, []uint32{20, 60, 20}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, scaled, why := normaliseWeights(tc.in)
			if (why != "") != tc.wantErr {
				t.Fatalf("error %q, want error %v", why, tc.wantErr)
			}
			if scaled != tc.wantScaled {
				t.Errorf("scaled %v, want %v", scaled, tc.wantScaled)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("weights (-want +got):\n%s", diff)
			}
			if why == "" && len(got) > 1 {
				sum := uint32(0)
				for _, x := range got {
					sum += x
				}
				if sum != 100 {
					t.Errorf("sum %d, want 100", sum)
				}
			}
		})
	}
}

// TestWeightsAsGlooReadsThem: weight 0 is no weight (a proto3 uint32), through Build.
func TestWeightsAsGlooReadsThem(t *testing.T) {
	for _, tc := range []struct {
		name, weights string // the two destinations' weight fields
		want          []uint32
		code          string // the one diagnostic expected, "" for none
		message       string // substring of its message
	}{
		{"80 and 0", "weight: 80|weight: 0", []uint32{80, 20}, "", ""},
		{"0 and 0", "weight: 0|weight: 0", []uint32{50, 50}, "", ""},
		{"0 and absent", "weight: 0|", []uint32{50, 50}, "", ""},
		{"100 and 0", "weight: 100|weight: 0", nil, "MR4001", "leaving nothing"},
		{"90 and 5", "weight: 90|weight: 5", []uint32{95, 5}, "MR4015", "weights 90, 5 sum to 95, not 100: they are scaled to 95, 5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w1, w2, _ := strings.Cut(tc.weights, "|")
			m, ds := build(t, ingress("t", "- forwardTo:\n    destinations:\n    - {ref: {name: reviews}, "+w1+"}\n    - {ref: {name: reviews}, subset: {v: b}, "+w2+"}\n"))
			var got []string
			for _, d := range ds {
				got = append(got, d.Code)
				if d.Code == tc.code && !strings.Contains(d.Message, tc.message) {
					t.Errorf("message %q, want it to contain %q", d.Message, tc.message)
				}
			}
			want := []string(nil)
			if tc.code != "" {
				want = []string{tc.code}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("codes (-want +got):\n%s", diff)
			}
			if tc.want == nil {
				return
			}
			var weights []uint32
			for _, d := range routeSet(t, m, "c1", "routetable-t-app").Routes[0].Forward.Destinations {
				weights = append(weights, d.Weight)
			}
			if diff := cmp.Diff(tc.want, weights); diff != "" {
				t.Errorf("weights (-want +got):\n%s", diff)
			}
		})
	}
}
