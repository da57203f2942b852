package compiler

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// childTable writes a delegated table whose routes answer directly, one per "<kind> <path>".
func childTable(name string, weight int, labels string, routes ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata: {name: %s, namespace: app, labels: %s}\nspec:\n  weight: %d\n  http:\n", name, labels, weight)
	for i, r := range routes {
		kind, path, _ := strings.Cut(r, " ")
		fmt.Fprintf(&b, "  - name: r%d\n    matchers: [{uri: {%s: %q}}]\n    directResponse: {status: 200}\n", i, kind, path)
	}
	return b.String()
}

// rootTable delegates everything labelled team=x under the given uri matcher ("" = none).
func rootTable(sortMethod, uri string) string {
	m := ""
	if uri != "" {
		m = "\n    matchers: [{uri: {prefix: " + uri + "}}]"
	}
	return `apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: root, namespace: app}
spec:
  hosts: [www.example.com]
  virtualGateways: [{name: north, namespace: gw-ns}]
  http:
  - name: delegate` + m + `
    delegate:
      sortMethod: ` + sortMethod + `
      routeTables: [{labels: {team: x}}]
`
}

// The worked example of Gloo's route-delegation docs.
var (
	tableA = childTable("a", 1, "{team: x}", "prefix /foo", "prefix /foo/more/specific", "prefix /foo/even/more/specific",
		"exact /foo/exact", "exact /foo/another/exact", "regex /foo/*", "regex /fooo/*")
	tableB = childTable("b", 2, "{team: x}", "prefix /bar", "prefix /bar/more/specific", "prefix /bar/even/more/specific",
		"exact /bar/exact", "regex /bar/*")
)

func TestOrdering(t *testing.T) {
	for _, tc := range []struct {
		name, root string
		want       []string
	}{
		{"route specificity", rootTable("ROUTE_SPECIFICITY", ""), []string{
			"exact /foo/another/exact", "exact /bar/exact", "exact /foo/exact",
			"regex /bar/*", "regex /foo/*", "regex /fooo/*",
			"prefix /bar/even/more/specific", "prefix /foo/even/more/specific",
			"prefix /bar/more/specific", "prefix /foo/more/specific",
			"prefix /bar", "prefix /foo",
		}},
		{"route specificity under /", rootTable("ROUTE_SPECIFICITY", "/"), []string{
			"exact /foo/another/exact", "exact /bar/exact", "exact /foo/exact",
			"regex /bar/*", "regex /foo/*", "regex /fooo/*",
			"prefix /bar/even/more/specific", "prefix /foo/even/more/specific",
			"prefix /bar/more/specific", "prefix /foo/more/specific",
			"prefix /bar", "prefix /foo",
		}},
		{"table weight", rootTable("TABLE_WEIGHT", ""), []string{
			"prefix /bar", "prefix /bar/more/specific", "prefix /bar/even/more/specific", "exact /bar/exact", "regex /bar/*",
			"prefix /foo", "prefix /foo/more/specific", "prefix /foo/even/more/specific",
			"exact /foo/exact", "exact /foo/another/exact", "regex /foo/*", "regex /fooo/*",
		}},
		{"route specificity under /shop/", rootTable("ROUTE_SPECIFICITY", "/shop/"), []string{
			"exact /shop/foo/another/exact", "exact /shop/bar/exact", "exact /shop/foo/exact",
			`regex /shop/bar/*`, `regex /shop/foo/*`, `regex /shop/fooo/*`,
			"prefix /shop/bar/even/more/specific", "prefix /shop/foo/even/more/specific",
			"prefix /shop/bar/more/specific", "prefix /shop/foo/more/specific",
			"prefix /shop/bar", "prefix /shop/foo",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, ds := build(t, tc.root, tableA, tableB)
			noErrors(t, ds)
			for _, c := range []string{"c1", "c2"} {
				rs := routeSet(t, m, c, "routetable-root-app")
				if diff := cmp.Diff(tc.want, paths(rs)); diff != "" {
					t.Errorf("%s: order (-want +got):\n%s", c, diff)
				}
			}
		})
	}
}

// Equal weights fall back to reference order, then namespace/name; routes keep written order.
func TestTableWeightTies(t *testing.T) {
	root := strings.Replace(rootTable("TABLE_WEIGHT", ""), "routeTables: [{labels: {team: x}}]", "routeTables: [{name: z}, {labels: {team: x}}]", 1)
	m, ds := build(t, root,
		childTable("z", 0, "{team: y}", "prefix /z"),
		childTable("b", 0, "{team: x}", "prefix /b1", "prefix /b2"),
		childTable("a", 0, "{team: x}", "prefix /a"),
		childTable("h", 5, "{team: x}", "prefix /h"))
	noErrors(t, ds)
	want := []string{"prefix /h", "prefix /z", "prefix /a", "prefix /b1", "prefix /b2"}
	if diff := cmp.Diff(want, paths(routeSet(t, m, "c1", "routetable-root-app"))); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

// Tables tied on weight under one selector are ordered by creation time when every one of them
// carries it, else by namespace/name; either way the tie is recorded for the validator.
func TestTableWeightTiesByCreation(t *testing.T) {
	dated := func(table, created string) string {
		return strings.Replace(table, "labels: {team: x}}", "labels: {team: x}, creationTimestamp: \""+created+"\"}", 1)
	}
	for _, tc := range []struct {
		name       string
		b, a       string
		want       []string
		byCreation bool
	}{
		{"both dated: older first", dated(childTable("b", 0, "{team: x}", "prefix /b"), "2026-01-01T00:00:00Z"),
			dated(childTable("a", 0, "{team: x}", "prefix /a"), "2026-02-01T00:00:00Z"), []string{"prefix /b", "prefix /a"}, true},
		{"one dated: namespace/name", dated(childTable("b", 0, "{team: x}", "prefix /b"), "2026-01-01T00:00:00Z"),
			childTable("a", 0, "{team: x}", "prefix /a"), []string{"prefix /a", "prefix /b"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, ds := build(t, rootTable("TABLE_WEIGHT", ""), tc.b, tc.a)
			noErrors(t, ds)
			if diff := cmp.Diff(tc.want, paths(routeSet(t, m, "c1", "routetable-root-app"))); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
			ties := m.Cluster("c1").Conflicts.DelegationTies
			if len(ties) != 1 || ties[0].ByCreation != tc.byCreation || len(ties[0].Tables) != 2 || ties[0].Selector.Path != "/spec/http/0/delegate/routeTables/0" {
				t.Fatalf("ties %+v", ties)
			}
		})
	}
}

func TestRouteSpecificity(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b specificity
		want int
	}{
		{"exact before regex", specificity{0, 1}, specificity{1, 0}, -1},
		{"regex before prefix", specificity{1, 0}, specificity{2, 50}, -1},
		{"longer exact first", specificity{0, 10}, specificity{0, 3}, -1},
		{"shorter prefix later", specificity{2, 1}, specificity{2, 4}, 1},
		{"regexes tie", specificity{1, 0}, specificity{1, 0}, 0},
	} {
		if got := tc.a.compare(tc.b); got != tc.want {
			t.Errorf("%s: compare = %d, want %d", tc.name, got, tc.want)
		}
	}
}
