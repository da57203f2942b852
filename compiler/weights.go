package compiler

import "fmt"

// normaliseWeights turns the written weights (nil = unweighted) into weights summing to exactly
// 100, per DESIGN.md §2, or explains why that is impossible (MR4001). A single destination
// carries weight 0: it takes all traffic, and Istio wants no weight field then.
func normaliseWeights(ws []*uint32) ([]uint32, string) {
	var total uint64
	unweighted := 0
	for _, w := range ws {
		if w == nil {
			unweighted++
		} else {
			total += uint64(*w)
		}
	}
	if total > 100 {
		return nil, fmt.Sprintf("the explicit weights sum to %d, more than 100", total)
	}
	out := make([]uint32, len(ws))
	if len(ws) == 1 {
		return out, ""
	}
	if unweighted > 0 {
		left := 100 - int(total)
		if left == 0 {
			return nil, fmt.Sprintf("the explicit weights sum to 100, leaving nothing for the %d unweighted destination(s)", unweighted)
		}
		if left < unweighted {
			return nil, fmt.Sprintf("the %d left over by the explicit weights cannot give each of the %d unweighted destinations at least 1", left, unweighted)
		}
		share, extra := left/unweighted, left%unweighted
		for i, w := range ws {
			if w != nil {
				out[i] = *w
				continue
			}
			out[i] = uint32(share)
			if extra > 0 {
				out[i]++
				extra--
			}
		}
		return out, ""
	}
	if total == 0 {
		return nil, "every weight is 0, so no destination would receive traffic"
	}
	// Every destination is weighted and the sum is below 100: scale by largest remainder, ties
	// to the earlier destination.
	sum := uint64(0)
	rem := make([]uint64, len(ws))
	for i, w := range ws {
		scaled := uint64(*w) * 100
		out[i] = uint32(scaled / total)
		rem[i] = scaled % total
		sum += uint64(out[i])
	}
	for ; sum < 100; sum++ {
		best := -1
		for i := range rem {
			if best < 0 || rem[i] > rem[best] {
				best = i
			}
		}
		out[best]++
		rem[best] = 0
	}
	return out, ""
}
