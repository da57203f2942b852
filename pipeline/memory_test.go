package pipeline_test

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/meshroute/meshroute/internal/gen"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/schema"
)

// EmitEach holds a window of clusters, not the whole output: the live heap above the validated
// model, measured as each cluster is handed over, stays flat instead of growing with every
// cluster emitted. Holding even just the rendered bytes would make it grow, between the first
// third of the clusters and the last, by two thirds of all the output's bytes.
func TestEmitEachHoldsAWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a 24-cluster fleet")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	f := gen.Fleet{Clusters: 24, VirtualDestinations: 120, BackingPerVD: 3, RootTables: 12, ChildrenPerRoot: 3, RoutesPerChild: 5, Namespaces: 4, Seed: 1}
	dir := t.TempDir()
	if err := f.Write(dir); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	v, ds, err := pipeline.Validate(ctx, pipeline.Inputs{Paths: []schema.Input{{Path: dir}}}, pipeline.Options{})
	if err != nil || len(ds) > 0 {
		t.Fatalf("validate: %v %v", err, ds)
	}
	base := liveHeap()
	var mu sync.Mutex
	var extra []uint64 // live heap above base as each cluster arrives
	var total uint64   // bytes of output
	err = pipeline.EmitEach(ctx, v, pipeline.Options{}, func(_ string, files []pipeline.File) error {
		mu.Lock()
		defer mu.Unlock()
		for _, file := range files {
			total += uint64(len(file.Data))
		}
		extra = append(extra, liveHeap()-min(base, liveHeap()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	runtime.KeepAlive(v)
	if len(extra) != f.Clusters {
		t.Fatalf("%d clusters emitted, want %d", len(extra), f.Clusters)
	}
	third := len(extra) / 3
	first, last := slices.Max(extra[:third]), slices.Max(extra[len(extra)-third:])
	t.Logf("live heap above the model: at most %d over the first %d clusters, %d over the last; %d bytes of output", first, third, last, total)
	if last > first+total/3 {
		t.Errorf("the live heap grows with the clusters emitted (%d, then %d, for %d bytes of output): more than a window is held", first, last, total)
	}
}

func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
