package compiler

import (
	"slices"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/diag"
)

// Two workspaces over the test inventory: gw owns gw-ns, app owns app, in every cluster.
const twoWorkspaces = `
apiVersion: admin.gloo.solo.io/v2
kind: Workspace
metadata: {name: gw, namespace: gloo-mesh}
spec:
  workloadClusters: [{name: '*', namespaces: [{name: gw-ns}]}]
---
apiVersion: admin.gloo.solo.io/v2
kind: Workspace
metadata: {name: app, namespace: gloo-mesh, labels: {tier: backend}}
spec:
  workloadClusters: [{name: 'c*', namespaces: [{name: app}]}]
`

// delegatingRoot is a gw-ns root table delegating / to app's child table, which forwards to
// app/reviews.
const delegatingRoot = `
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: root, namespace: gw-ns}
spec:
  hosts: [shop.example.com]
  virtualGateways: [{name: north}]
  http:
  - name: health
    matchers: [{uri: {exact: /healthz}}]
    directResponse: {status: 200}
  - name: app
    delegate: {routeTables: [{name: child, namespace: app}]}
---
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: child, namespace: app, labels: {expose: "yes"}}
spec:
  http:
  - name: reviews
    forwardTo: {destinations: [{ref: {name: reviews}, port: {number: 9080}}]}
`

// meshTable is an app mesh table routing to app/reviews.
const meshTable = `
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: mesh, namespace: app}
spec:
  hosts: [reviews.app.svc.cluster.local]
  http: [{name: r, forwardTo: {destinations: [{ref: {name: reviews}, port: {number: 9080}}]}}]
`

func settings(name, ns, spec string) string {
	return "apiVersion: admin.gloo.solo.io/v2\nkind: WorkspaceSettings\nmetadata: {name: " + name + ", namespace: " + ns + "}\nspec:\n" + spec + "---\n"
}

func TestWorkspaceVisibility(t *testing.T) {
	importAll := settings("gw", "gw-ns", "  importFrom: [{workspaces: [{name: app}]}]\n")
	exportAll := settings("app", "app", "  exportTo: [{workspaces: [{name: gw}]}]\n")
	for _, tc := range []struct {
		name, settings string
		want           []string
		message        string
	}{
		{"exported and imported", importAll + exportAll, nil, ""},
		{"nothing shared", "", []string{"MR2030"}, "RouteTable app/child of workspace app is neither exported to nor imported by workspace gw"},
		{"not exported", importAll, []string{"MR2030"}, "RouteTable app/child of workspace app is not exported to workspace gw"},
		{"not imported", exportAll, []string{"MR2030"}, "workspace gw does not import RouteTable app/child from workspace app"},
		{"tables exported, not the Service the root serves", importAll +
			settings("app", "app", "  exportTo: [{workspaces: [{name: gw}], resources: [{kind: ROUTE_TABLE}]}]\n"),
			[]string{"MR2030"}, "Service app/reviews of workspace app is not exported to workspace gw"},
		{"by label, glob and resource selectors", settings("gw", "gw-ns", "  importFrom: [{workspaces: [{selector: {tier: backend}}], resources: [{kind: ALL, namespace: app}]}]\n") +
			settings("app", "app", "  exportTo: [{workspaces: [{name: '*'}], resources: [{kind: ROUTE_TABLE, labels: {expose: 'yes'}}, {kind: SERVICE, name: reviews}]}]\n"),
			nil, ""},
		{"resource name mismatch", importAll +
			settings("app", "app", "  exportTo: [{workspaces: [{name: gw}], resources: [{kind: ROUTE_TABLE, name: other}, {kind: SERVICE}]}]\n"),
			[]string{"MR2030"}, "RouteTable app/child of workspace app is not exported"},
		{"import of a workspace that does not exist, and of none", importAll + exportAll + settings("gw-extra", "gw-ns", "  importFrom: [{workspaces: [{name: ap}]}, {resources: [{kind: ALL}]}]\n"),
			[]string{"MR2031", "MR3029"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ds := build(t, twoWorkspaces, delegatingRoot, tc.settings)
			if got := codes(ds); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v: %v", got, tc.want, ds)
			}
			if tc.message != "" && !slices.ContainsFunc(ds, func(d diag.Diagnostic) bool { return strings.Contains(d.Message, tc.message) }) {
				t.Errorf("no message containing %q: %v", tc.message, ds)
			}
		})
	}
}

