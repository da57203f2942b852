package compiler

import (
	"slices"
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
)

// TestEgress: an ExternalService port's egress route in each cluster whose referenced
// VirtualGateway has an exposing listener; the sidecars' hop to the gateway Service takes the
// listener's TLS mode.
func TestEgress(t *testing.T) {
	vg := func(listener string) string {
		return `
apiVersion: networking.gloo.solo.io/v2
kind: VirtualGateway
metadata: {name: egress, namespace: gw-ns}
spec:
  listeners:
  - ` + listener + `
`
	}
	es := func(ref string) string {
		return `
apiVersion: networking.gloo.solo.io/v2
kind: ExternalService
metadata: {name: api, namespace: app, labels: {team: a}}
spec:
  hosts: [a.example.com]
  ports:
  - number: 443
    protocol: HTTPS
    clientsideTls: {}
    egressGatewayRoutes: {virtualGatewayRefs: [` + ref + `]}
`
	}
	const mutual = `{port: {number: 443}, http: {}, tls: {mode: ISTIO_MUTUAL}}`
	for _, tc := range []struct {
		name, vg, ref string
		codes         []string
		clusters      []string // where the route sets are
		port          uint32   // the gateway Service port sidecars send to
		mode          string   // the TLS sidecars use to reach it ("" = none)
	}{
		{"istio mutual", mutual, `{name: egress, namespace: gw-ns}`, nil, []string{"c1", "c2"}, 443, model.TLSIstioMutual},
		{"simple", `{port: {number: 443}, http: {}, tls: {mode: SIMPLE, secretName: cert}}`, `{name: egress, namespace: gw-ns}`, nil, []string{"c1", "c2"}, 443, model.TLSSimple},
		{"plain http", `{port: {number: 80}, http: {}}`, `{name: egress, namespace: gw-ns}`, nil, []string{"c1", "c2"}, 80, ""},
		{"one cluster", mutual, `{name: egress, namespace: gw-ns, cluster: c1}`, nil, []string{"c1"}, 443, model.TLSIstioMutual},
		{"exposed by selector", `{port: {number: 443}, http: {}, tls: {mode: ISTIO_MUTUAL}, exposedExternalServices: [{host: 'app/*.example.com', selector: {labels: {team: a}}}]}`, `{name: egress, namespace: gw-ns}`, nil, []string{"c1", "c2"}, 443, model.TLSIstioMutual},
		{"selector leaves it out", `{port: {number: 443}, http: {}, tls: {mode: ISTIO_MUTUAL}, exposedExternalServices: [{host: '*.example.com', selector: {labels: {team: b}}}]}`, `{name: egress, namespace: gw-ns}`, []string{"MR2036"}, nil, 0, ""},
		{"other namespace", `{port: {number: 443}, http: {}, tls: {mode: ISTIO_MUTUAL}, exposedExternalServices: [{host: './a.example.com'}]}`, `{name: egress, namespace: gw-ns}`, []string{"MR2036"}, nil, 0, ""},
		{"listener hosts", `{port: {number: 443}, http: {}, tls: {mode: ISTIO_MUTUAL}, allowedRouteTables: [{host: b.example.com}]}`, `{name: egress, namespace: gw-ns}`, []string{"MR2036"}, nil, 0, ""},
		{"mutual listener", `{port: {number: 443}, http: {}, tls: {mode: MUTUAL, secretName: cert}}`, `{name: egress, namespace: gw-ns}`, []string{"MR2036"}, nil, 0, ""},
		{"unknown gateway", mutual, `{name: egres, namespace: gw-ns}`, []string{"MR2001"}, nil, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, ds := build(t, vg(tc.vg), es(tc.ref))
			if got := codes(ds); !slices.Equal(got, tc.codes) && !(len(got) == 0 && len(tc.codes) == 0) {
				t.Fatalf("codes %v, want %v: %v", got, tc.codes, ds)
			}
			for _, c := range m.Clusters {
				var mesh *model.RouteSet
				for _, rs := range c.RouteSets {
					if rs.Name == "externalservice-api-app-mesh" {
						mesh = rs
					}
				}
				want := slices.Contains(tc.clusters, c.Name)
				if (mesh != nil) != want {
					t.Fatalf("cluster %s: mesh set present %v, want %v", c.Name, mesh != nil, want)
				}
				if !want {
					continue
				}
				gw := routeSet(t, m, c.Name, "externalservice-api-app")
				if !slices.Equal(gw.Hosts, []string{"a.example.com"}) || gw.Namespace != "gw-ns" || len(gw.Listeners) != 1 {
					t.Errorf("cluster %s: gateway set %s/%s hosts %v listeners %d", c.Name, gw.Namespace, gw.Name, gw.Hosts, len(gw.Listeners))
				}
				if d := gw.Routes[0].Forward.Destinations[0]; d.Host != "a.example.com" || d.Port != 443 || d.Backend.Port(80) == nil {
					t.Errorf("cluster %s: gateway hop to %s:%d (ports %v)", c.Name, d.Host, d.Port, d.Backend.Ports)
				}
				r := mesh.Routes[0]
				if len(r.Matchers) != 1 || r.Matchers[0].Port != 80 {
					t.Errorf("cluster %s: mesh route matchers %+v, want port 80", c.Name, r.Matchers)
				}
				d := r.Forward.Destinations[0]
				if d.Host != "gw.gw-ns.svc.cluster.local" || d.Port != tc.port {
					t.Errorf("cluster %s: mesh hop to %s:%d, want gw.gw-ns.svc.cluster.local:%d", c.Name, d.Host, d.Port, tc.port)
				}
				var mode string
				if tls := d.Backend.Port(tc.port).TLS; tls != nil {
					mode = tls.Mode
					if tls.SNI != "a.example.com" {
						t.Errorf("cluster %s: SNI %q", c.Name, tls.SNI)
					}
				}
				if mode != tc.mode || (tc.mode != "") != slices.Contains(c.Backends, d.Backend) {
					t.Errorf("cluster %s: TLS to the egress gateway %q, want %q (DestinationRule %q)", c.Name, mode, tc.mode, d.Backend.DestinationRule)
				}
			}
		})
	}
}

