package diag

import (
	"fmt"
	"testing"
)

func TestCap(t *testing.T) {
	var ds []Diagnostic
	for i := range 5 {
		ds = append(ds, Diagnostic{Code: "MR1004", Severity: Info, Pos: Position{File: "a", Line: i + 1}})
		ds = append(ds, Diagnostic{Code: "MR1001", Severity: Error, Pos: Position{File: "a", Line: i + 1}})
	}
	ds = append(ds, Diagnostic{Code: "MR1005", Severity: Warning, Pos: Position{File: "b", Line: 1}})
	for _, tc := range []struct {
		limit       int
		kept        int
		omittedWant string
	}{
		{0, 11, "[]"},
		{5, 11, "[]"},
		{2, 5, "[{MR1004 3 info a:3} {MR1001 3 error a:3}]"},
		{1, 3, "[{MR1004 4 info a:2} {MR1001 4 error a:2}]"},
	} {
		kept, omitted := Cap(ds, tc.limit)
		got := "["
		for i, o := range omitted {
			if i > 0 {
				got += " "
			}
			got += fmt.Sprintf("{%s %d %s %s}", o.Code, o.Count, o.Severity, o.First)
		}
		got += "]"
		if len(kept) != tc.kept || got != tc.omittedWant {
			t.Errorf("Cap(%d) kept %d, omitted %s; want %d, %s", tc.limit, len(kept), got, tc.kept, tc.omittedWant)
		}
	}
}

func TestOmittedDiagnostic(t *testing.T) {
	o := Omitted{Code: "MR1001", Count: 7, Severity: Error, First: Position{File: "a.yaml", Line: 9}}
	d := o.Diagnostic(100)
	want := "a.yaml:9: error MR1012: 7 more MR1001 UnknownField diagnostics not shown, the first of them here: only the first 100 of each code are listed"
	if d.Code != "MR1012" || d.Severity != Error || d.Omitted == nil || *d.Omitted != o || d.String()[:len(want)] != want {
		t.Errorf("got %s", d)
	}
}

// A cap over the output of an earlier cap merges that cap's MR1012 entries into its counts.
func TestCapMergesEarlierCap(t *testing.T) {
	var first Limiter
	first.Limit = 3
	for i := range 10 {
		first.Add(Diagnostic{Code: "MR1004", Severity: Info, Pos: Position{File: "a", Line: i + 1}})
	}
	kept, omitted := Cap(first.Diagnostics(), 2)
	if len(kept) != 2 || len(omitted) != 1 || omitted[0].Count != 8 || omitted[0].First.Line != 3 {
		t.Errorf("kept %d, omitted %+v; want 2 and 8 from line 3", len(kept), omitted)
	}
}
