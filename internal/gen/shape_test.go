package gen

import (
	"strings"
	"testing"
)

// TestShape checks that each knob reaches the generated input.
func TestShape(t *testing.T) {
	tests := []struct {
		name  string
		shape func(*Shape)
		check func(yaml string) bool // true for every seed
		any   func(yaml string) bool // true for some seed
	}{
		{
			name:  "one cluster",
			shape: func(s *Shape) { s.Clusters = 1 },
			check: func(y string) bool { return !strings.Contains(y, "cluster-2") },
		},
		{
			name:  "six clusters reachable",
			shape: func(s *Shape) { s.Clusters = 6 },
			any:   func(y string) bool { return strings.Contains(y, "name: cluster-6") },
		},
		{
			name:  "words stand in for generated strings",
			shape: func(s *Shape) { s.Words = []string{"zz-word"} },
			any:   func(y string) bool { return strings.Contains(y, "/zz-word") },
		},
		{
			name:  "words as header values",
			shape: func(s *Shape) { s.Words = []string{"zz word"} },
			any:   func(y string) bool { return strings.Contains(y, "value: zz word") },
		},
		{
			name:  "counts below one are raised",
			shape: func(s *Shape) { s.Clusters, s.RootTables, s.Routes, s.VirtualDestinations = 0, -1, 0, -3 },
			check: func(y string) bool { return strings.Contains(y, "kind: RouteTable") },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found := false
			for seed := int64(1); seed <= 40; seed++ {
				s := DefaultShape()
				tt.shape(&s)
				y := GenerateShape(seed, s).YAML()
				if tt.check != nil && !tt.check(y) {
					t.Fatalf("seed %d:\n%s", seed, y)
				}
				found = found || tt.any != nil && tt.any(y)
			}
			if tt.any != nil && !found {
				t.Error("no seed of 40 shows the knob")
			}
		})
	}
}
