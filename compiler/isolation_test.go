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
