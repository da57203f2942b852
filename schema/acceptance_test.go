package schema

import (
	"strings"
	"testing"
	"testing/fstest"
)

// Realistic Gloo Mesh v2 config, written the way the public docs and the API's own examples
// write it (matchers of every kind, redirects, rewrites, delegation, weighted subsets, TLS
// listeners, mesh tables, VDs) plus kubectl exports with status and managedFields: all of it
// must load without schema errors. Only the workspace selectors are reported (MR1005): the input
// declares no Workspace, so they have no effect.
func TestRealisticConfigLoads(t *testing.T) {
	set, ds, err := (&Loader{}).Load([]Input{{Path: "testdata/realistic"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Code != "MR1005" || d.Message != "workspace has no effect: no Workspace object is declared, so every object is in one workspace" {
			t.Errorf("unexpected diagnostic: %v", d)
		}
	}
	if len(ds) != 2 {
		t.Errorf("got %d diagnostics, want the 2 workspace warnings", len(ds))
	}
	if len(set.RouteTables) != 4 || len(set.VirtualGateways) != 1 || len(set.VirtualDestinations) != 2 ||
		len(set.Services) != 1 || len(set.Clusters) != 1 {
		t.Errorf("loaded %d RTs %d VGs %d VDs %d Services %d Clusters", len(set.RouteTables),
			len(set.VirtualGateways), len(set.VirtualDestinations), len(set.Services), len(set.Clusters))
	}
}

func loadSet(t *testing.T, content string) *Set {
	t.Helper()
	set, _, err := (&Loader{FS: fstest.MapFS{"in.yaml": {Data: []byte(content)}}}).Load([]Input{{Path: "in.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// Gloo's CRDs take enums as int-or-string and its controllers read specs with protojson, which
// accepts an enum's number for its name: numbers load, and decode to the names.
func TestEnumNumbers(t *testing.T) {
	doc := rtHead + `  hosts: [a.example.com]
  http:
  - name: r
    redirect: {pathRedirect: /x, responseCode: 4}
  - name: d
    delegate: {sortMethod: 1, routeTables: [{name: c}]}
  - name: f
    forwardTo:
      destinations: [{ref: {name: vd}, kind: 1, port: {number: 80}}]
`
	checkDiags(t, loadString(t, doc), nil)
	rt := loadSet(t, doc).RouteTables[0]
	if got := rt.Spec.HTTP[0].Redirect.ResponseCode; got != "PERMANENT_REDIRECT" {
		t.Errorf("responseCode 4 decoded as %q", got)
	}
	if got := rt.Spec.HTTP[1].Delegate.SortMethod; got != SortRouteSpecificity {
		t.Errorf("sortMethod 1 decoded as %q", got)
	}
	if got := rt.Spec.HTTP[2].ForwardTo.Destinations[0].Kind; got != DestVirtualDestination {
		t.Errorf("kind 1 decoded as %q", got)
	}

	vg := "apiVersion: networking.gloo.solo.io/v2\nkind: VirtualGateway\nmetadata: {name: gw, namespace: ns}\nspec:\n" +
		"  workloads: [{kind: 0}]\n  listeners: [{port: {number: 443}, http: {}, tls: {secretName: s, mode: 1}}]\n"
	checkDiags(t, loadString(t, vg), nil)
	if got := loadSet(t, vg).VirtualGateways[0].Spec.Listeners[0].TLS.Mode; got != "SIMPLE" {
		t.Errorf("tls mode 1 decoded as %q", got)
	}
	ext := route("forwardTo:\n  destinations:\n  - ref: {name: api}\n    kind: 2\n")
	checkDiags(t, loadString(t, ext), nil)
	if got := loadSet(t, ext).RouteTables[0].Spec.HTTP[0].ForwardTo.Destinations[0].Kind; got != DestExternalService {
		t.Errorf("kind 2 decoded as %q", got)
	}
}

func TestEnumAndScalarMistakes(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		want      []want
	}{
		// protojson reads names case-sensitively: Gloo would refuse `found`.
		{"lower-case name", route("redirect: {pathRedirect: /x, responseCode: found}\n"),
			[]want{{"MR1003", 10, 48, "did you mean `FOUND`? enum names are case-sensitive"}}},
		{"number out of range", route("redirect: {pathRedirect: /x, responseCode: 7}\n"),
			[]want{{"MR1003", 10, 48, "its number 0 to 4"}}},
		{"number as a string", route("redirect: {pathRedirect: /x, responseCode: '1'}\n"),
			[]want{{"MR1003", 10, 48, `"1" is not one of MOVED_PERMANENTLY`}}},
		// The CRD types ports and booleans strictly; the API server refuses "80" and "true".
		{"quoted port", route("forwardTo:\n  destinations: [{ref: {name: a}, port: {number: '80'}}]\n"),
			[]want{{"MR1003", 11, 54, "remove the quotes around 80"}}},
		{"quoted boolean", route("matchers: [{uri: {prefix: /a, ignoreCase: 'true'}}]\n" + fwd),
			[]want{{"MR1003", 10, 47, "remove the quotes around true"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkDiags(t, loadString(t, tc.doc), tc.want)
		})
	}
}

// The API server prunes null fields of a structural schema, so Helm output such as
// `labels: null` or an empty `matchers:` loads as if the field were absent.
func TestNullFieldsAreAbsent(t *testing.T) {
	doc := rtHead + `  hosts: [a.example.com]
  workloadSelectors: null
  http:
  - name: r
    labels: null
    matchers:
    forwardTo:
      destinations: [{ref: {name: a}, port: {number: 80}, weight: null}]
status: null
`
	checkDiags(t, loadString(t, doc+"  \n"), nil)
	rt := loadSet(t, doc).RouteTables[0]
	if d := rt.Spec.HTTP[0].ForwardTo.Destinations[0]; d.Weight != 0 {
		t.Errorf("weight: null decoded as %d, want unweighted", d.Weight)
	}
	// A required field given as null is missing, not "empty".
	checkDiags(t, loadString(t, rtHead+"  hosts: [a.example.com]\n  http:\n  - directResponse: {status: null}\n"),
		[]want{{"MR1003", 9, 22, "status is required but empty (null)"}})
}

// `kubectl get routetables,virtualgateways -A -o yaml` prints a v1 List; its items are the
// objects, each positioned where it is written.
func TestKubectlListLoads(t *testing.T) {
	doc := `apiVersion: v1
kind: List
metadata:
  resourceVersion: ""
items:
- apiVersion: networking.gloo.solo.io/v2
  kind: RouteTable
  metadata: {name: rt, namespace: ns, resourceVersion: "7", uid: abc, generation: 2}
  spec:
    hosts: [a.example.com]
    http:
    - directResponse: {status: 200}
  status: {common: {state: ACCEPTED}}
- apiVersion: networking.gloo.solo.io/v2
  kind: VirtualGateway
  metadata: {name: gw, namespace: ns}
  spec:
    listeners: [{port: {number: 80}, http: {}}]
- apiVersion: networking.gloo.solo.io/v2
  kind: RouteTable
  metadata: {name: bad, namespace: ns}
  spec:
    hosts: [b.example.com]
    http:
    - matcher: []
      directResponse: {status: 200}
`
	set := loadSet(t, doc)
	if len(set.RouteTables) != 2 || len(set.VirtualGateways) != 1 {
		t.Fatalf("loaded %d RouteTables and %d VirtualGateways from the List", len(set.RouteTables), len(set.VirtualGateways))
	}
	if p := set.RouteTables[1].Pos; set.RouteTables[1].Name() != "rt" || p.Line != 6 {
		t.Errorf("first item positioned at %v, want line 6", p)
	}
	checkDiags(t, loadString(t, doc), []want{{"MR1001", 25, 7, "did you mean `matchers`?"}})
	// The API's own list kind reads the same way.
	list := "apiVersion: networking.gloo.solo.io/v2\nkind: RouteTableList\nitems:\n" + indent(rtHead+"  hosts: [a.com]\n  http: [{directResponse: {status: 200}}]\n", "  ")
	list = strings.Replace(list, "  apiVersion", "- apiVersion", 1)
	if n := len(loadSet(t, list).RouteTables); n != 1 {
		t.Errorf("RouteTableList: loaded %d tables", n)
	}
}

// The API server reads a quoted Service targetPort as a port name, and a name needs a letter:
// "8081" is refused there, so it must not load as a name no pod port could match.
func TestServiceTargetPortNames(t *testing.T) {
	svc := "apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: ns}\nspec:\n  selector: {app: a}\n  ports:\n  - port: 80\n    targetPort: "
	checkDiags(t, loadString(t, clusterYAML+"---\n"+svc+"http-web\n"), nil)
	checkDiags(t, loadString(t, clusterYAML+"---\n"+svc+"8080\n"), nil)
	checkDiags(t, loadString(t, clusterYAML+"---\n"+svc+"'8081'\n"), []want{{"MR1003", 13, 17, "write the number without quotes"}})
	checkDiags(t, loadString(t, clusterYAML+"---\n"+svc+"Web_Port\n"), []want{{"MR1003", 13, 17, "is not a valid port name"}})
}
