package schema

import "strings"

// Suggest returns the candidate closest to s when it is close enough to be a likely typo
// ("matcher" → "matchers"), else "". Case, '_' and '-' are ignored first, so the proto's
// snake_case names ("forward_to") and enum values in the wrong case ("simple") find their
// match however long they are.
func Suggest(s string, candidates []string) string {
	norm := normalize(s)
	for _, c := range candidates {
		if norm != "" && normalize(c) == norm {
			return c
		}
	}
	best, bestDist := "", min(len(s)/3+1, 3)
	for _, c := range candidates {
		if d := editDistance(s, c); d <= bestDist && (best == "" || d < bestDist || (d == bestDist && c < best)) {
			best, bestDist = c, d
		}
	}
	return best
}

// separators is built once: a Replacer compiles itself on first use, which dominated loading
// many small documents when built per call.
var separators = strings.NewReplacer("_", "", "-", "")

func normalize(s string) string {
	return strings.ToLower(separators.Replace(s))
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