func TestWorkspaceMembership(t *testing.T) {
	ws := func(name, clusters string) string {
		return "apiVersion: admin.gloo.solo.io/v2\nkind: Workspace\nmetadata: {name: " + name + ", namespace: gloo-mesh}\nspec:\n  workloadClusters: " + clusters + "\n---\n"
	}
	gw := ws("gw", "[{namespaces: [{name: gw-ns}]}]")
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"one workspace per namespace", gw + ws("app", "[{name: '*', namespaces: [{name: 'a*'}]}]"), nil},
		{"no workspace selects app", gw, []string{"MR2029"}},
		{"a selector with neither name nor labels selects nothing", gw + ws("app", "[{namespaces: [{}]}]"), []string{"MR2029"}},
		{"app in two workspaces", gw + ws("a1", "[{namespaces: [{name: app}]}]") + ws("a2", "[{name: c2, namespaces: [{name: 'ap*'}]}]"), []string{"MR3028"}},
		// app of c2 belongs to a2, so the c2 Services are a2's, and the table (read from a1
		// only) may not route to them there.
		{"configEnabled false leaves configuration out", gw + ws("a1", "[{name: c1, namespaces: [{name: app}]}]") +
			ws("a2", "[{name: c2, configEnabled: false, namespaces: [{name: app}]}]"), []string{"MR2030"}},
		{"clusters by label", gw + ws("app", "[{selector: {env: prod}, namespaces: [{name: app}]}]"), []string{"MR2029"}},
		// The table is read from the management cluster's app namespace, and the workload
		// clusters' app holds the Services.
		{"configuration in the management cluster", gw + ws("app", "[{name: mgmt, namespaces: [{name: app}]}, {name: 'c*', configEnabled: false, namespaces: [{name: app}]}]") +
			"apiVersion: meshroute.dev/v1alpha1\nkind: Cluster\nmetadata: {name: mgmt}\nspec: {role: management}\n---\n", nil},
		{"namespaces by label, per cluster", gw + ws("app", "[{namespaces: [{labels: {team: app}}]}]") +
			"apiVersion: v1\nkind: Namespace\nmetadata: {name: app, labels: {team: app}}\n---\n", nil},
		{"a cluster's Namespace wins over the every-cluster one", gw + ws("app", "[{namespaces: [{labels: {team: app}}]}]") +
			"apiVersion: v1\nkind: Namespace\nmetadata: {name: app, labels: {team: app}}\n---\n" +
			"apiVersion: v1\nkind: Namespace\nmetadata: {name: app, annotations: {meshroute.dev/cluster: c2}}\n---\n", []string{"MR2029"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ds := build(t, tc.in, meshTable)
			if got := codes(ds); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v: %v", got, tc.want, ds)
			}
		})
	}
}

// A selector's workspace narrows delegation to that workspace's tables; without Workspace
// objects the loader warns and the field has no effect.
func TestDelegateWorkspaceField(t *testing.T) {
	shared := settings("gw", "gw-ns", "  importFrom: [{workspaces: [{name: app}]}]\n") + settings("app", "app", "  exportTo: [{workspaces: [{name: gw}]}]\n")
	root := func(workspace string) string {
		return strings.Replace(delegatingRoot, "{name: child, namespace: app}", `{labels: {expose: "yes"}, workspace: `+workspace+`}`, 1)
	}
	for _, tc := range []struct {
		name, workspace string
		want            []string
	}{
		{"the child's workspace", "app", nil},
		{"another workspace", "gw", []string{"MR2007"}},
		{"a workspace that does not exist", "nope", []string{"MR2007", "MR2031"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, ds := build(t, twoWorkspaces, shared, root(tc.workspace))
			if got := codes(ds); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v: %v", got, tc.want, ds)
			}
			if tc.want == nil && len(routeSet(t, m, "c1", "routetable-root-gw-ns").Routes) != 2 {
				t.Errorf("the child's route is missing")
			}
		})
	}
}

