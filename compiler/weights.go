package compiler

import (
	"fmt"
	"strconv"
	"strings"
)

// normaliseWeights turns the written weights into weights summing to exactly 100, per DESIGN.md
// §2, or explains why that is impossible (MR4001). A weight of 0 is no weight: Gloo's weight is
// a proto3 uint32, where 0 and unset are one value. scaled reports that every destination was
// weighted below 100 in total and the weights were scaled up (MR4015). A single destination
// carries weight 0: it takes all traffic, and Istio wants no weight field then.
func normaliseWeights(ws []uint32) (out []uint32, scaled bool, why string) {
	total := sumWeights(ws)
	unweighted := 0
	for _, w := range ws {
		if w == 0 {
			unweighted++
		}
	}
	if total > 100 {
		return nil, false, fmt.Sprintf("the explicit weights sum to %d, more than 100", total)
	}
	out = make([]uint32, len(ws))
	if len(ws) == 1 {
		return out, false, ""
	}
	if unweighted == 0 {
		return scaleWeights(ws, total), total < 100, ""
	}
	left := 100 - int(total)
	if left == 0 {
		return nil, false, fmt.Sprintf("the explicit weights sum to 100, leaving nothing for the %d unweighted destination(s)", unweighted)
	}
	if left < unweighted {
		return nil, false, fmt.Sprintf("the %d left over by the explicit weights cannot give each of the %d unweighted destinations at least 1", left, unweighted)
	}
	share, extra := left/unweighted, left%unweighted
	for i, w := range ws {
		if w != 0 {
			out[i] = w
			continue
		}
		out[i] = uint32(share)
		if extra > 0 {
			out[i]++
			extra--
		}
	}
	return out, false, ""
}

// scaleWeights scales weights summing to total (1 to 100) to 100 by largest remainder, ties to
// the earlier destination.
func scaleWeights(ws []uint32, total uint64) []uint32 {
	out := make([]uint32, len(ws))
	sum := uint64(0)
	rem := make([]uint64, len(ws))
	for i, w := range ws {
		scaled := uint64(w) * 100
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
	return out
}

// joinWeights writes weights as a diagnostic shows them: "90, 5".
func joinWeights(ws []uint32) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = strconv.FormatUint(uint64(w), 10)
	}
	return strings.Join(parts, ", ")
}

func sumWeights(ws []uint32) uint64 {
	var sum uint64
	for _, w := range ws {
		sum += uint64(w)
	}
	return sum
}
