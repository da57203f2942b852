package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/goldentest"
)

// sampleDiagnostics covers every shape a renderer must handle: each severity, a hint, related
// positions, a file-only and a position-less diagnostic, and characters each format escapes.
func sampleDiagnostics() []diag.Diagnostic {
	rt := diag.ObjectRef{Kind: "RouteTable", Namespace: "global", Name: "global-app-routes"}
	return []diag.Diagnostic{
		diag.New("MR1001", diag.Position{File: "routes/rt.yaml", Line: 12, Col: 7}, `unknown field "matcher"`).
			WithObject(rt, "/spec/http/0/matcher").WithHint(`did you mean "matchers"?`),
		diag.New("MR1005", diag.Position{File: "routes/rt.yaml", Line: 20, Col: 5}, "workspace is not implemented yet, so it has no effect").
			WithObject(rt, "/spec/workspace"),
		diag.New("MR1004", diag.Position{File: "other/deploy, v1.yaml", Line: 1, Col: 1}, "kind Deployment (apps/v1) is ignored").
			WithObject(diag.ObjectRef{Kind: "Deployment", Namespace: "default", Name: "web"}, ""),
		diag.New("MR1009", diag.Position{File: "bin/blob.yaml"}, "%s", "100% binary:\nnot text"),
		diag.New("MR2001", diag.Position{File: "routes/rt.yaml", Line: 8, Col: 9}, "no VirtualGateway istio-gateways/north-south-gw").
			WithObject(rt, "/spec/virtualGateways/0").
			WithHint("did you mean istio-gateways/north-south-gw-443?").
			WithRelated(diag.Position{File: "gateways/vg.yaml", Line: 4, Col: 9}, "VirtualGateway istio-gateways/north-south-gw-443 is declared here"),
		{Code: "MR1008", Severity: diag.Error, Message: "standard input held a list, not an object"},
	}
}

func TestDiagnosticFormatsGolden(t *testing.T) {
	ds := sampleDiagnostics()
	for _, tc := range []struct {
		file   string
		render func(*bytes.Buffer) error
	}{
		{"text.txt", func(b *bytes.Buffer) error { return Text(b, ds, false) }},
		{"text-color.txt", func(b *bytes.Buffer) error { return Text(b, ds, true) }},
		{"diagnostics.json", func(b *bytes.Buffer) error { return JSON(b, ds) }},
		{"diagnostics.sarif", func(b *bytes.Buffer) error {
			return SARIF(b, ds, SARIFOptions{Version: "v1.2.3", BaseDir: "/repo"})
		}},
		{"github.txt", func(b *bytes.Buffer) error { return GitHub(b, ds) }},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.render(&b); err != nil {
				t.Fatal(err)
			}
			goldentest.CompareFile(t, "report/diagnostics/"+tc.file, b.Bytes())
		})
	}
}

func TestTextColourOnlyWhenAsked(t *testing.T) {
	ds := sampleDiagnostics()
	for _, color := range []bool{false, true} {
		var b bytes.Buffer
		if err := Text(&b, ds, color); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(b.String(), "\x1b["); got != color {
			t.Errorf("color=%v: escape sequences present = %v", color, got)
		}
	}
}

func TestSummary(t *testing.T) {
	e := diag.Diagnostic{Severity: diag.Error}
	w := diag.Diagnostic{Severity: diag.Warning}
	i := diag.Diagnostic{Severity: diag.Info}
	for _, tc := range []struct {
		ds   []diag.Diagnostic
		want string
	}{
		{nil, "no problems found"},
		{[]diag.Diagnostic{e}, "1 error"},
		{[]diag.Diagnostic{e, e, w}, "2 errors, 1 warning"},
		{[]diag.Diagnostic{w, w, i, i}, "2 warnings, 2 infos"},
		{[]diag.Diagnostic{i}, "1 info"},
	} {
		if got := Summary(tc.ds); got != tc.want {
			t.Errorf("Summary(%d diagnostics) = %q, want %q", len(tc.ds), got, tc.want)
		}
	}
}

func TestJSONEmptyListNotNull(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, nil); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Diagnostics []any          `json:"diagnostics"`
		Summary     map[string]int `json:"summary"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Diagnostics == nil || len(doc.Diagnostics) != 0 || doc.Summary["errors"] != 0 {
		t.Errorf("unexpected document %s", b.String())
	}
}

// TestSARIFGitHubRequirements checks what GitHub code scanning insists on beyond the schema:
// every result has a location with a non-empty relative URI, rules are indexed correctly, and
// regions carry no zero fields.
func TestSARIFGitHubRequirements(t *testing.T) {
	var b bytes.Buffer
	ds := append(sampleDiagnostics(), diag.New("MR1001", diag.Position{File: "/repo/a/b.yaml", Line: 3}, "x"))
	if err := SARIF(&b, ds, SARIFOptions{Version: "dev", BaseDir: "/repo"}); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	for _, r := range run.Results {
		if r.RuleIndex != nil && run.Tool.Driver.Rules[*r.RuleIndex].ID != r.RuleID {
			t.Errorf("%s: ruleIndex %d names %s", r.RuleID, *r.RuleIndex, run.Tool.Driver.Rules[*r.RuleIndex].ID)
		}
		for _, l := range append(r.Locations, r.RelatedLocations...) {
			uri := l.PhysicalLocation.ArtifactLocation.URI
			if uri == "" || strings.HasPrefix(uri, "/") || strings.Contains(uri, `\`) {
				t.Errorf("%s: bad uri %q", r.RuleID, uri)
			}
		}
	}
	last := run.Results[len(run.Results)-1]
	if got := last.Locations[0].PhysicalLocation; got.ArtifactLocation.URI != "a/b.yaml" || got.Region.StartColumn != 0 || got.Region.StartLine != 3 {
		t.Errorf("absolute path under BaseDir: got %+v %+v", got.ArtifactLocation, got.Region)
	}
	if !strings.Contains(b.String(), `"startLine": 3`) || strings.Contains(b.String(), `"startColumn": 0`) {
		t.Errorf("zero region fields must be left out:\n%s", b.String())
	}
}

func TestGitHubEscaping(t *testing.T) {
	for _, tc := range []struct {
		in, data, prop string
	}{
		{"plain", "plain", "plain"},
		{"50% a:b,c", "50%25 a:b,c", "50%25 a%3Ab%2Cc"},
		{"two\r\nlines", "two%0D%0Alines", "two%0D%0Alines"},
	} {
		if got := escapeData(tc.in); got != tc.data {
			t.Errorf("escapeData(%q) = %q, want %q", tc.in, got, tc.data)
		}
		if got := escapeProperty(tc.in); got != tc.prop {
			t.Errorf("escapeProperty(%q) = %q, want %q", tc.in, got, tc.prop)
		}
	}
}
