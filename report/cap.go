package report

import "github.com/meshroute/meshroute/diag"

// MaxPerCode is how many diagnostics of one code every diagnostic format lists.
const MaxPerCode = 100

// listed is what a diagnostic format prints for ds: the first MaxPerCode of each code, then one
// MR1012 line per capped code, and the counts of what was left out for the format's summary.
// Summaries and exit codes still count every finding.
func listed(ds []diag.Diagnostic) ([]diag.Diagnostic, []diag.Omitted) {
	kept, omitted := diag.Cap(ds, MaxPerCode)
	for _, o := range omitted {
		kept = append(kept, o.Diagnostic(MaxPerCode))
	}
	return kept, omitted
}

// omittedCounts maps each capped code to how many of its diagnostics were left out, for the
// machine formats' summaries; nil when nothing was.
func omittedCounts(omitted []diag.Omitted) map[string]int {
	if len(omitted) == 0 {
		return nil
	}
	out := make(map[string]int, len(omitted))
	for _, o := range omitted {
		out[o.Code] = o.Count
	}
	return out
}

// omittedTotal is how many diagnostics were left out in all.
func omittedTotal(omitted []diag.Omitted) int {
	n := 0
	for _, o := range omitted {
		n += o.Count
	}
	return n
}
