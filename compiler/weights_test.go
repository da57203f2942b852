package compiler

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func w(v uint32) *uint32 { return &v }

func TestNormaliseWeights(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      []*uint32
		want    []uint32
		wantErr bool
	}{
		{"single unweighted", []*uint32{nil}, []uint32{0}, false},
		{"single weighted", []*uint32{w(30)}, []uint32{0}, false},
		{"single over 100", []*uint32{w(130)}, nil, true},
		{"three unweighted", []*uint32{nil, nil, nil}, []uint32{34, 33, 33}, false},
		{"leftover split", []*uint32{w(10), nil, nil, nil}, []uint32{10, 30, 30, 30}, false},
		{"leftover remainder to the first", []*uint32{nil, w(20), nil, nil}, []uint32{27, 20, 27, 26}, false},
		{"exact 100", []*uint32{w(70), w(30)}, []uint32{70, 30}, false},
		{"scaled", []*uint32{w(1), w(1), w(1)}, []uint32{34, 33, 33}, false},
		{"scaled largest remainder", []*uint32{w(1), w(2)}, []uint32{33, 67}, false},
		{"scaled keeps zero", []*uint32{w(0), w(50)}, []uint32{0, 100}, false},
		{"over 100", []*uint32{w(60), w(50)}, nil, true},
		{"100 with unweighted", []*uint32{w(100), nil}, nil, true},
		{"leftover below unweighted", []*uint32{w(98), nil, nil, nil}, nil, true},
		{"all zero", []*uint32{w(0), w(0)}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, why := normaliseWeights(tc.in)
			if (why != "") != tc.wantErr {
				t.Fatalf("error %q, want error %v", why, tc.wantErr)
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
