package diag

// Omitted counts the diagnostics of one code that a cap left out.
type Omitted struct {
	Code string
	// Count is how many were left out; Severity the highest among them.
	Count    int
	Severity Severity
	// First is the position of the first one left out.
	First Position
}

// Limiter keeps the first Limit diagnostics of each code, in the order added, and only counts
// the rest, so a million findings of one kind cost a counter instead of a million entries.
// An MR1012 entry of an earlier cap (Omitted set) is merged into the counts. Limit <= 0 keeps
// everything.
type Limiter struct {
	Limit   int
	kept    []Diagnostic
	seen    map[string]int
	index   map[string]int
	omitted []Omitted
}

// Add keeps d or counts it.
func (l *Limiter) Add(d Diagnostic) {
	if d.Omitted != nil {
		l.omit(*d.Omitted)
		return
	}
	if l.Limit <= 0 {
		l.kept = append(l.kept, d)
		return
	}
	if l.seen == nil {
		l.seen = map[string]int{}
	}
	if l.seen[d.Code]++; l.seen[d.Code] <= l.Limit {
		l.kept = append(l.kept, d)
		return
	}
	l.omit(Omitted{Code: d.Code, Count: 1, Severity: d.Severity, First: d.Pos})
}

func (l *Limiter) omit(o Omitted) {
	if l.index == nil {
		l.index = map[string]int{}
	}
	i, ok := l.index[o.Code]
	if !ok {
		l.index[o.Code] = len(l.omitted)
		l.omitted = append(l.omitted, o)
		return
	}
	l.omitted[i].Count += o.Count
	l.omitted[i].Severity = max(l.omitted[i].Severity, o.Severity)
}

// Kept returns the diagnostics kept and what was left out per code (in the order their codes
// were first capped).
func (l *Limiter) Kept() ([]Diagnostic, []Omitted) { return l.kept, l.omitted }

// Diagnostics returns the kept diagnostics followed by one MR1012 entry per capped code.
func (l *Limiter) Diagnostics() []Diagnostic {
	out := l.kept
	for _, o := range l.omitted {
		out = append(out, o.Diagnostic(l.Limit))
	}
	return out
}

// Cap keeps the first limit diagnostics of each code of ds and counts the rest per code.
func Cap(ds []Diagnostic, limit int) ([]Diagnostic, []Omitted) {
	l := Limiter{Limit: limit}
	for _, d := range ds {
		l.Add(d)
	}
	return l.Kept()
}

// Diagnostic is the MR1012 entry that stands for the left-out diagnostics, at the first of
// them, with their highest severity (so filters and exit codes treat it as them).
func (o Omitted) Diagnostic(limit int) Diagnostic {
	name := o.Code
	if e, ok := Lookup(o.Code); ok {
		name += " " + e.Name
	}
	word := "diagnostics"
	if o.Count == 1 {
		word = "diagnostic"
	}
	d := DiagnosticsOmitted(o.First, o.Count, name, word, limit).
		WithHint("fix the cause of the first ones and run again, or pass fewer inputs; the summary and the exit code count every finding")
	d.Severity = o.Severity
	d.Omitted = &o
	return d
}
