package schema

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/meshroute/meshroute/diag"
	_ "github.com/meshroute/meshroute/internal/goldentest" // the -update flag
)

// loadString loads one file held in memory and returns its diagnostics.
func loadString(t *testing.T, content string) []diag.Diagnostic {
	t.Helper()
	fsys := fstest.MapFS{"in.yaml": {Data: []byte(content)}}
	_, ds, err := (&Loader{FS: fsys}).Load([]Input{{Path: "in.yaml"}})
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	return ds
}

const rtHead = "apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata:\n  name: rt\n  namespace: ns\nspec:\n"

// route is a RouteTable whose only route has the given body, indented under "  - name: r\n"
// (route fields start on line 9, column 5).
func route(body string) string {
	return rtHead + "  hosts: [www.example.com]\n  http:\n  - name: r\n" + indent(body, "    ")
}

func indent(s, by string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return by + strings.Join(lines, "\n"+by) + "\n"
}

const fwd = "forwardTo:\n  destinations:\n  - ref: {name: app}\n    port: {number: 80}\n"

type want struct {
	code      string
	line, col int
	text      string // a part of the message or hint
}

func TestSchemaRules(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		want      []want // empty: the document is valid
	}{
		{"valid route", route(fwd), nil},
		{"annotation keys", rtHead + "  hosts: [a.com]\n  virtualServiceAnnotations:\n    example.com/ok: a\n    bad key: b\n  http: [{directResponse: {status: 200}}]\n",
			[]want{{"MR1003", 10, 5, `spec.virtualServiceAnnotations["bad key"]: key "bad key" is not a valid annotation key`}}},
		{"matcher typo", route("matcher:\n- uri: {prefix: /}\n" + fwd), []want{{"MR1001", 10, 5, "did you mean `matchers`?"}}},
		{"unknown field lists allowed", route("colour: red\n" + fwd), []want{{"MR1001", 10, 5, "allowed fields here: delegate, directResponse"}}},
		{"action typo is one problem", route("forwardto:\n  destinations: []\n"), []want{{"MR1001", 10, 5, "did you mean `forwardTo`?"}}},
		{"snake_case proto name", route("forward_to:\n  destinations: []\n"), []want{{"MR1001", 10, 5, "did you mean `forwardTo`?"}}},
		{"no action", route("matchers: [{uri: {prefix: /}}]\n"), []want{{"MR1003", 9, 5, "a route needs exactly one action: set one of forwardTo, delegate, redirect, directResponse or graphql"}}},
		{"two actions", route(fwd + "directResponse: {status: 200}\n"), []want{{"MR1003", 14, 5, "but it sets forwardTo and directResponse"}}},
		{"status above max", route("directResponse:\n  status: 700\n"), []want{{"MR1003", 11, 15, "spec.http[0].directResponse.status: 700 is above the maximum 599"}}},
		{"status below min", route("directResponse: {status: 100}\n"), []want{{"MR1003", 10, 30, "below the minimum 200"}}},
		{"status missing", route("directResponse: {body: hi}\n"), []want{{"MR1003", 10, 5, "directResponse: status is required"}}},
		{"status misspelt", route("directResponse: {stauts: 200}\n"), []want{{"MR1001", 10, 22, "did you mean `status`?"}}},
		{"status as string", route("directResponse: {status: ok}\n"), []want{{"MR1003", 10, 30, "must be an integer, not a string"}}},
		{"redirect enum", route("redirect: {hostRedirect: a.example.com, responseCode: FOUNDD}\n"), []want{{"MR1003", 10, 59, "did you mean `FOUND`?"}}},
		{"redirect needs target", route("redirect: {responseCode: FOUND}\n"), []want{{"MR1003", 10, 5, "a redirect needs hostRedirect, pathRedirect or both"}}},
		{"redirect path only", route("redirect: {pathRedirect: /new}\n"), nil},
		{"action empty", route("forwardTo:\n"), []want{{"MR1003", 10, 5, "forwardTo is empty (null): a route needs exactly one action"}}},
		{"action wrong type", route("redirect: elsewhere\n"), []want{{"MR1003", 10, 15, "must be a mapping, not a string"}}},
		{"two rewrites", route(fwd + "  pathRewrite: /a\n  regexRewrite: {pattern: {regex: a}, substitution: b}\n"), []want{{"MR1003", 15, 7, "pathRewrite and regexRewrite cannot be set together"}}},
		{"two host rewrites", route(fwd + "  hostRewrite: a.example.com\n  autoHostRewrite: true\n"), []want{{"MR1003", 15, 7, "hostRewrite and autoHostRewrite"}}},
		{"port number and name", route("forwardTo:\n  destinations:\n  - ref: {name: app}\n    port: {number: 80, name: http}\n"), []want{{"MR1003", 13, 28, "exactly one of number or name"}}},
		{"port out of range", route("forwardTo:\n  destinations:\n  - ref: {name: app}\n    port: {number: 70000}\n"), []want{{"MR1003", 13, 24, "70000 is above the maximum 65535"}}},
		{"port zero", route("forwardTo:\n  destinations:\n  - ref: {name: app}\n    port: {number: 0}\n"), []want{{"MR1003", 13, 24, "below the minimum 1"}}},
		{"negative weight", route("forwardTo:\n  destinations:\n  - ref: {name: app}\n    weight: -1\n"), []want{{"MR1003", 13, 17, "-1 is below the minimum 0"}}},
		{"destination kind", route("forwardTo:\n  destinations:\n  - ref: {name: app}\n    kind: VIRTUALDESTINATION\n"), []want{{"MR1003", 13, 15, "did you mean `VIRTUAL_DESTINATION`?"}}},
		{"destination needs ref", route("forwardTo:\n  destinations:\n  - port: {number: 80}\n"), []want{{"MR1003", 12, 9, "exactly one of ref or awsLambda"}}},
		{"uri two matches", route("matchers:\n- uri: {prefix: /a, exact: /a}\n" + fwd), []want{{"MR1003", 11, 25, "sets exact and prefix"}}},
		{"uri no match", route("matchers:\n- uri: {ignoreCase: true}\n" + fwd), []want{{"MR1003", 11, 7, "set one of exact, prefix, regex or suffix"}}},
		{"header needs name", route("matchers:\n- headers: [{value: x}]\n" + fwd), []want{{"MR1003", 11, 17, "name is required"}}},
		{"sort method", route("delegate: {sortMethod: WEIGHT}\n"), []want{{"MR1003", 10, 28, "not one of TABLE_WEIGHT, ROUTE_SPECIFICITY"}}},
		{"host wildcard inside", rtHead + "  hosts: [bar.*.com]\n  http: [{directResponse: {status: 200}}]\n", []want{{"MR1003", 7, 11, `"bar.*.com" is not a valid host`}}},
		{"host wildcard prefix", rtHead + "  hosts: ['*', '*.a.com', '*-b.a.com']\n  http: [{directResponse: {status: 200}}]\n", nil},
		{"host numeric tld", rtHead + "  hosts: [10.0.0.1]\n  http: [{directResponse: {status: 200}}]\n", []want{{"MR1003", 7, 11, "not a valid host"}}},
		{"no routes", rtHead + "  hosts: [a.com]\n", []want{{"MR1003", 6, 1, "a RouteTable needs routes"}}},
		{"gateways on a child", rtHead + "  virtualGateways: [{name: gw}]\n  http: [{directResponse: {status: 200}}]\n", []want{{"MR1003", 7, 3, "virtualGateways needs hosts to be set"}}},
		{"mesh selector kind", rtHead + "  hosts: [a.com]\n  workloadSelectors: [{kind: VM}]\n  http: [{directResponse: {status: 200}}]\n", []want{{"MR1003", 8, 30, "not one of KUBE"}}},
		{"spec missing", "apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata: {name: rt}\n", []want{{"MR1003", 1, 1, "the RouteTable: spec is required"}}},
		{"specs typo", "apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata: {name: rt}\nspecs: {}\n", []want{{"MR1001", 4, 1, "did you mean `spec`?"}}},
		{"name required", "apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata: {namespace: x}\nspec: {http: []}\n", []want{{"MR1003", 3, 1, "metadata: name is required"}}},
		{"name not DNS", "apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata: {name: My_Table}\nspec: {http: []}\n", []want{{"MR1003", 3, 18, "DNS-1123 subdomain"}}},
		{"label not a string", "apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata:\n  name: rt\n  labels: {version: 1}\nspec: {http: []}\n", []want{{"MR1003", 5, 21, "metadata.labels.version: must be a string, not a number"}}},
		{"annotation path quoted", "apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata:\n  name: rt\n  annotations: {meshroute.dev/suppress: [x]}\nspec: {http: []}\n", []want{{"MR1003", 5, 41, `metadata.annotations["meshroute.dev/suppress"]: must be a string`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkDiags(t, loadString(t, tc.doc), tc.want)
		})
	}
}

