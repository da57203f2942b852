package compiler

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// generated writes n child tables of 10 routes each, delegated from one root per 10 children by
// labels (half of them ROUTE_SPECIFICITY), in the given document order.
func generatedInput(n int, reverse bool) string {
	var docs []string
	for i := 0; i < n; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata: {name: child-%d, namespace: app, labels: {group: g%d}}\nspec:\n  weight: %d\n  http:\n", i, i/10, i%3)
		for r := 0; r < 10; r++ {
			switch r % 3 {
			case 0:
				fmt.Fprintf(&b, "  - name: r%d\n    matchers: [{uri: {prefix: /t%d/r%d}}]\n    forwardTo: {destinations: [{ref: {name: reviews}, weight: 60}, {ref: {name: reviews}, subset: {version: v%d}}]}\n", r, i, r, r%4)
			case 1:
				fmt.Fprintf(&b, "  - name: r%d\n    matchers: [{uri: {exact: /t%d/r%d}, headers: [{name: x-user, value: u%d}]}]\n    forwardTo: {destinations: [{ref: {name: reviews}}]}\n", r, i, r, r)
			default:
				fmt.Fprintf(&b, "  - name: r%d\n    matchers: [{uri: {regex: \"/t%d/r%d/[0-9]+\"}}]\n    directResponse: {status: 204}\n", r, i, r)
			}
		}
		docs = append(docs, b.String())
	}
	for g := 0; g*10 < n; g++ {
		sort := "TABLE_WEIGHT"
		if g%2 == 1 {
			sort = "ROUTE_SPECIFICITY"
		}
		docs = append(docs, fmt.Sprintf("apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata: {name: root-%d, namespace: app}\nspec:\n  hosts: [h%d.example.com]\n  virtualGateways: [{name: north, namespace: gw-ns}]\n  http:\n  - matchers: [{uri: {prefix: /g%d}}]\n    delegate: {sortMethod: %s, routeTables: [{labels: {group: g%d}}]}\n", g, g, g, sort, g))
	}
	if reverse {
		for i, j := 0, len(docs)-1; i < j; i, j = i+1, j-1 {
			docs[i], docs[j] = docs[j], docs[i]
		}
	}
	return strings.Join(docs, "---\n")
}

func loadGenerated(tb testing.TB, n int, reverse bool) *schema.Set {
	tb.Helper()
	fsys := fstest.MapFS{
		"in/0-inventory.yaml": {Data: []byte(inventory)},
		"in/tables.yaml":      {Data: []byte(generatedInput(n, reverse))},
	}
	set, ds, err := (&schema.Loader{FS: fsys}).Load([]schema.Input{{Path: "in"}})
	if err != nil || diag.HasErrors(ds) {
		tb.Fatalf("load: %v %v", err, ds)
	}
	return set
}

// The same objects in another document order build the same model (positions aside).
func TestDeterministic(t *testing.T) {
	m1, ds1 := Build(loadGenerated(t, 40, false))
	m2, ds2 := Build(loadGenerated(t, 40, true))
	noErrors(t, append(ds1, ds2...))
	// A virtual host's routes are its set's routes cut to one port, compared with the sets
	// already; walking them again for every listener of every set's gateways made this test
	// take a minute.
	if diff := cmp.Diff(m1, m2, cmpopts.IgnoreTypes(diag.Position{}), cmpopts.IgnoreFields(model.VirtualHost{}, "Routes")); diff != "" {
		t.Errorf("models differ with document order (-forward +reverse):\n%s", diff)
	}
	if n := len(m1.Cluster("c1").RouteSets); n != 4 {
		t.Errorf("%d route sets, want 4", n)
	}
}

func BenchmarkBuild(b *testing.B) {
	set := loadGenerated(b, 1000, false)
	b.ReportAllocs()
	for b.Loop() {
		m, _ := Build(set)
		if len(m.Clusters) != 2 {
			b.Fatal("no clusters")
		}
	}
}
