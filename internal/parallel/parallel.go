// Package parallel runs independent, indexed jobs on every core with a deterministic result.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// ForEach calls f(0) … f(n-1) on every core and returns the error of the lowest index that
// failed, so the result does not depend on scheduling. Rendering and writing tens of thousands
// of manifests is CPU- and fsync-bound; one goroutine per core keeps both busy.
func ForEach(n int, f func(i int) error) error {
	return ForEachOn(runtime.GOMAXPROCS(0)*2, n, f)
}

// ForEachOn is ForEach with at most workers jobs at a time: the window for jobs that each hold
// much memory while they run.
func ForEachOn(workers, n int, f func(i int) error) error {
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			if err := f(i); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				errs[i] = f(i)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
