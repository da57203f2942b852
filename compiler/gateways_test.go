package compiler

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGateways(t *testing.T) {
	vg := `apiVersion: networking.gloo.solo.io/v2
kind: VirtualGateway
metadata: {name: edge, namespace: gw-ns}
spec:
  workloads: [{selector: {cluster: c1, namespace: gw-ns}}]
  listeners:
  - port: {number: 80}
    http: {}
    httpsRedirect: true
  - port: {name: https}
    http: {}
    tls: {secretName: cert-a}
    allowedRouteTables: [{host: "./a.example.com"}]
  - port: {number: 443}
    http: {}
    tls: {secretName: cert-b, mode: MUTUAL}
    allowedRouteTables: [{host: "*/B.example.com"}]
`
	// A second gateway Service in the same namespace: both get the -<service> suffix.
	svc := `apiVersion: v1
kind: Service
metadata: {name: gw2, namespace: gw-ns, annotations: {meshroute.dev/cluster: c1}}
spec:
  selector: {istio: ingressgateway, gen: "2"}
  ports: [{name: http2, port: 80, targetPort: 80}, {name: https, port: 443, targetPort: 443}]
`
	m, ds := build(t, vg, svc)
	noErrors(t, ds)
	var got []string
	for _, c := range m.Clusters {
		for _, g := range c.Gateways {
			if g.Origin.Name != "edge" {
				continue
			}
			got = append(got, c.Name+" "+g.Namespace+"/"+g.Name+" "+g.Service)
			for _, l := range g.Listeners {
				s := "  " + l.PortName + " " + l.Protocol
				if l.TLS != nil {
					s += " " + l.TLS.Mode + " " + l.TLS.CredentialName
				}
				if l.HTTPSRedirect {
					s += " redirect"
				}
				got = append(got, s)
			}
		}
	}
	want := []string{
		"c1 gw-ns/virtualgateway-edge-gw-ns-gw gw",
		"  http-8080-all HTTP redirect",
		"  https-8443-a-example-com HTTPS SIMPLE cert-a",
		"  https-8443-b-example-com HTTPS MUTUAL cert-b",
		"c1 gw-ns/virtualgateway-edge-gw-ns-gw2 gw2",
		"  http-80-all HTTP redirect",
		"  https-443-a-example-com HTTPS SIMPLE cert-a",
		"  https-443-b-example-com HTTPS MUTUAL cert-b",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// allowedRouteTables restricts binding by host and namespace.
func TestBinding(t *testing.T) {
	vg := `apiVersion: networking.gloo.solo.io/v2
kind: VirtualGateway
metadata: {name: south, namespace: gw-ns}
spec:
  listeners:
  - port: {number: 80}
    http: {}
    allowedRouteTables: [{host: "app/*.example.com"}, {host: "./gw.example.com"}]
`
	inv := func(name, ns, host string) string {
		return "apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata: {name: " + name + ", namespace: " + ns + "}\nspec:\n  hosts: [" + host + "]\n  virtualGateways: [{name: south, namespace: gw-ns}]\n  http: [{directResponse: {status: 200}}]\n"
	}
	for _, tc := range []struct {
		name, table string
		bound       bool
	}{
		{"wildcard listener host", inv("t", "app", "a.example.com"), true},
		{"wildcard table host", inv("t", "app", "'*'"), true},
		{"other namespace", inv("t", "other", "a.example.com"), false},
		{"other host", inv("t", "app", "a.example.org"), false},
		{"dot namespace", inv("t", "gw-ns", "gw.example.com"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := build(t, vg, tc.table)
			if got := len(m.Cluster("c1").RouteSets) == 1; got != tc.bound {
				t.Errorf("bound = %v, want %v (%+v)", got, tc.bound, m.Cluster("c1").RouteSets)
			}
		})
	}
}

// The Gloo API's own defaults for two easily missed shapes: a listener with neither http nor tcp
// is a TCP listener, and a workloads entry without a selector selects nothing.
func TestGatewayAPIDefaults(t *testing.T) {
	for _, tc := range []struct {
		name, spec string
		listeners  int // listeners of the edge Gateway in c1, -1 when no Gateway is built (none without servers)
		code       string
	}{
		{"http listener", "workloads: [{selector: {}}]\n  listeners: [{port: {number: 80}, http: {}}]", 1, ""},
		{"no listener type: tcp", "listeners: [{port: {number: 80}}]", 1, ""},
		{"workload without selector", "workloads: [{}]\n  listeners: [{port: {number: 80}, http: {}}]", -1, "MR2009"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vg := "apiVersion: networking.gloo.solo.io/v2\nkind: VirtualGateway\nmetadata: {name: edge, namespace: gw-ns}\nspec:\n  " + tc.spec + "\n"
			m, ds := build(t, vg)
			got := -1
			for _, g := range m.Cluster("c1").Gateways {
				if g.Origin.Name == "edge" {
					got = len(g.Listeners)
				}
			}
			if got != tc.listeners {
				t.Errorf("listeners = %d, want %d", got, tc.listeners)
			}
			if tc.code != "" && !slices.Contains(codes(ds), tc.code) {
				t.Errorf("diagnostics %v lack %s", codes(ds), tc.code)
			}
		})
	}
}
