package retryon

import (
	"slices"
	"testing"

	_ "github.com/meshroute/meshroute/internal/goldentest"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		in, conds string
		codes     []uint32
	}{
		{"connect-failure,refused-stream", "connect-failure,refused-stream", nil},
		{"5xx, 503,reset", "5xx,reset,retriable-status-codes", []uint32{503}},
		{"retriable-status-codes,502", "retriable-status-codes", []uint32{502}},
		{"999,gateway-error", "999,gateway-error", nil}, // not an HTTP status: a condition
		{"", "", nil},
	} {
		conds, codes := Split(tc.in)
		if conds != tc.conds || !slices.Equal(codes, tc.codes) {
			t.Errorf("Split(%q) = %q %v, want %q %v", tc.in, conds, codes, tc.conds, tc.codes)
		}
	}
}
