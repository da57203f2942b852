// Package retryon is istiod's reading of a VirtualService's retries.retryOn, in one place for
// the Envoy emitter (which writes what istiod would) and the evaluators (which read a
// VirtualService back), as internal/locality is for failover.
package retryon

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Split separates the HTTP status codes of a retryOn from Envoy's retry conditions, and adds
// retriable-status-codes when codes are listed without it, as istiod does.
func Split(retryOn string) (conditions string, codes []uint32) {
	var conds []string
	for part := range strings.SplitSeq(retryOn, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if n, err := strconv.Atoi(part); err == nil && http.StatusText(n) != "" {
			codes = append(codes, uint32(n))
			continue
		}
		conds = append(conds, part)
	}
	conditions = strings.Join(conds, ",")
	if len(codes) > 0 && !slices.Contains(conds, "retriable-status-codes") {
		conditions += ",retriable-status-codes"
	}
	return conditions, codes
}
