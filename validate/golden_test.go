package validate

import (
	"bytes"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/render"
	"github.com/meshroute/meshroute/schema"
)

// runCase loads testdata/<name> (positions relative to the repository root, as a user running
// meshroute there would see them) and runs every check.
func runCase(t *testing.T, name string, opts Options) (*model.Model, []diag.Diagnostic) {
	t.Helper()
	l := schema.Loader{FS: os.DirFS(goldentest.Root())}
	set, loaded, err := l.Load([]schema.Input{{Path: "testdata/" + name}})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	opts.Loaded = loaded
	return Run(set, opts)
}

// TestGolden renders every case's diagnostics as validate prints them: text without colour and
// json, plus sarif and github for the schema cases (mr1*), which exercise every field.
func TestGolden(t *testing.T) {
	for _, name := range goldentest.Cases(t) {
		t.Run(name, func(t *testing.T) {
			_, ds := runCase(t, name, Options{})
			var text, js bytes.Buffer
			if err := render.Text(&text, ds, false); err != nil {
				t.Fatal(err)
			}
			if err := render.JSON(&js, ds); err != nil {
				t.Fatal(err)
			}
			goldentest.CompareFile(t, name+"/validate.txt", text.Bytes())
			goldentest.CompareFile(t, name+"/validate.json", js.Bytes())
			if !strings.HasPrefix(name, "mr1") {
				return
			}
			var sarif, gh bytes.Buffer
			if err := render.SARIF(&sarif, ds, render.SARIFOptions{Version: "golden"}); err != nil {
				t.Fatal(err)
			}
			if err := render.GitHub(&gh, ds); err != nil {
				t.Fatal(err)
			}
			goldentest.CompareFile(t, name+"/validate.sarif", sarif.Bytes())
			goldentest.CompareFile(t, name+"/validate.github", gh.Bytes())
		})
	}
}

var codeCase = regexp.MustCompile(`^(mr[0-9]{4})-`)

// TestCaseCodes holds every rule case to its promise: testdata/mrNNNN-* reports MRNNNN and
// nothing else, testdata/mrNNNN-*-ok reports nothing at all.
func TestCaseCodes(t *testing.T) {
	for _, name := range goldentest.Cases(t) {
		m := codeCase.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		want := strings.ToUpper(m[1])
		t.Run(name, func(t *testing.T) {
			_, ds := runCase(t, name, Options{})
			if strings.HasSuffix(name, "-ok") {
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
	cases := goldentest.Cases(t)
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
			t.Errorf("%s: case %v, counter-example %v under testdata/%s*", e.Code, bad, ok, prefix)
		}
	}
}

// TestSeedLiteral: the seed guide as written points its RouteTable at namespace bookinfo; the
// error must sit on that reference and name the VirtualGateway that exists.
func TestSeedLiteral(t *testing.T) {
	_, ds := runCase(t, "seed-literal", Options{})
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
