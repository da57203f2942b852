package validate

import (
	"testing"
	"testing/fstest"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

func TestParseSuppression(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Suppression
		wantErr bool
	}{
		{in: "MR3002", want: Suppression{Code: "MR3002"}},
		{in: " mr1005 ", want: Suppression{Code: "MR1005"}},
		{in: "MR3002=RouteTable/shop/web", want: Suppression{Code: "MR3002", Kind: "RouteTable", Namespace: "shop", Name: "web"}},
		{in: "MR3002=RouteTable/web-*", want: Suppression{Code: "MR3002", Kind: "RouteTable", Namespace: "*", Name: "web-*"}},
		{in: "MR30*", want: Suppression{Code: "MR30*"}},
		{in: "MR3003", wantErr: true},    // an error code
		{in: "MR9999", wantErr: true},    // not in the catalogue
		{in: "MR300[12]", wantErr: true}, // not a code pattern
		{in: "MR3006*", wantErr: true},   // matches only errors
		{in: "MR3002=RouteTable", wantErr: true},
		{in: "MR3002=RouteTable//web", wantErr: true},
		{in: "", wantErr: true},
	} {
		got, err := ParseSuppression(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseSuppression(%q) = %+v, %v; want %+v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"MR3002", "MR3002", true}, {"MR3002", "MR30021", false}, {"*", "", true},
		{"MR30*", "MR3002", true}, {"MR30*", "MR4002", false}, {"*-routes", "web-routes", true},
		{"a*b*c", "axxbyyc", true}, {"a*b*c", "axxbyy", false},
	} {
		if got := glob(tc.pattern, tc.s); got != tc.want {
			t.Errorf("glob(%q, %q) = %v", tc.pattern, tc.s, got)
		}
	}
}

func TestApplySuppressions(t *testing.T) {
	web := diag.ObjectRef{Kind: "RouteTable", Namespace: "shop", Name: "web"}
	api := diag.ObjectRef{Kind: "RouteTable", Namespace: "shop", Name: "api"}
	warn := func(o diag.ObjectRef) diag.Diagnostic {
		return diag.New("MR3002", diag.Position{}, "w").WithObject(o, "")
	}
	dup := diag.New("MR3003", diag.Position{}, "e").WithObject(web, "")
	rt := &schema.RouteTable{Object: schema.Object{Kind: "RouteTable", Metadata: schema.Metadata{Name: "api", Namespace: "shop",
		Annotations: map[string]string{schema.AnnotationSuppress: "MR1005, mr3002"}}}}
	src := newSources(&schema.Set{RouteTables: []*schema.RouteTable{rt}})
	for _, tc := range []struct {
		name string
		sups []Suppression
		in   []diag.Diagnostic
		want int
	}{
		{"annotation suppresses its object only", nil, []diag.Diagnostic{warn(web), warn(api)}, 1},
		{"code everywhere", []Suppression{{Code: "MR3002"}}, []diag.Diagnostic{warn(web), warn(api)}, 0},
		{"object pattern", []Suppression{{Code: "MR3002", Kind: "RouteTable", Namespace: "*", Name: "w*"}}, []diag.Diagnostic{warn(web)}, 0},
		{"object pattern misses", []Suppression{{Code: "MR3002", Kind: "VirtualGateway", Namespace: "*", Name: "*"}}, []diag.Diagnostic{warn(web)}, 1},
		{"errors are never dropped", []Suppression{{Code: "*"}}, []diag.Diagnostic{dup, warn(web)}, 1},
		{"a count of left-out findings goes with their code", []Suppression{{Code: "MR3002"}}, []diag.Diagnostic{omitted("MR3002")}, 0},
		{"a count of left-out findings of another code stays", []Suppression{{Code: "MR3002"}}, []diag.Diagnostic{omitted("MR1004")}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := applySuppressions(append([]diag.Diagnostic(nil), tc.in...), tc.sups, src)
			if len(got) != tc.want {
				t.Errorf("kept %v, want %d", got, tc.want)
			}
		})
	}
}

// omitted is the loader's MR1012 entry standing for 5 findings of code.
func omitted(code string) diag.Diagnostic {
	return diag.Omitted{Code: code, Count: 5, Severity: diag.Warning}.Diagnostic(100)
}

// An ignored object keeps the position of its suppress annotation, so a bad entry there is
// reported at the annotation.
func TestSuppressAnnotationOnIgnoredKind(t *testing.T) {
	const doc = "apiVersion: meshroute.dev/v1alpha1\nkind: Cluster\nmetadata: {name: c1}\n---\n" +
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    meshroute.dev/suppress: MR9999\n"
	set, loaded, err := (&schema.Loader{FS: fstest.MapFS{"in.yaml": {Data: []byte(doc)}}}).Load([]schema.Input{{Path: "in.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	_, ds := Run(set, Options{Loaded: loaded})
	for _, d := range ds {
		if d.Code == "MR1003" {
			if d.Pos.Line != 10 || d.Pos.Col != 29 {
				t.Errorf("MR1003 at %v, want in.yaml:10:29", d.Pos)
			}
			return
		}
	}
	t.Errorf("no MR1003 in %v", ds)
}
