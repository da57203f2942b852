package compiler

import (
	"fmt"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// gatewayTable is an ingress table on VirtualGateway vg (namespace gw-ns) for hosts, with one route
// whose matcher may name a port.
func gatewayTable(vg, hosts, matcher string) string {
	return `apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: shop, namespace: app}
spec:
  hosts: ` + hosts + `
  virtualGateways: [{name: ` + vg + `, namespace: gw-ns}]
  http:
  - name: web
    matchers: [` + matcher + `]
    forwardTo: {destinations: [{ref: {name: reviews}, port: {number: 9080}}]}
`
}

func vgDoc(name, body string) string {
	return `apiVersion: networking.gloo.solo.io/v2
kind: VirtualGateway
metadata: {name: ` + name + `, namespace: gw-ns}
spec:
` + body
}

// found is "code path" for each diagnostic at warning or above, in order.
func found(ds []diag.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		if d.Severity >= diag.Warning {
			out = append(out, d.Code+" "+d.Path)
		}
	}
	return out
}

// recorded lists the listener conflicts Build recorded for the validator (MR3010), as found
// lists diagnostics.
func recorded(m *model.Model) []string {
	var out []string
	for _, c := range m.Clusters {
		for _, lc := range c.Conflicts.Listeners {
			out = append(out, fmt.Sprintf("MR3010 /spec/listeners/%d/port", lc.Later.Index))
		}
	}
	return out
}

// TestIngressReachFindings covers the MR2017 cases that follow from listeners: a table whose only
// admitting listeners redirect to HTTPS, matcher ports outside the admitting listeners, and no
// second, misleading MR2017 once the listener a table relied on was refused (MR2010, MR3010).
func TestIngressReachFindings(t *testing.T) {
	namedTarget := `apiVersion: v1
kind: Service
metadata: {name: edge, namespace: gw-ns, annotations: {meshroute.dev/cluster: c1}}
spec:
  selector: {istio: edge}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: alt, port: 8000, targetPort: web-alt}]
`
	// One gateway Service per cluster, named differently: a listener-level finding must not
	// repeat once per Service.
	gwPerCluster := `apiVersion: v1
kind: Service
metadata: {name: dup-a, namespace: gw-ns, annotations: {meshroute.dev/cluster: c1}}
spec:
  selector: {istio: dup}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: dup-b, namespace: gw-ns, annotations: {meshroute.dev/cluster: c2}}
spec:
  selector: {istio: dup}
  ports: [{name: http, port: 80, targetPort: 8080}]
`
	tests := []struct {
		name string
		docs []string
		want []string
		msg  string // a substring of the first finding's message
	}{
		{
			name: "admitted only by an httpsRedirect listener: routes never run",
			docs: []string{vgDoc("redir", `  listeners:
  - port: {number: 80}
    http: {}
    httpsRedirect: true
`), gatewayTable("redir", "[shop.example.com]", "")},
			want: []string{"MR2017 /spec/virtualGateways/0"},
			msg:  "httpsRedirect",
		},
		{
			name: "redirect on 80 and routes on 443: fine",
			docs: []string{vgDoc("both", `  listeners:
  - port: {number: 80}
    http: {}
    httpsRedirect: true
  - port: {number: 443}
    http: {}
    tls: {secretName: cert}
`), gatewayTable("both", "[shop.example.com]", "")},
		},
		{
			name: "matcher port of a listener that does not admit the table",
			docs: []string{vgDoc("split", `  listeners:
  - port: {number: 80}
    http: {}
    allowedRouteTables: [{host: shop.example.com}]
  - port: {number: 443}
    http: {}
    tls: {secretName: cert}
    allowedRouteTables: [{host: other.example.com}]
`), gatewayTable("split", "[shop.example.com]", "{port: 443}")},
			want: []string{"MR2010 /spec/http/0/matchers/0/port"},
		},
		{
			name: "named targetPort refuses the listener; no MR2017 for the table relying on it",
			docs: []string{namedTarget, vgDoc("edge", `  workloads: [{selector: {labels: {istio: edge}}}]
  listeners:
  - port: {number: 80}
    http: {}
    allowedRouteTables: [{host: other.example.com}]
  - port: {number: 8000}
    http: {}
    allowedRouteTables: [{host: shop.example.com}]
`), gatewayTable("edge", "[shop.example.com]", "")},
			want: []string{"MR2010 /spec/listeners/1/port"},
		},
		{
			name: "listener conflict reported once, not per cluster; no MR2017 after it",
			docs: []string{gwPerCluster, vgDoc("dup", `  workloads: [{selector: {labels: {istio: dup}}}]
  listeners:
  - port: {number: 80}
    http: {}
    allowedRouteTables: [{host: other.example.com}]
  - port: {number: 80}
    http: {}
    allowedRouteTables: [{host: other.example.com}, {host: shop.example.com}]
`), gatewayTable("dup", "[shop.example.com]", "")},
			want: []string{"MR3010 /spec/listeners/1/port"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ds := build(t, tt.docs...)
			got := append(found(ds), recorded(m)...)
			if strings.Join(got, "; ") != strings.Join(tt.want, "; ") {
				t.Fatalf("findings %q, want %q\n%v", got, tt.want, ds)
			}
			if tt.msg != "" && !strings.Contains(ds[0].Message, tt.msg) {
				t.Errorf("message %q does not mention %q", ds[0].Message, tt.msg)
			}
		})
	}
}

// MR2017's hint shows each allowedRouteTables selector as written (not only that there is one),
// so the user sees why the table is left out.
func TestAllowedListShowsSelector(t *testing.T) {
	vg := &schema.VirtualGateway{}
	vg.Spec.Listeners = []schema.Listener{
		{Port: schema.PortSelector{Number: 80}, AllowedRouteTables: []schema.RouteTableFilter{
			{Host: "shop.example.com", Selector: &schema.ObjectSelector{Namespace: "platform", Labels: map[string]string{"team": "web", "env": "prod"}}},
			{Host: "*.example.com", Selector: &schema.ObjectSelector{}},
			{Host: "api.example.com"},
		}},
	}
	want := "listener 0 (port 80): shop.example.com (selector namespace: platform, labels: {env=prod, team=web}), *.example.com (selector {}: any table), api.example.com"
	if got := allowedList(vg); got != want {
		t.Errorf("allowedList =\n%s\nwant\n%s", got, want)
	}
}
