package compiler

import (
	"slices"
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
)

func isolatedService(m *model.Model, cluster, ns, name string) *model.IsolatedService {
	for _, is := range m.Cluster(cluster).Isolated {
		if is.Namespace == ns && is.Service == name {
			return is
		}
	}
	return nil
}

func TestServiceIsolation(t *testing.T) {
	isolate := "  options: {serviceIsolation: {enabled: true}}\n"
	exportToGW := "  exportTo: [{workspaces: [{name: gw}], resources: [{kind: SERVICE, name: reviews}]}]\n"
	importApp := settings("gw", "gw-ns", "  importFrom: [{workspaces: [{name: app}]}]\n  options: {serviceIsolation: {enabled: true}}\n")
	appPrincipals := []string{"c1/ns/app/sa/default", "c2/ns/app/sa/default", "c2/ns/app/sa/details"}
	gwPrincipals := []string{"c1/ns/gw-ns/sa/default", "c2/ns/gw-ns/sa/default"}
	accounts := `
apiVersion: v1
kind: Service
metadata: {name: details, namespace: app, annotations: {meshroute.dev/cluster: c2, meshroute.dev/service-account: details}}
spec:
  selector: {app: details}
  ports: [{name: http, port: 9080}]
`
	ownHosts := `
apiVersion: networking.gloo.solo.io/v2
kind: ExternalService
metadata: {name: api, namespace: app}
spec:
  hosts: [api.example.com]
  ports: [{name: https, number: 443, protocol: HTTPS}]
---
apiVersion: networking.gloo.solo.io/v2
kind: VirtualDestination
metadata: {name: reviews, namespace: app}
spec:
  hosts: [reviews.global]
  services: [{labels: {app: reviews}}]
  ports: [{number: 9080, protocol: HTTP}]
---
`
	for _, tc := range []struct {
		name, settings string
		// want are the allowed groups of reviews' port in c1 (nil: not isolated).
		want []model.Principals
		// wantTrim are the egress hosts of reviews' Sidecar in c1 (nil: no Sidecar).
		wantTrim []string
	}{
		{"no options", settings("app", "app", exportToGW), nil, nil},
		{"own workspace only when not imported", settings("app", "app", exportToGW+isolate), []model.Principals{{Workspace: "app", Principals: appPrincipals}}, nil},
		{"importers are admitted", importApp + settings("app", "app", exportToGW+isolate),
			[]model.Principals{{Workspace: "app", Principals: appPrincipals}, {Workspace: "gw", Principals: gwPrincipals}}, nil},
		{"trim without isolation", settings("app", "app", "  options: {trimAllProxyConfig: true}\n"), nil,
			[]string{"*/ratings.app.svc.cluster.local", "*/reviews.app.svc.cluster.local"}},
		{"trimProxyConfig with isolation", settings("app", "app", "  options: {serviceIsolation: {enabled: true, trimProxyConfig: true}}\n"),
			[]model.Principals{{Workspace: "app", Principals: appPrincipals}}, []string{"*/ratings.app.svc.cluster.local", "*/reviews.app.svc.cluster.local"}},
		// The workspace's own ExternalService and VirtualDestination hosts: a sidecar that lacks
		// them would send to them outside their ServiceEntries.
		{"trim lists the workspace's external and virtual hosts", settings("app", "app", "  options: {trimAllProxyConfig: true}\n") + ownHosts, nil,
			[]string{"*/api.example.com", "*/ratings.app.svc.cluster.local", "*/reviews.app.svc.cluster.local", "*/reviews.global"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, ds := build(t, twoWorkspaces, accounts, tc.settings)
			noErrors(t, ds)
			is := isolatedService(m, "c1", "app", "reviews")
			if tc.want == nil && tc.wantTrim == nil {
				if is != nil {
					t.Fatalf("reviews isolated: %+v", is)
				}
				return
			}
			if is == nil {
				t.Fatal("reviews is not isolated")
			}
			if tc.want == nil != (len(is.Ports) == 0) {
				t.Fatalf("ports %+v, want allowed %v", is.Ports, tc.want)
			}
			if tc.want != nil {
				p := is.Ports[0]
				if p.Name != "settings-reviews-9080-app" || p.TargetPort != 9080 || !slices.EqualFunc(p.Allowed, tc.want, func(a, b model.Principals) bool {
					return a.Workspace == b.Workspace && slices.Equal(a.Principals, b.Principals)
				}) {
					t.Errorf("got %+v, want %v", p, tc.want)
				}
			}
			if got := is.Sidecar; tc.wantTrim == nil && got != nil || tc.wantTrim != nil && (got == nil || !slices.Equal(got.Hosts, tc.wantTrim)) {
				t.Errorf("sidecar %+v, want hosts %v", got, tc.wantTrim)
			}
			// The gateway Service takes traffic from outside the mesh: never isolated.
			if isolatedService(m, "c1", "gw-ns", "gw") != nil {
				t.Error("the gateway Service is isolated")
			}
		})
	}
}

