package envoy_test

import (
	"os"
	"testing"

	"github.com/meshroute/meshroute/internal/goldentest"
)

// TestExamplesLoad: every bootstrap of every example under examples/ (what users run first, and
// what `make demo` compiles) passes the Envoy target's check. TestGolden covers testdata/;
// examples are not copied there, so without this an example could ship a bootstrap Envoy refuses.
func TestExamplesLoad(t *testing.T) {
	entries, err := os.ReadDir(goldentest.Path("examples"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			res, ds := compileEnvoy(t, nil, goldentest.Path("examples", e.Name()))
			if res == nil {
				t.Fatalf("an example must compile: %v", ds)
			}
			n := 0
			for _, bs := range res.Envoy {
				n += len(bs)
			}
			if n == 0 {
				t.Error("no bootstrap emitted")
			}
		})
	}
}
