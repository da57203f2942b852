package outdir

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/schema"
)

// The addresses compile hands over with each ServiceEntry (pipeline.File.Entry, which
// compile --out-dir puts with PutEntry) are what PreviousVIPs reads back from its file, in every
// behaviour case; no other file gives any.
func TestEntryAddressesAreWhatTheFileGives(t *testing.T) {
	entries := 0
	for _, name := range goldentest.Cases(t) {
		in := pipeline.Inputs{Paths: []schema.Input{{Path: goldentest.Path("testdata", name)}}}
		res, ds, err := pipeline.Compile(context.Background(), in, pipeline.Options{Target: pipeline.TargetIstio})
		if err != nil || diag.HasErrors(ds) {
			continue // a case of refused input
		}
		for _, c := range slices.Sorted(maps.Keys(res.Istio)) {
			files, err := res.Files(c)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				var known VIP
				if e := f.Entry; e != nil && len(e.Addresses) > 0 {
					known = VIP{Hosts: e.Hosts, Addr: e.Addresses[0]}
					entries++
				}
				read := serviceEntryVIP(append([]byte(GeneratedHeader), f.Data...))
				if diff := cmp.Diff(read, known); diff != "" {
					t.Errorf("%s: %s/%s: VIP (-read back +handed over):\n%s", name, c, f.Name, diff)
				}
			}
		}
	}
	if entries == 0 {
		t.Fatal("no case has a ServiceEntry with an address")
	}
}