func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"", "x", true}, {"*", "x", true}, {"web", "web", true}, {"web", "web2", false},
		{"web*", "web-api", true}, {"web*", "we", false}, {"*-api", "web-api", true},
		{"a*b*c", "aXbYc", true}, {"a*b*c", "acb", false}, {"ab*b", "ab", false}, {"*a*", "bab", true},
	} {
		if got := globMatch(tc.pattern, tc.s); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

// A table attaching to another workspace's VirtualGateway goes to the gateway's workspace, which
// must import it.
func TestGatewayReferenceVisibility(t *testing.T) {
	appTable := `
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: app-ingress, namespace: app}
spec:
  hosts: [app.example.com]
  virtualGateways: [{name: north, namespace: gw-ns}]
  http: [{name: r, directResponse: {status: 200}}]
`
	_, ds := build(t, twoWorkspaces, appTable)
	if got := codes(ds); !slices.Equal(got, []string{"MR2030"}) {
		t.Fatalf("not shared: got %v, want MR2030", ds)
	}
	_, ds = build(t, twoWorkspaces, appTable,
		settings("gw", "gw-ns", "  importFrom: [{workspaces: [{name: app}], resources: [{kind: ROUTE_TABLE}]}]\n")+
			settings("app", "app", "  exportTo: [{workspaces: [{name: gw}], resources: [{kind: ROUTE_TABLE}]}]\n"))
	noErrors(t, ds)
}

// A VirtualDestination selects only the backing Services it may see: namespace app of c2 belongs
// to another workspace, so the VD is served by c1's Service alone; with none visible it is MR2030.
func TestBackingServiceVisibility(t *testing.T) {
	ws := `
apiVersion: admin.gloo.solo.io/v2
kind: Workspace
metadata: {name: gw, namespace: gloo-mesh}
spec:
  workloadClusters: [{namespaces: [{name: gw-ns}]}]
---
apiVersion: admin.gloo.solo.io/v2
kind: Workspace
metadata: {name: app1, namespace: gloo-mesh}
spec:
  workloadClusters: [{name: c1, namespaces: [{name: app}]}]
---
apiVersion: admin.gloo.solo.io/v2
kind: Workspace
metadata: {name: app2, namespace: gloo-mesh}
spec:
  workloadClusters: [{name: c2, configEnabled: false, namespaces: [{name: app}]}]
`
	vd := func(labels string) string {
		return `
apiVersion: networking.gloo.solo.io/v2
kind: VirtualDestination
metadata: {name: reviews, namespace: app}
spec:
  hosts: [reviews.global]
  services: [{labels: ` + labels + `}]
  ports: [{number: 9080, protocol: HTTP}]
`
	}
	m, ds := build(t, ws, vd("{app: reviews}"))
	noErrors(t, ds)
	for _, c := range m.Clusters {
		for _, be := range c.Backends {
			if be.Host == "reviews.global" && len(be.Remotes)+btoi(be.Local != nil) != 1 {
				t.Errorf("cluster %s: reviews.global has %d remote and local %v endpoints, want c1's only", c.Name, len(be.Remotes), be.Local != nil)
			}
		}
	}
	details := "apiVersion: v1\nkind: Service\nmetadata: {name: details, namespace: app, labels: {app: details}, annotations: {meshroute.dev/cluster: c2}}\nspec:\n  selector: {app: details}\n  ports: [{name: http, port: 9080}]\n"
	_, ds = build(t, ws, vd("{app: details}"), details)
	if got := codes(ds); !slices.Equal(got, []string{"MR2030"}) {
		t.Fatalf("only an invisible backing Service: got %v, want MR2030", ds)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// With Workspace objects declared, a route to a Service pinned to another cluster needs the
// referring workspace's federation to select the Service and its port.
func TestFederationGating(t *testing.T) {
	const pinned = `
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: mesh, namespace: app}
spec:
  hosts: [ratings.example]
  http: [{name: r, forwardTo: {destinations: [{ref: {name: ratings, cluster: c1}, port: {number: 9080}}]}}]
`
	federation := func(spec string) string {
		return settings("app", "app", "  options:\n    federation: "+spec+"\n")
	}
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"no federation", "", []string{"MR4030"}},
		{"federation of every Service", federation("{enabled: true}"), nil},
		{"disabled", federation("{enabled: false}"), []string{"MR4030"}},
		{"selected by name and port name", federation("{enabled: true, serviceSelector: [{name: ratings}], ports: [{name: http}]}"), nil},
		{"another Service selected", federation("{enabled: true, serviceSelector: [{name: reviews}]}"), []string{"MR4030"}},
		{"another port selected", federation("{enabled: true, ports: [{number: 9090}]}"), []string{"MR4030"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ds := build(t, twoWorkspaces, pinned, tc.in)
			if got := codes(ds); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v: %v", got, tc.want, ds)
			}
		})
	}
	_, ds := build(t, pinned)
	noErrors(t, ds)
}

