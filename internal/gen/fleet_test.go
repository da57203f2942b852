package gen

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

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

// EmitEach (compile --out-dir's way: a cluster at a time, in parallel) writes exactly what Emit
// writes for all clusters at once, whatever the number of cores.
func TestFleetEmitEachIsEmit(t *testing.T) {
	f := Fleet{Clusters: 5, VirtualDestinations: 20, BackingPerVD: 2, RootTables: 6, ChildrenPerRoot: 2, RoutesPerChild: 3, Namespaces: 3, Seed: 3}
	dir := t.TempDir()
	if err := f.Write(dir); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, target := range []string{pipeline.TargetIstio, pipeline.TargetEnvoy} {
		opts := pipeline.Options{Target: target}
		res, ds, err := pipeline.Compile(ctx, pipeline.Inputs{Paths: []schema.Input{{Path: dir}}}, opts)
		if err != nil || len(ds) > 0 {
			t.Fatalf("compile: %v %v", err, ds)
		}
		want := map[string]string{}
		for _, c := range res.Model.ClusterNames() {
			files, err := res.Files(c)
			if err != nil {
				t.Fatal(err)
			}
			for _, file := range files {
				want[c+"/"+file.Name] = string(file.Data)
			}
		}
		for _, procs := range []int{1, 2} {
			prev := runtime.GOMAXPROCS(procs)
			got := map[string]string{}
			var mu sync.Mutex
			err := pipeline.EmitEach(ctx, &pipeline.Validated{Set: res.Set, Model: res.Model}, opts, func(c string, files []pipeline.File) error {
				mu.Lock()
				defer mu.Unlock()
				for _, file := range files {
					got[c+"/"+file.Name] = string(file.Data)
				}
				return nil
			})
			runtime.GOMAXPROCS(prev)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s, GOMAXPROCS=%d: EmitEach differs from Emit (-Emit +EmitEach):\n%s", target, procs, diff)
			}
		}
	}
}
