package compiler

import (
	"slices"
	"strings"
	"testing"
)

// table writes a RouteTable; spec is indented under spec:.
func table(name, spec string) string {
	return "apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata: {name: " + name + ", namespace: app}\nspec:\n" + indent(spec, "  ")
}

// ingress is a root table on www.example.com bound to the north gateway, with the given routes.
func ingress(name, http string) string {
	return table(name, "hosts: [www.example.com]\nvirtualGateways: [{name: north, namespace: gw-ns}]\nhttp:\n"+http)
}

func indent(s, by string) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i := range ls {
		ls[i] = by + ls[i]
	}
	return strings.Join(ls, "\n") + "\n"
}

const vd = `apiVersion: networking.gloo.solo.io/v2
kind: VirtualDestination
metadata: {name: reviews-vd, namespace: app}
spec:
  hosts: [reviews.global]
  ports: [{number: 80, protocol: HTTP, targetPort: {number: 9080}}]
  services: [{labels: {app: reviews}}]
`

// labelledChild is a child table carrying labels, for MR2007's label suggestions.
const labelledChild = `apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata:
  name: child
  namespace: app
  labels: {bookinfo.example.com/expose: 'true', team: reviews}
spec:
  http:
  - directResponse: {status: 200}
`

// TestDiagnostics checks that each input produces its code at the right line (counted in the
// last document), and a hint where one is promised.
func TestDiagnostics(t *testing.T) {
	for _, tc := range []struct {
		name string
		docs []string
		code string
		line int    // in the last document; 0 = not checked
		hint string // substring of the hint
	}{
		{"unknown gateway", []string{table("t", "hosts: [a.com]\nvirtualGateways: [{name: north, namespace: bookinfo}]\nhttp:\n- directResponse: {status: 200}\n")},
			"MR2001", 6, "did you mean gw-ns/north?"},
		{"unknown service", []string{ingress("t", "- forwardTo: {destinations: [{ref: {name: reviewz}}]}\n")},
			"MR2002", 8, "did you mean app/reviews?"},
		{"service only elsewhere", []string{ingress("t", "- forwardTo: {destinations: [{ref: {name: ratings}, port: {number: 9080}}]}\n")},
			"MR2002", 8, "it exists in cluster c1"},
		{"unknown vd", []string{vd, ingress("t", "- forwardTo: {destinations: [{ref: {name: reviews-v}, kind: VIRTUAL_DESTINATION}]}\n")},
			"MR2002", 8, "did you mean app/reviews-vd?"},
		{"unknown port", []string{ingress("t", "- forwardTo: {destinations: [{ref: {name: reviews}, port: {number: 1}}]}\n")},
			"MR2003", 8, "9080"},
		{"ambiguous port", []string{ingress("t", "- forwardTo: {destinations: [{ref: {name: ratings, cluster: c1}}]}\n")},
			"MR2004", 8, "9090"},
		{"subset contradicts selector", []string{ingress("t", "- forwardTo: {destinations: [{ref: {name: reviews}, subset: {app: other}}]}\n")},
			"MR2005", 8, ""},
		{"subset on vd", []string{vd, ingress("t", "- forwardTo: {destinations: [{ref: {name: reviews-vd}, kind: VIRTUAL_DESTINATION, subset: {v: a}}]}\n")},
			"MR2006", 8, ""},
		{"delegate selects nothing", []string{ingress("t", "- delegate: {routeTables: [{name: chld}]}\n"), table("child", "http:\n- directResponse: {status: 200}\n")},
			"MR2007", 0, "did you mean app/child?"},
		{"delegate label key typo", []string{ingress("t", "- delegate: {routeTables: [{labels: {bookinfo.example.com/exposed: 'true'}}]}\n"), labelledChild},
			"MR2007", 0, "did you mean labels {bookinfo.example.com/expose=true}? they select RouteTable app/child"},
		{"delegate label value typo", []string{ingress("t", "- delegate: {routeTables: [{labels: {team: reveiws}}]}\n"), labelledChild},
			"MR2007", 0, "did you mean labels {team=reviews}? they select RouteTable app/child"},
		{"delegate labels nothing close", []string{ingress("t", "- delegate: {routeTables: [{labels: {owner: x}}]}\n"), labelledChild},
			"MR2007", 0, "label keys on child RouteTables: bookinfo.example.com/expose, team"},
		{"delegate selects root", []string{table("other", "hosts: [b.com]\nhttp:\n- directResponse: {status: 200}\n"), ingress("t", "- delegate: {routeTables: [{name: other}]}\n")},
			"MR2008", 8, ""},
		{"no gateway service", []string{"apiVersion: networking.gloo.solo.io/v2\nkind: VirtualGateway\nmetadata: {name: east, namespace: gw-ns}\nspec:\n  workloads: [{selector: {labels: {istio: eastwest}}}]\n  listeners: [{port: {number: 80}, http: {}}]\n"},
			"MR2009", 5, "gw-ns/gw"},
		{"listener port not on service", []string{"apiVersion: networking.gloo.solo.io/v2\nkind: VirtualGateway\nmetadata: {name: east, namespace: gw-ns}\nspec:\n  listeners: [{port: {number: 81}, http: {}}]\n"},
			"MR2010", 5, "80 (http2)"},
		{"matcher port not a listener", []string{ingress("t", "- matchers: [{port: 443}]\n  directResponse: {status: 200}\n")},
			"MR2010", 8, "80"},
		{"vd selects nothing", []string{strings.Replace(vd, "app: reviews", "app: nope", 1)},
			"MR2011", 7, ""},
		{"vd target port", []string{strings.Replace(vd, "number: 9080", "number: 9999", 1)},
			"MR2012", 6, ""},
		{"delegation cycle", []string{ingress("t", "- delegate: {routeTables: [{name: c1}]}\n"),
			table("c1", "http:\n- delegate: {routeTables: [{name: c2}]}\n"), table("c2", "http:\n- delegate: {routeTables: [{name: c1}]}\n")},
			"MR3006", 6, ""},
		{"matcher contradiction", []string{ingress("t", "- matchers: [{method: GET}]\n  delegate: {routeTables: [{name: c}]}\n"),
			table("c", "http:\n- matchers: [{method: POST}]\n  directResponse: {status: 200}\n")},
			"MR3007", 6, ""},
		{"vd host collision", []string{vd, strings.Replace(vd, "reviews-vd", "reviews-vd2", 1)},
			"MR3009", 5, ""},
		{"duplicate route name", []string{ingress("t", "- name: x\n  directResponse: {status: 200}\n- name: x\n  directResponse: {status: 201}\n")},
			"MR3011", 10, ""},
		{"overlapping hosts", []string{table("t", "hosts: ['*.example.com', a.example.com]\nvirtualGateways: [{name: north, namespace: gw-ns}]\nhttp:\n- directResponse: {status: 200}\n")},
			"MR3012", 5, ""},
		{"weights", []string{ingress("t", "- forwardTo: {destinations: [{ref: {name: reviews}, weight: 100}, {ref: {name: reviews}, subset: {v: b}}]}\n")},
			"MR4001", 8, ""},
		{"weight 0 is unset, so 100 leaves nothing", []string{ingress("t", "- forwardTo: {destinations: [{ref: {name: reviews}, weight: 100}, {ref: {name: reviews}, subset: {v: b}, weight: 0}]}\n")},
			"MR4001", 8, "(no weight, or 0)"},
		{"weights scaled", []string{ingress("t", "- forwardTo: {destinations: [{ref: {name: reviews}, weight: 90}, {ref: {name: reviews}, subset: {v: b}, weight: 5}]}\n")},
			"MR4015", 8, "suppress MR4015"},
		{"several backing services", []string{vd, "apiVersion: v1\nkind: Service\nmetadata: {name: reviews2, namespace: app, labels: {app: reviews}, annotations: {meshroute.dev/cluster: c1}}\nspec: {selector: {app: r2}, ports: [{port: 9080}]}\n"},
			"MR4002", 0, ""},
		{"no destinations", []string{ingress("t", "- forwardTo: {}\n")},
			"MR4005", 8, ""},
		{"empty root", []string{ingress("t", "- delegate: {routeTables: [{name: c}]}\n"), table("c", "http: []\n")},
			"MR4006", 0, ""},
		{"wildcard on mesh", []string{table("t", "hosts: ['*']\nhttp:\n- directResponse: {status: 200}\n")},
			"MR4007", 5, ""},
		{"passthrough on http", []string{"apiVersion: networking.gloo.solo.io/v2\nkind: VirtualGateway\nmetadata: {name: east, namespace: gw-ns}\nspec:\n  listeners: [{port: {number: 443}, http: {}, tls: {mode: PASSTHROUGH}}]\n"},
			"MR4008", 5, ""},
		{"multi-host tcp vd", []string{strings.Replace(strings.Replace(vd, "[reviews.global]", "[a.global, b.global]", 1), "HTTP", "TCP", 1)},
			"MR4009", 6, ""},
		{"delegating exact", []string{ingress("t", "- matchers: [{uri: {exact: /x}}]\n  delegate: {routeTables: [{name: c}]}\n"), table("c", "http:\n- directResponse: {status: 200}\n")},
			"MR4010", 0, ""},
		{"auto host rewrite with several destinations", []string{ingress("t", "- forwardTo: {autoHostRewrite: true, destinations: [{ref: {name: reviews}}, {ref: {name: reviews}, subset: {v: b}}]}\n")},
			"MR1006", 8, ""},
		{"tcp listener terminating tls", []string{"apiVersion: networking.gloo.solo.io/v2\nkind: VirtualGateway\nmetadata: {name: east, namespace: gw-ns}\nspec:\n  listeners: [{port: {number: 443}, tcp: {}, tls: {mode: SIMPLE, secretName: c}}]\n"},
			"MR1006", 5, "use PASSTHROUGH"},
		{"east-west not ip", []string{vd, "apiVersion: meshroute.dev/v1alpha1\nkind: Cluster\nmetadata: {name: c3}\nspec: {eastWestGateway: {address: ew.example.com}}\n",
			"apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: app, labels: {app: reviews}, annotations: {meshroute.dev/cluster: c3}}\nspec: {selector: {app: reviews}, ports: [{port: 9080}]}\n"},
			"MR2014", 0, ""},
		{"missing east-west", []string{vd, "apiVersion: meshroute.dev/v1alpha1\nkind: Cluster\nmetadata: {name: c3}\nspec: {}\n",
			"apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: app, labels: {app: reviews}, annotations: {meshroute.dev/cluster: c3}}\nspec: {selector: {app: reviews}, ports: [{port: 9080}]}\n"},
			"MR2016", 0, ""},
		{"name collision", []string{vd, strings.Replace(strings.Replace(vd, "reviews-vd", "reviews-vd2", 1), "[reviews.global]", "[reviews-global]", 1)},
			"MR3008", 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ds := build(t, tc.docs...)
			last := "in/" + string(rune('a'+len(tc.docs)-1)) + ".yaml"
			for _, d := range ds {
				if d.Code != tc.code {
					continue
				}
				if tc.line != 0 && (d.Pos.File != last || d.Pos.Line != tc.line) {
					continue
				}
				if !strings.Contains(d.Hint, tc.hint) {
					t.Errorf("hint %q does not contain %q", d.Hint, tc.hint)
				}
				if d.Object.Kind == "" {
					t.Errorf("diagnostic names no object: %v", d)
				}
				return
			}
			t.Errorf("no %s at %d; got %v", tc.code, tc.line, ds)
		})
	}
}

// A clean input produces no warning or error.
func TestNoDiagnostics(t *testing.T) {
	_, ds := build(t, vd, ingress("t", "- forwardTo: {destinations: [{ref: {name: reviews-vd}, kind: VIRTUAL_DESTINATION}]}\n"))
	noErrors(t, ds)
	if c := codes(ds); slices.Contains(c, "MR2002") {
		t.Errorf("codes %v", c)
	}
}

// Actions are checked even when the table binds nowhere (here: a gateway in no cluster).
func TestUnboundTableChecked(t *testing.T) {
	rt := table("t", "hosts: [a.com]\nvirtualGateways: [{name: east, namespace: gw-ns}]\nhttp:\n- forwardTo: {}\n")
	vg := "apiVersion: networking.gloo.solo.io/v2\nkind: VirtualGateway\nmetadata: {name: east, namespace: gw-ns}\nspec:\n  workloads: [{selector: {labels: {istio: none}}}]\n  listeners: [{port: {number: 80}, http: {}}]\n"
	_, ds := build(t, vg, rt)
	if c := codes(ds); !slices.Contains(c, "MR4005") || !slices.Contains(c, "MR2009") {
		t.Errorf("codes %v, want MR2009 and MR4005", c)
	}
}