// A mesh set serves the sidecars of its table's workspace and of the workspaces importing the
// table; without Workspace objects it is exported everywhere, as before.
func TestMeshSetScope(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []string
		want []string
	}{
		{"no workspaces", []string{meshTable}, nil},
		{"its own workspace", []string{twoWorkspaces, meshTable}, []string{"app"}},
		{"and an importing one", []string{twoWorkspaces, meshTable,
			settings("gw", "gw-ns", "  importFrom: [{workspaces: [{name: app}]}]\n") + settings("app", "app", "  exportTo: [{workspaces: [{name: gw}], resources: [{kind: ROUTE_TABLE}]}]\n")},
			[]string{"app", "gw-ns"}},
		{"exported but not imported", []string{twoWorkspaces, meshTable, settings("app", "app", "  exportTo: [{workspaces: [{name: gw}]}]\n")}, []string{"app"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, ds := build(t, tc.in...)
			noErrors(t, ds)
			if got := routeSet(t, m, "c1", "routetable-mesh-app").ExportTo; !slices.Equal(got, tc.want) {
				t.Errorf("ExportTo = %v, want %v", got, tc.want)
			}
		})
	}
}

// A policy applies within its own workspace: an empty selector in gw-ns picks gw's route (the
// root's health check) but not the route app's child table declares, and no app Service; the
// same policy in app picks the delegated route and app's destinations.
func TestPolicyScopeIsItsWorkspace(t *testing.T) {
	shared := settings("gw", "gw-ns", "  importFrom: [{workspaces: [{name: app}]}]\n") +
		settings("app", "app", "  exportTo: [{workspaces: [{name: gw}]}]\n")
	for _, tc := range []struct {
		ns            string
		kind          string
		routes, dests []string
	}{
		{"gw-ns", "resilience/RetryTimeoutPolicy", []string{"health.root.gw-ns"}, nil},
		{"app", "resilience/RetryTimeoutPolicy", []string{"reviews.child.app--app.root.gw-ns"}, nil},
		{"app", "resilience/OutlierDetectionPolicy", nil, []string{"ratings.app.svc.cluster.local", "reviews.app.svc.cluster.local"}},
	} {
		t.Run(tc.ns+" "+tc.kind, func(t *testing.T) {
			policy := strings.Replace(policyDoc(tc.kind, "config: {}"), "namespace: app", "namespace: "+tc.ns, 1)
			m, _ := build(t, twoWorkspaces, shared, delegatingRoot, policy)
			routes, dests := selection(m, "c1")
			if !slices.Equal(routes, tc.routes) || !slices.Equal(dests, tc.dests) {
				t.Errorf("routes %q dests %q, want %q %q", routes, dests, tc.routes, tc.dests)
			}
		})
	}
}

