package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/diag"
)

// manyDiagnostics is 150 infos of one code and 3 errors of another.
func manyDiagnostics() []diag.Diagnostic {
	var ds []diag.Diagnostic
	for i := range 150 {
		ds = append(ds, diag.New("MR1004", diag.Position{File: "a.yaml", Line: i + 1, Col: 1}, "ignoring v1 ConfigMap"))
	}
	for i := range 3 {
		ds = append(ds, diag.New("MR1001", diag.Position{File: "b.yaml", Line: i + 1, Col: 1}, "unknown field"))
	}
	return ds
}

// Every format lists the first MaxPerCode findings of a code and one MR1012 entry for the rest,
// and its summary still counts every finding.
func TestDiagnosticsCappedPerCode(t *testing.T) {
	ds := manyDiagnostics()
	codes := func(lines []string, code string) int {
		n := 0
		for _, l := range lines {
			if strings.Contains(l, code) {
				n++
			}
		}
		return n
	}
	const note = "50 more MR1004 UnknownKind diagnostics not shown, the first of them here: only the first 100 of each code are listed"

	var text bytes.Buffer
	if err := Text(&text, ds, false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(text.String()), "\n")
	if got := codes(lines, "info MR1004:"); got != 100 {
		t.Errorf("text lists %d MR1004, want 100", got)
	}
	if !strings.Contains(text.String(), "a.yaml:101:1: info MR1012: "+note+"\n") {
		t.Errorf("text has no MR1012 line at a.yaml:101:1:\n%s", lines[len(lines)-4:])
	}
	if last := lines[len(lines)-1]; last != "3 errors, 150 infos (50 not listed: only the first 100 of each code are)" {
		t.Errorf("text summary %q", last)
	}

	var js bytes.Buffer
	if err := JSON(&js, ds); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Diagnostics []struct{ Code, Message string }
		Summary     struct {
			Errors, Infos int
			Omitted       map[string]int
		}
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Diagnostics) != 104 || doc.Diagnostics[103].Code != "MR1012" || doc.Diagnostics[103].Message != note ||
		doc.Summary.Errors != 3 || doc.Summary.Infos != 150 || len(doc.Summary.Omitted) != 1 || doc.Summary.Omitted["MR1004"] != 50 {
		t.Errorf("json: %d entries, summary %+v", len(doc.Diagnostics), doc.Summary)
	}

	var sarif bytes.Buffer
	if err := SARIF(&sarif, ds, SARIFOptions{}); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results    []struct{ RuleID string }
			Properties struct{ Omitted map[string]int }
		}
	}
	if err := json.Unmarshal(sarif.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if r := log.Runs[0]; len(r.Results) != 104 || r.Results[103].RuleID != "MR1012" || r.Properties.Omitted["MR1004"] != 50 {
		t.Errorf("sarif: %d results, properties %+v", len(r.Results), r.Properties)
	}

	var gh bytes.Buffer
	if err := GitHub(&gh, ds); err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimSpace(gh.String()), "\n")
	if len(lines) != 104 || !strings.Contains(lines[103], "title=MR1012 DiagnosticsOmitted::50 more MR1004") {
		t.Errorf("github: %d lines, last %q", len(lines), lines[len(lines)-1])
	}
}

// An MR1012 entry from an earlier cap (the loader's) is merged: one entry per code, and the
// counts include what it stands for.
func TestDiagnosticsCapMergesLoaderCap(t *testing.T) {
	ds := append(manyDiagnostics(), diag.Omitted{Code: "MR1004", Count: 1000, Severity: diag.Info, First: diag.Position{File: "z.yaml", Line: 1}}.Diagnostic(10000))
	var js bytes.Buffer
	if err := JSON(&js, ds); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Diagnostics []struct{ Code string }
		Summary     struct {
			Errors, Infos int
			Omitted       map[string]int
		}
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Diagnostics) != 104 || doc.Summary.Infos != 1150 || doc.Summary.Omitted["MR1004"] != 1050 {
		t.Errorf("json: %d entries, summary %+v", len(doc.Diagnostics), doc.Summary)
	}
	var text bytes.Buffer
	if err := Text(&text, ds, false); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(text.String(), "3 errors, 1150 infos (1050 not listed: only the first 100 of each code are)\n") ||
		strings.Count(text.String(), "MR1012") != 1 {
		t.Errorf("text:\n%s", text.String()[len(text.String())-400:])
	}
}
