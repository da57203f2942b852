package parallel

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	_ "github.com/meshroute/meshroute/internal/goldentest" // the -update flag
)

// ForEach runs every index once and reports the error of the lowest failing index, whatever
// order the workers finish in, so an error message is deterministic.
func TestForEach(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		var calls atomic.Int64
		seen := make([]atomic.Bool, n)
		err := ForEach(n, func(i int) error {
			calls.Add(1)
			if seen[i].Swap(true) {
				t.Errorf("n=%d: index %d ran twice", n, i)
			}
			if i >= 3 && i%3 == 0 {
				return fmt.Errorf("fail %d", i)
			}
			return nil
		})
		if int(calls.Load()) != n {
			t.Errorf("n=%d: %d calls", n, calls.Load())
		}
		want := error(nil)
		if n > 3 {
			want = errors.New("fail 3")
		}
		if fmt.Sprint(err) != fmt.Sprint(want) {
			t.Errorf("n=%d: err %v, want %v", n, err, want)
		}
	}
}
