package routetest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/diag"
)

func TestParseErrors(t *testing.T) {
	const head = "apiVersion: meshroute.dev/v1alpha1\nkind: RouteTest\nspec:\n  tests:\n"
	tests := []struct {
		name, doc string
		want      []string // "line:col code"
	}{
		{"valid", head + "  - name: a\n    cluster: c\n    gateway: ns/gw\n    request: {host: h}\n    expect: {notFound: true}\n", nil},
		{"unknown field", head + "  - name: a\n    cluster: c\n    gateway: ns/gw\n    request: {host: h, pth: /x}\n    expect: {notFound: true}\n", []string{"8:14 MR1003"}},
		{"two outcomes", head + "  - name: a\n    cluster: c\n    gateway: ns/gw\n    request: {host: h}\n    expect: {notFound: true, directResponse: {status: 200}}\n", []string{"9:13 MR1003"}},
		{"gateway and mesh", head + "  - name: a\n    cluster: c\n    gateway: ns/gw\n    mesh: {namespace: x}\n    request: {host: h}\n    expect: {notFound: true}\n", []string{"5:5 MR1003"}},
		{"host and hosts", head + "  - name: a\n    cluster: c\n    gateway: ns/gw\n    request: {host: h, hosts: [i]}\n    expect: {notFound: true}\n", []string{"8:14 MR1003"}},
		{"bad path", head + "  - name: a\n    cluster: c\n    gateway: ns/gw\n    request: {host: h, path: x}\n    expect: {notFound: true}\n", []string{"8:30 MR1003"}},
		{"other kind", "apiVersion: v1\nkind: Service\nmetadata: {name: x}\n", []string{"1:1 MR1004"}},
		{"not yaml", "a: [\n", []string{"1 MR1002"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := Parse("t.yaml", []byte(tt.doc))
			var got []string
			for _, d := range ds {
				got = append(got, strings.TrimPrefix(d.Pos.String(), "t.yaml:")+" "+d.Code)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("-want +got:\n%s\n%v", diff, ds)
			}
		})
	}
}

func TestParsePositionsAndExpand(t *testing.T) {
	doc := `apiVersion: meshroute.dev/v1alpha1
kind: RouteTest
spec:
  tests:
  - name: one
    cluster: c
    gateway: ns/gw
    request: {host: h, path: /p}
    expect: {notFound: true}
  - name: combos
    cluster: c
    mesh: {namespace: ns, labels: {app: a}}
    port: 9080
    request: {hosts: [a, b], paths: [/x, /y, /z], methods: [get, POST], headers: {x: "1"}}
    expect: {notFound: true}
`
	tests, ds := Parse("t.yaml", []byte(doc))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	if got := []diag.Position{tests[0].Pos, tests[1].Pos}; !cmp.Equal(got, []diag.Position{{File: "t.yaml", Line: 5, Col: 5}, {File: "t.yaml", Line: 10, Col: 5}}) {
		t.Errorf("positions %v", got)
	}
	cases, err := Expand(tests[1])
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 12 || cases[0].Label != "GET a/x" || cases[11].Label != "POST b/z" {
		t.Errorf("expansion: %d cases, first %q, last %q", len(cases), cases[0].Label, cases[len(cases)-1].Label)
	}
	if r := cases[0].Request; r.Mesh == nil || r.Mesh.Labels["app"] != "a" || r.Port != 9080 || r.Headers["x"] != "1" {
		t.Errorf("request %+v", r)
	}
	one, _ := Expand(tests[0])
	if len(one) != 1 || one[0].Request.Gateway.String() != "ns/gw" || one[0].Label != "GET h/p" {
		t.Errorf("single case %+v", one)
	}
}

func TestRouteMatches(t *testing.T) {
	const got = "prefix-match.prefixes.backends--match.path-order.web"
	for _, tt := range []struct {
		want string
		ok   bool
	}{
		{got, true},
		{"prefix-match", true},
		{"prefix-match.prefixes.backends", true},
		{"prefixes", true},
		{"prefixes.backends", true},
		{"prefix-match.prefixes", true}, // <route>.<table>
		{"prefix-match.backends", false},
		{"match.path-order", false}, // the delegating route, not the leaf
		{"path-order", true},
		{"match", false}, // the delegating route is not the matched route
		{"prefix", false},
		{"exacts", false},
	} {
		if RouteMatches(tt.want, got) != tt.ok {
			t.Errorf("RouteMatches(%q) = %v, want %v", tt.want, !tt.ok, tt.ok)
		}
	}
}

// TestClusters: a test with clusters runs once per cluster, clusters outermost; cluster and
// clusters together are refused by the schema.
func TestClusters(t *testing.T) {
	const doc = `apiVersion: meshroute.dev/v1alpha1
kind: RouteTest
spec:
  tests:
  - name: everywhere
    clusters: [c1, c2]
    gateway: ns/gw
    request: {hosts: [a, b]}
    expect: {notFound: true}
`
	tests, ds := Parse("t.yaml", []byte(doc))
	if len(ds) > 0 || len(tests) != 1 {
		t.Fatal(ds)
	}
	cases, err := Expand(tests[0])
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cases {
		got = append(got, c.Cluster+" "+c.Request.Host)
	}
	if want := "c1 a,c1 b,c2 a,c2 b"; strings.Join(got, ",") != want {
		t.Errorf("cases %q, want %s", got, want)
	}
	both := strings.Replace(doc, "clusters: [c1, c2]", "clusters: [c1, c2]\n    cluster: c1", 1)
	if _, ds := Parse("t.yaml", []byte(both)); !diag.HasErrors(ds) {
		t.Error("cluster and clusters together: want a schema error")
	}
	neither := strings.Replace(doc, "    clusters: [c1, c2]\n", "", 1)
	if _, ds := Parse("t.yaml", []byte(neither)); !diag.HasErrors(ds) {
		t.Error("no cluster: want a schema error")
	}
}
