package diag

// Omitted counts the diagnostics of one code that Cap left out.
type Omitted struct {
	Code string
	// Count is how many were left out; Severity the highest among them.
	Count    int
	Severity Severity
	// First is the position of the first one left out.
	First Position
}

// Cap keeps the first limit diagnostics of each code, in the order given, and counts the rest
// per code (in the order their codes were first capped), so a million findings of one kind
// print as a hundred and one line saying how many more there are. limit <= 0 keeps everything.
func Cap(ds []Diagnostic, limit int) ([]Diagnostic, []Omitted) {
	if limit <= 0 {
		return ds, nil
	}
	seen := map[string]int{}
	index := map[string]int{}
	var kept []Diagnostic
	var omitted []Omitted
	for _, d := range ds {
		seen[d.Code]++
		if seen[d.Code] <= limit {
			kept = append(kept, d)
			continue
		}
		i, ok := index[d.Code]
		if !ok {
			i = len(omitted)
			index[d.Code] = i
			omitted = append(omitted, Omitted{Code: d.Code, Severity: d.Severity, First: d.Pos})
		}
		omitted[i].Count++
		omitted[i].Severity = max(omitted[i].Severity, d.Severity)
	}
	if omitted == nil {
		return ds, nil
	}
	return kept, omitted
}

// Diagnostic is the MR1012 line that stands for the left-out diagnostics, at the first of them.
func (o Omitted) Diagnostic(limit int) Diagnostic {
	name := o.Code
	if e, ok := Lookup(o.Code); ok {
		name += " " + e.Name
	}
	word := "diagnostics"
	if o.Count == 1 {
		word = "diagnostic"
	}
	return New("MR1012", o.First, "%d more %s %s (%s) not shown, the first of them here: only the first %d of each code are listed",
		o.Count, name, word, o.Severity, limit).
		WithHint("fix the cause of the first ones and run again, or pass fewer inputs; the exit code counts every finding")
}
