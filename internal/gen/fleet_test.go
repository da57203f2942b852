package gen

import (
	"context"
	"testing"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/schema"
)

// A small fleet loads with every document counted and validates without a finding.
func TestFleetIsValid(t *testing.T) {
	f := Fleet{Clusters: 3, VirtualDestinations: 12, BackingPerVD: 2, RootTables: 4, ChildrenPerRoot: 2, RoutesPerChild: 3, Namespaces: 2, Seed: 7}
	dir := t.TempDir()
	if err := f.Write(dir); err != nil {
		t.Fatal(err)
	}
	v, ds, err := pipeline.Validate(context.Background(), pipeline.Inputs{Paths: []schema.Input{{Path: dir}}}, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) > 0 {
		t.Fatalf("diagnostics: %v (errors: %v)", ds, diag.HasErrors(ds))
	}
	if got, want := v.Set.Len(), f.Documents(); got != want {
		t.Errorf("%d objects loaded, want %d", got, want)
	}
}
