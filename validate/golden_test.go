package validate

import (
	"bytes"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/compiler/istio"
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/report"
	"github.com/meshroute/meshroute/schema"
)

// testCase is one input set: a behaviour case folder or a diagnostic case archive.
type testCase = goldentest.Case

// runCase loads a case and runs every check.
func runCase(t *testing.T, c testCase, opts Options) (*model.Model, []diag.Diagnostic) {
	t.Helper()
	fsys, input := c.Input()
	set, loaded, err := (&schema.Loader{FS: fsys}).Load([]schema.Input{{Path: input}})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	opts.Loaded = loaded
	return Run(set, opts)
}

// TestGolden renders every case's diagnostics as validate prints them: text without colour, and
// json, which adds each finding's field path, when there is something to report; github for the
// schema cases (mr1*). A diagnostic case keeps them in its own archive; a behaviour case in
// golden/<case>/validate.*, written only when it reports something (an empty report is the
// absence of those files).
func TestGolden(t *testing.T) {
	for _, c := range goldentest.AllCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			_, ds := runCase(t, c, Options{})
			got := map[string][]byte{}
			if len(ds) > 0 || c.Diag != nil {
				got["validate.txt"] = rendered(t, func(w io.Writer) error { return report.Text(w, ds, false) })
			}
			if len(ds) > 0 {
				got["validate.json"] = rendered(t, func(w io.Writer) error { return report.JSON(w, ds) })
				if c.Diag != nil && strings.HasPrefix(c.Name, "mr1") {
					got["validate.github"] = rendered(t, func(w io.Writer) error { return report.GitHub(w, ds) })
				}
			}
			if c.Diag != nil {
				c.Diag.Compare(t, got)
				return
			}
			for _, name := range []string{"validate.txt", "validate.json"} {
				goldentest.CompareOptionalFile(t, c.Name+"/"+name, got[name])
			}
		})
	}
}

// TestSchemaCasesSARIF renders the findings of every schema case (mr1*) as one SARIF log: each
// log carries the whole catalogue as its rule list, so one golden shows every field.
func TestSchemaCasesSARIF(t *testing.T) {
	var ds []diag.Diagnostic
	for _, c := range goldentest.AllCases(t) {
		if c.Diag != nil && strings.HasPrefix(c.Name, "mr1") {
			_, found := runCase(t, c, Options{})
			ds = append(ds, found...)
		}
	}
	sarif := rendered(t, func(w io.Writer) error {
		return report.SARIF(w, ds, report.SARIFOptions{Version: "golden"})
	})
	goldentest.CompareFile(t, "validate/schema-cases.sarif", sarif)
}

var codeCase = regexp.MustCompile(`^(mr[0-9]{4})-`)

// TestCaseCodes holds every rule case to its promise: testdata/diag/mrNNNN-* reports MRNNNN and
// nothing else, testdata/diag/mrNNNN-*-ok reports nothing at all.
func TestCaseCodes(t *testing.T) {
	for _, c := range goldentest.AllCases(t) {
		m := codeCase.FindStringSubmatch(c.Name)
		if m == nil {
			continue
		}
		want := strings.ToUpper(m[1])
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			if c.Diag == nil {
				t.Fatalf("testdata/%s is a diagnostic case in the old layout: convert it to testdata/diag/%s.txtar", c.Name, c.Name)
			}
			_, ds := runCase(t, c, Options{})
			if strings.HasSuffix(c.Name, "-ok") {
				for _, d := range ds {
					t.Errorf("counter-example reports %s", d)
				}
				return
			}
			if !slices.ContainsFunc(ds, func(d diag.Diagnostic) bool { return d.Code == want }) {
				t.Errorf("no %s reported; got %v", want, ds)
			}
			for _, d := range ds {
				if d.Code != want {
					t.Errorf("reports %s besides %s", d, want)
				}
			}
		})
	}
}

// TestEveryRuleHasCases checks that each code of the catalogue has a case and a counter-example.
func TestEveryRuleHasCases(t *testing.T) {
	var cases []string
	for _, c := range goldentest.DiagCases(t) {
		cases = append(cases, c.Name)
	}
	entries, err := diag.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		prefix := strings.ToLower(e.Code) + "-"
		var bad, ok bool
		for _, c := range cases {
			if strings.HasPrefix(c, prefix) {
				ok = ok || strings.HasSuffix(c, "-ok")
				bad = bad || !strings.HasSuffix(c, "-ok")
			}
		}
		if e.Retired || e.Code < "MR2000" {
			continue // the schema cases (MR1xxx) are the loader's
		}
		if !bad || !ok {
			t.Errorf("%s: case %v, counter-example %v: %s/%s*.txtar", e.Code, bad, ok, goldentest.DiagDir, prefix)
		}
	}
}

// rendered is what one diagnostic renderer writes.
func rendered(t *testing.T, r func(io.Writer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := r(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestCompileRefusesExactlyOnErrors: compile emits only when validate reports no error
// (DESIGN.md §6). Suppressing every code must not change that, and whenever validate passes the
// emitter must accept the model.
func TestCompileRefusesExactlyOnErrors(t *testing.T) {
	for _, c := range goldentest.AllCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			m, ds := runCase(t, c, Options{})
			_, quiet := runCase(t, c, Options{Suppress: []Suppression{{Code: "*"}}})
			if diag.HasErrors(ds) != diag.HasErrors(quiet) {
				t.Fatalf("suppressing every code changed whether compile refuses: %v vs %v", ds, quiet)
			}
			for _, d := range quiet {
				if d.Severity != diag.Error {
					t.Errorf("suppress * kept %s", d)
				}
			}
			if diag.HasErrors(ds) {
				return // compile refuses; the model need not be emittable
			}
			out := istio.Emit(m)
			for _, c := range m.Clusters {
				if _, ok := out[c.Name]; !ok && len(c.RouteSets)+len(c.Gateways)+len(c.Backends) > 0 {
					t.Errorf("validate passed but nothing was emitted for cluster %s", c.Name)
				}
			}
		})
	}
}

// TestSeedLiteral: the seed guide as written points its RouteTable at namespace bookinfo; the
// error must sit on that reference and name the VirtualGateway that exists.
func TestSeedLiteral(t *testing.T) {
	_, ds := runCase(t, testCase{Name: "seed-literal"}, Options{})
	i := slices.IndexFunc(ds, func(d diag.Diagnostic) bool { return d.Code == "MR2001" })
	if i < 0 {
		t.Fatalf("no MR2001; got %v", ds)
	}
	d := ds[i]
	// Line 15 is the virtualGateways entry, line 16 its namespace: bookinfo.
	if !strings.HasSuffix(d.Pos.File, "routetable.yaml") || (d.Pos.Line != 15 && d.Pos.Line != 16) {
		t.Errorf("MR2001 at %v, want the reference at routetable.yaml:15-16", d.Pos)
	}
	if !strings.Contains(d.Hint, "gloo-mesh/istio-ingressgateway") {
		t.Errorf("hint %q does not name gloo-mesh/istio-ingressgateway", d.Hint)
	}
}
