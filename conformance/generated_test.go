package conformance

import (
	"maps"
	"slices"
	"testing"

	"github.com/meshroute/meshroute/internal/gen"
)

// generatedSeeds is how many generated inputs (internal/gen, seeds 1..N) have their compiled
// Istio output checked: far more shapes than the goldens, in a few seconds.
const generatedSeeds = 150

// TestGeneratedManifests runs Istio's own validation on every Istio object meshroute emits for
// the generated inputs that validate without error.
func TestGeneratedManifests(t *testing.T) {
	compiled, objects := 0, 0
	for seed := int64(1); seed <= generatedSeeds; seed++ {
		res, err := gen.Compile(gen.Generate(seed))
		if err != nil {
			t.Errorf("seed %d: %v", seed, err)
			continue
		}
		if res.HasErrors() {
			continue
		}
		compiled++
		files, err := res.Manifests()
		if err != nil {
			t.Errorf("seed %d: %v", seed, err)
			continue
		}
		for _, name := range slices.Sorted(maps.Keys(files)) {
			if _, err := ValidateDocument(files[name]); err != nil {
				if err == ErrNotIstio {
					continue // Envoy bootstraps
				}
				t.Errorf("seed %d: %s: %v", seed, name, err)
			}
			objects++
		}
	}
	if compiled < generatedSeeds/2 {
		t.Errorf("only %d of %d generated inputs compile: the generator drifted from valid input", compiled, generatedSeeds)
	}
	t.Logf("validated %d objects of %d compiled inputs", objects, compiled)
}