func checkDiags(t *testing.T, got []diag.Diagnostic, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d diagnostics, want %d:\n%s", len(got), len(wants), dump(got))
	}
	for i, w := range wants {
		d := got[i]
		if d.Code != w.code || d.Pos.Line != w.line || d.Pos.Col != w.col || !strings.Contains(d.Message+" | "+d.Hint, w.text) {
			t.Errorf("got %s\nwant %s at %d:%d containing %q", dump(got[i:i+1]), w.code, w.line, w.col, w.text)
		}
	}
}

func dump(ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "  %v\n", d)
	}
	return b.String()
}

func TestSchemaRulesOtherKinds(t *testing.T) {
	const vg = "apiVersion: networking.gloo.solo.io/v2\nkind: VirtualGateway\nmetadata: {name: gw, namespace: ns}\nspec:\n  listeners:\n"
	const vd = "apiVersion: networking.gloo.solo.io/v2\nkind: VirtualDestination\nmetadata: {name: vd, namespace: ns}\nspec:\n"
	const cl = "apiVersion: meshroute.dev/v1alpha1\nkind: Cluster\nmetadata: {name: c1}\n"
	const svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: app\n  annotations: {meshroute.dev/cluster: c1}\nspec:\n"
	for _, tc := range []struct {
		name, doc string
		want      []want
	}{
		{"listener ok", vg + "  - port: {number: 443}\n    http: {}\n    tls: {secretName: cert, mode: SIMPLE}\n    allowedRouteTables: [{host: 'prod/*.example.com'}, {host: '*'}]\n", nil},
		{"listener port required", vg + "  - http: {}\n", []want{{"MR1003", 6, 5, "port is required"}}},
		{"listener needs a port choice", vg + "  - port: {}\n    http: {}\n", []want{{"MR1003", 6, 5, "exactly one of number or name: set one of number or name"}}},
		{"tls and redirect", vg + "  - port: {number: 80}\n    http: {}\n    tls: {secretName: c}\n    httpsRedirect: true\n", []want{{"MR1003", 9, 5, "tls and httpsRedirect cannot be set together"}}},
		{"redirect needs http", vg + "  - port: {number: 80}\n    httpsRedirect: true\n", []want{{"MR1003", 7, 5, "httpsRedirect needs http to be set"}}},
		{"tls mode", vg + "  - port: {number: 443}\n    http: {}\n    tls: {mode: simple}\n", []want{{"MR1003", 8, 17, "did you mean `SIMPLE`?"}}},
		{"app protocol", vg + "  - port: {number: 443}\n    http: {}\n    appProtocol: https\n", nil},
		{"app protocol bad", vg + "  - port: {number: 443}\n    http: {}\n    appProtocol: QUIC\n", []want{{"MR1003", 8, 18, "must be one of GRPC"}}},
		{"allowed host bad", vg + "  - port: {number: 80}\n    http: {}\n    allowedRouteTables: [{host: 'a/b/c'}]\n", []want{{"MR1003", 8, 33, "is not a valid host"}}},
		{"no listeners", strings.TrimSuffix(vg, "\n") + " []\n", []want{{"MR1003", 5, 14, "needs at least one item"}}},
		{"workload kind", vg + "  - port: {number: 80}\n    http: {}\n  workloads: [{kind: POD}]\n", []want{{"MR1003", 8, 22, "not one of KUBE, VM"}}},
		{"vd ok", vd + "  hosts: [app.global]\n  ports: [{number: 80, protocol: http}]\n  services: [{labels: {app: a}}]\n", nil},
		{"vd wildcard host", vd + "  hosts: ['*.global']\n  ports: [{number: 80, protocol: HTTP}]\n", []want{{"MR1003", 5, 11, "no wildcard"}}},
		{"vd duplicate host", vd + "  hosts: [a.global, a.global]\n  ports: [{number: 80, protocol: HTTP}]\n", []want{{"MR1003", 5, 21, "spec.hosts[1] repeats spec.hosts[0]"}}},
		{"vd protocol required", vd + "  hosts: [a.global]\n  ports: [{number: 80}]\n", []want{{"MR1003", 6, 11, "protocol is required"}}},
		{"vd needs backends", vd + "  ports: [{number: 80, protocol: HTTP}]\n", []want{{"MR1003", 4, 1, "needs hosts or backing services"}}},
		{"cluster ok", cl + "spec:\n  network: n1\n  locality: {region: r, zone: z, subzone: s}\n  eastWestGateway: {address: 10.0.0.1, port: 15443}\n", nil},
		{"cluster typo", cl + "spec:\n  eastWestGateway: {adress: 10.0.0.1}\n", []want{{"MR1001", 5, 21, "did you mean `address`?"}}},
		{"cluster port", cl + "spec:\n  eastWestGateway: {address: 10.0.0.1, port: 0}\n", []want{{"MR1003", 5, 46, "below the minimum 1"}}},
		{"service kubectl", kubectlService, nil},
		{"service target port name", svc + "  ports: [{port: 80, targetPort: http}]\n", nil},
		{"service port required", svc + "  ports: [{targetPort: 8080}]\n", []want{{"MR1003", 7, 11, "port is required"}}},
		{"service name 1035", "apiVersion: v1\nkind: Service\nmetadata: {name: 1app}\n", []want{{"MR1003", 3, 18, "DNS-1035 label"}}},
		{"service type", svc + "  type: Loadbalancer\n", []want{{"MR1003", 7, 9, "did you mean `LoadBalancer`?"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := loadString(t, tc.doc+clusterDoc(tc.doc))
			checkDiags(t, ds, tc.want)
		})
	}
}

// clusterDoc adds a Cluster to Service documents so they are not reported as clusterless.
func clusterDoc(doc string) string {
	if strings.Contains(doc, "kind: Service") {
		return "---\napiVersion: meshroute.dev/v1alpha1\nkind: Cluster\nmetadata: {name: c1}\n"
	}
	return ""
}

// kubectlService is what `kubectl get service -o yaml` prints, server-side fields included.
const kubectlService = `apiVersion: v1
kind: Service
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","kind":"Service"}
  creationTimestamp: "2024-05-01T10:00:00Z"
  finalizers:
  - service.kubernetes.io/load-balancer-cleanup
  generateName: app-
  labels:
    app: app
  managedFields:
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1:
      f:spec:
        f:ports: {}
    manager: kubectl-client-side-apply
    operation: Update
    time: "2024-05-01T10:00:00Z"
  name: app
  namespace: default
  ownerReferences:
  - apiVersion: apps/v1
    kind: Deployment
    name: app
    uid: 0f4ad1e3-0000-4000-8000-000000000001
    controller: true
    blockOwnerDeletion: true
  resourceVersion: "12345"
  uid: 6c1b2d34-0000-4000-8000-000000000002
spec:
  allocateLoadBalancerNodePorts: true
  clusterIP: 10.96.0.12
  clusterIPs:
  - 10.96.0.12
  externalTrafficPolicy: Cluster
  internalTrafficPolicy: Cluster
  ipFamilies:
  - IPv4
  ipFamilyPolicy: SingleStack
  loadBalancerSourceRanges: [10.0.0.0/8]
  ports:
  - name: http
    nodePort: 31080
    port: 80
    protocol: TCP
    targetPort: 8080
  selector:
    app: app
  sessionAffinity: None
  sessionAffinityConfig:
    clientIP:
      timeoutSeconds: 10800
  type: LoadBalancer
status:
  loadBalancer:
    ingress:
    - ip: 172.18.0.50
      ipMode: VIP
`

func TestJSONSchemaRegistry(t *testing.T) {
	kinds := SchemaKinds()
	if strings.Join(kinds[:11], ",") != "VirtualGateway,VirtualDestination,RouteTable,ExternalService,ExternalEndpoint,Cluster,Service,Namespace,Workspace,WorkspaceSettings,Config" || len(kinds) != 11+len(PolicyKinds) {
		t.Fatalf("SchemaKinds() = %v", kinds)
	}
	for _, k := range append(kinds, "routetable", "VIRTUALGATEWAY") {
		b, ok := JSONSchema(k)
		if !ok {
			t.Fatalf("JSONSchema(%q) not found", k)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("JSONSchema(%q): %v", k, err)
		}
		// Self-contained: no reference may leave the document.
		if strings.Contains(string(b), `"common.json#`) {
			t.Errorf("JSONSchema(%q) still refers to common.json", k)
		}
		if doc["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
			t.Errorf("JSONSchema(%q) has $schema %v", k, doc["$schema"])
		}
	}
	if _, ok := JSONSchema("Deployment"); ok {
		t.Error("JSONSchema(Deployment) should not exist")
	}
	a, _ := JSONSchema("RouteTable")
	b, _ := JSONSchema("RouteTable")
	if string(a) != string(b) {
		t.Error("JSONSchema output is not deterministic")
	}
	// The Service schema carries only what it uses, not the Gloo definitions.
	if s, _ := JSONSchema("Service"); strings.Contains(string(s), "HTTPRequestMatcher") {
		t.Error("Service schema includes unused Gloo definitions")
	}
}