func TestServiceIsolationDiagnostics(t *testing.T) {
	svc := func(meta, spec string) string {
		return "apiVersion: v1\nkind: Service\nmetadata: {name: ledger, namespace: app, annotations: {meshroute.dev/cluster: c1" + meta + "}}\nspec:\n" + spec + "---\n"
	}
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"named target port", svc("", "  selector: {app: ledger}\n  ports: [{port: 80, targetPort: http}]\n"), []string{"MR4038"}},
		{"no selector", svc("", "  ports: [{port: 80}]\n"), []string{"MR4037"}},
		{"bad account", svc(", meshroute.dev/service-account: Ledger", "  selector: {app: ledger}\n  ports: [{port: 80}]\n"), []string{"MR2041"}},
		{"fine", svc(", meshroute.dev/service-account: ledger.v1", "  selector: {app: ledger}\n  ports: [{port: 80, targetPort: 8080}]\n"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ds := build(t, twoWorkspaces, settings("gw", "gw-ns", "  importFrom: [{workspaces: [{name: app}]}]\n"),
				settings("app", "app", "  exportTo: [{workspaces: [{name: gw}]}]\n  options: {serviceIsolation: {enabled: true}}\n"), tc.in)
			if got := codes(ds); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v: %v", got, tc.want, ds)
			}
		})
	}
}

func TestAccessPolicy(t *testing.T) {
	policy := func(config string) string {
		return "apiVersion: security.policy.gloo.solo.io/v2\nkind: AccessPolicy\nmetadata: {name: readers, namespace: app}\nspec:\n  applyToDestinations: [{selector: {name: ratings}, port: {number: 9090}}]\n  config: " + config + "\n"
	}
	for _, tc := range []struct {
		name, config string
		want         []model.AccessRule // of ratings:9090 in c1
		codes        []string
	}{
		{"clients by account, every cluster", "{authz: {allowedClients: [{serviceAccountSelector: {name: gw, namespace: gw-ns}}], allowedMethods: [GET]}}",
			[]model.AccessRule{{Principals: []string{"c1/ns/gw-ns/sa/gw", "c2/ns/gw-ns/sa/gw"}, Methods: []string{"GET"}}}, nil},
		{"any account of a namespace in one cluster, then a header rule", "{authz: {allowedClients: [{serviceAccountSelector: {namespace: app, cluster: c2}}]}, authzList: [{match: {request: {headers: {x-a: {values: ['1']}}}}}]}",
			[]model.AccessRule{{Principals: []string{"c2/ns/app/sa/*"}}, {Headers: []model.HeaderCondition{{Name: "x-a", Values: []string{"1"}}}}}, nil},
		{"authn refused", "{authn: {tlsMode: STRICT}}", nil, []string{"MR4039"}},
		{"ip blocks refused", "{authz: {allowedIpBlocks: [10.0.0.0/8]}}", nil, []string{"MR4039"}},
		{"account labels refused", "{authz: {allowedClients: [{serviceAccountSelector: {labels: {a: b}, namespace: app}}]}}", nil, []string{"MR4039"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, ds := build(t, policy(tc.config))
			if got := codes(ds); !slices.Equal(got, tc.codes) {
				t.Fatalf("got %v, want %v: %v", got, tc.codes, ds)
			}
			var got []model.AccessRule
			for _, g := range m.Cluster("c1").Access {
				if g.Service == "ratings" && g.TargetPort == 9090 && g.Name == "access-readers-app-ratings-9090" {
					got = g.Rules
				}
			}
			// ratings' other port (9080) stays open to every client.
			if want := len(tc.want); tc.want != nil && (len(m.Cluster("c1").Access) != 2 || len(m.Cluster("c2").Access) > 0) || want == 0 && len(m.Cluster("c1").Access) > 0 {
				t.Errorf("grants: %v %v", m.Cluster("c1").Access, m.Cluster("c2").Access)
			}
			for _, g := range m.Cluster("c1").Access {
				if g.Name == "access-ratings-other-ports" && !slices.Equal(g.Except, []uint32{9090}) {
					t.Errorf("other ports grant excepts %v", g.Except)
				}
			}
			if !slices.EqualFunc(got, tc.want, func(a, b model.AccessRule) bool {
				return slices.Equal(a.Principals, b.Principals) && slices.Equal(a.Methods, b.Methods) && slices.Equal(a.Paths, b.Paths) &&
					slices.EqualFunc(a.Headers, b.Headers, func(x, y model.HeaderCondition) bool {
						return x.Name == y.Name && slices.Equal(x.Values, y.Values) && slices.Equal(x.NotValues, y.NotValues)
					})
			}) {
				t.Errorf("rules %+v, want %+v", got, tc.want)
			}
		})
	}
}