// TestEgressWorkspaces: a VirtualGateway of another workspace carries the service only when
// the service's workspace exports it there and the gateway's imports it (MR2030 otherwise).
func TestEgressWorkspaces(t *testing.T) {
	const common = `
apiVersion: admin.gloo.solo.io/v2
kind: Workspace
metadata: {name: gateways, namespace: gloo-mesh}
spec:
  workloadClusters: [{name: '*', namespaces: [{name: gw-ns}]}]
---
apiVersion: admin.gloo.solo.io/v2
kind: Workspace
metadata: {name: apps, namespace: gloo-mesh}
spec:
  workloadClusters: [{name: '*', namespaces: [{name: app}]}]
---
apiVersion: admin.gloo.solo.io/v2
kind: WorkspaceSettings
metadata: {name: gateways, namespace: gw-ns}
spec:
  importFrom: [{workspaces: [{name: apps}], resources: [{kind: ALL}]}]
---
apiVersion: networking.gloo.solo.io/v2
kind: VirtualGateway
metadata: {name: egress, namespace: gw-ns}
spec:
  listeners: [{port: {number: 443}, http: {}, tls: {mode: ISTIO_MUTUAL}}]
---
apiVersion: networking.gloo.solo.io/v2
kind: ExternalService
metadata: {name: api, namespace: app}
spec:
  hosts: [a.example.com]
  ports: [{number: 443, protocol: HTTPS, egressGatewayRoutes: {virtualGatewayRefs: [{name: egress, namespace: gw-ns}]}}]
`
	const exported = `
apiVersion: admin.gloo.solo.io/v2
kind: WorkspaceSettings
metadata: {name: apps, namespace: app}
spec:
  exportTo: [{workspaces: [{name: gateways}], resources: [{kind: EXTERNAL_SERVICE}]}]
`
	m, ds := build(t, common, exported)
	noErrors(t, ds)
	routeSet(t, m, "c1", "externalservice-api-app")
	_, ds = build(t, common)
	if got := codes(ds); !slices.Equal(got, []string{"MR2030"}) {
		t.Errorf("without the export: codes %v, want [MR2030]", got)
	}
}