// A route to another workspace's ExternalService needs its export and the route's workspace's
// import, like a Service.
func TestWorkspaceVisibilityExternalService(t *testing.T) {
	const external = `
apiVersion: networking.gloo.solo.io/v2
kind: ExternalService
metadata: {name: payments, namespace: app}
spec:
  hosts: [api.payments.example.com]
  ports: [{number: 443, name: https, protocol: HTTPS, clientsideTls: {}}]
---
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: edge, namespace: gw-ns}
spec:
  hosts: [pay.example.com]
  virtualGateways: [{name: north}]
  http:
  - name: pay
    forwardTo: {destinations: [{ref: {name: payments, namespace: app}, kind: EXTERNAL_SERVICE, port: {number: 443}}]}
`
	imported := settings("gw", "gw-ns", "  importFrom: [{workspaces: [{name: app}]}]\n")
	for _, tc := range []struct {
		name, settings string
		want           []string
	}{
		{"exported and imported", imported + settings("app", "app", "  exportTo: [{workspaces: [{name: gw}], resources: [{kind: EXTERNAL_SERVICE}]}]\n"), nil},
		{"only Services exported", imported + settings("app", "app", "  exportTo: [{workspaces: [{name: gw}], resources: [{kind: SERVICE}]}]\n"), []string{"MR2030"}},
		{"nothing shared", "", []string{"MR2030"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ds := build(t, twoWorkspaces, external, tc.settings)
			if got := codes(ds); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v: %v", got, tc.want, ds)
			}
		})
	}
}

// A selector's workspace field reaches the routes and destinations of that workspace, each
// shared with the policy's (exported by one, imported by the other), and nothing else.
func TestPolicySelectorWorkspace(t *testing.T) {
	shared := settings("gw", "gw-ns", "  importFrom: [{workspaces: [{name: app}]}]\n") +
		settings("app", "app", "  exportTo: [{workspaces: [{name: gw}]}]\n")
	tablesOnly := settings("gw", "gw-ns", "  importFrom: [{workspaces: [{name: app}]}]\n") +
		settings("app", "app", "  exportTo: [{workspaces: [{name: gw}], resources: [{kind: ROUTE_TABLE}]}]\n")
	for _, tc := range []struct {
		name, settings, kind, spec string
		routes, dests              []string
		codes                      []string
	}{
		{"routes of the named workspace", shared, "resilience/RetryTimeoutPolicy", "applyToRoutes: [{route: {workspace: app}}], config: {requestTimeout: 5s}",
			[]string{"reviews.child.app--app.root.gw-ns"}, nil, nil},
		{"routes of its own workspace by name", shared, "resilience/RetryTimeoutPolicy", "applyToRoutes: [{route: {workspace: gw}}], config: {requestTimeout: 5s}",
			[]string{"health.root.gw-ns"}, nil, []string{"MR4027"}},
		{"destinations of the named workspace", shared, "resilience/OutlierDetectionPolicy", "applyToDestinations: [{selector: {name: reviews, workspace: app}}], config: {}",
			nil, []string{"reviews.app.svc.cluster.local"}, nil},
		{"destinations not exported", tablesOnly, "resilience/OutlierDetectionPolicy", "applyToDestinations: [{selector: {name: reviews, workspace: app}}], config: {}",
			nil, nil, []string{"MR2018", "MR2030"}},
		{"a workspace nobody declares", shared, "resilience/OutlierDetectionPolicy", "applyToDestinations: [{selector: {workspace: ap}}], config: {}",
			nil, nil, []string{"MR2018", "MR2031"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			policy := strings.Replace(policyDoc(tc.kind, tc.spec), "namespace: app", "namespace: gw-ns", 1)
			m, ds := build(t, twoWorkspaces, tc.settings, delegatingRoot, policy)
			if got := codes(ds); !slices.Equal(got, tc.codes) {
				t.Fatalf("got %v, want %v: %v", got, tc.codes, ds)
			}
			// The selector's own diagnostic is at its workspace field.
			if len(tc.codes) > 0 && tc.dests == nil && tc.routes == nil && !slices.ContainsFunc(ds, func(d diag.Diagnostic) bool {
				return d.Code == tc.codes[len(tc.codes)-1] && d.Path == "/spec/applyToDestinations/0/selector/workspace"
			}) {
				t.Errorf("no %s at the selector's workspace: %v", tc.codes[len(tc.codes)-1], ds)
			}
			routes, dests := selection(m, "c1")
			if !slices.Equal(routes, tc.routes) || !slices.Equal(dests, tc.dests) {
				t.Errorf("routes %q dests %q, want %q %q", routes, dests, tc.routes, tc.dests)
			}
		})
	}
}
