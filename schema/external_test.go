package schema

import (
	"testing"
	"testing/fstest"
)

const externalServiceYAML = `apiVersion: networking.gloo.solo.io/v2
kind: ExternalService
metadata: {name: payments, namespace: apps}
spec:
  hosts: [api.payments.example.com]
  selector: {app: payments}
  subjectAltNames: [api.payments.example.com]
  ports:
  - number: 443
    name: https
    protocol: HTTPS
    targetPort: {number: 8443}
    clientsideTls: {sni: api.payments.example.com, mode: 0}
---
apiVersion: networking.gloo.solo.io/v2
kind: ExternalEndpoint
metadata: {name: payments-1, namespace: apps, labels: {app: payments}}
spec:
  address: 203.0.113.7
  ports: [{name: https, number: 8443}]
`

func TestLoadExternalService(t *testing.T) {
	fsys := fstest.MapFS{"in.yaml": {Data: []byte(externalServiceYAML + "---\n" + clusterYAML)}}
	set, ds, err := (&Loader{FS: fsys}).Load([]Input{{Path: "in.yaml"}})
	if err != nil || len(ds) != 0 {
		t.Fatalf("err %v, diagnostics\n%s", err, dump(ds))
	}
	if len(set.ExternalServices) != 1 || len(set.ExternalEndpoints) != 1 {
		t.Fatalf("got %d ExternalServices, %d ExternalEndpoints", len(set.ExternalServices), len(set.ExternalEndpoints))
	}
	es := set.ExternalServices[0]
	port := es.Spec.Ports[0]
	if port.Number != 443 || port.Protocol != "HTTPS" || port.TargetPort.Number != 8443 ||
		port.ClientsideTLS.Mode != "SIMPLE" || port.ClientsideTLS.SNI != "api.payments.example.com" {
		t.Errorf("port decoded as %+v (tls %+v)", port, port.ClientsideTLS)
	}
	if es.Spec.Selector["app"] != "payments" || es.Spec.SubjectAltNames[0] != "api.payments.example.com" {
		t.Errorf("spec decoded as %+v", es.Spec)
	}
	if got := es.FieldPos("/spec/ports/0/clientsideTls/sni"); got.Line != 13 || got.Col != 21 {
		t.Errorf("sni position = %v, want 13:21", got)
	}
	ee := set.ExternalEndpoints[0].Spec
	if ee.Address != "203.0.113.7" || ee.Ports[0].Name != "https" || ee.Ports[0].Number != 8443 {
		t.Errorf("ExternalEndpoint decoded as %+v", ee)
	}
}

func TestLoadExternalServiceRejects(t *testing.T) {
	for _, tc := range []struct {
		name, doc, code string
		line, col       int // counting the apiVersion line the test prepends
	}{
		{"hosts and addresses", "kind: ExternalService\nmetadata: {name: x, namespace: y}\nspec:\n  hosts: [a.example.com]\n  addresses: [10.0.0.1]\n  ports: [{number: 80, protocol: HTTP}]\n", "MR1003", 6, 3},
		{"no ports", "kind: ExternalService\nmetadata: {name: x, namespace: y}\nspec:\n  hosts: [a.example.com]\n", "MR1003", 4, 1},
		{"bad tls mode", "kind: ExternalService\nmetadata: {name: x, namespace: y}\nspec:\n  hosts: [a.example.com]\n  ports: [{number: 80, protocol: HTTP, clientsideTls: {mode: STRICT}}]\n", "MR1003", 6, 62},
		{"egress port match out of range", "kind: ExternalService\nmetadata: {name: x, namespace: y}\nspec:\n  hosts: [a.example.com]\n  ports:\n  - {number: 80, protocol: HTTP, egressGatewayRoutes: {portMatch: 70000}}\n", "MR1003", 7, 67},
		{"endpoint locality typo", "kind: ExternalEndpoint\nmetadata: {name: x, namespace: y}\nspec:\n  address: 10.0.0.1\n  locality: {regoin: eu}\n", "MR1001", 6, 14},
		{"endpoint without address", "kind: ExternalEndpoint\nmetadata: {name: x, namespace: y}\nspec:\n  ports: [{number: 80}]\n", "MR1003", 4, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := "apiVersion: networking.gloo.solo.io/v2\n" + tc.doc
			fsys := fstest.MapFS{"in.yaml": {Data: []byte(doc + "---\n" + clusterYAML)}}
			_, ds, err := (&Loader{FS: fsys}).Load([]Input{{Path: "in.yaml"}})
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != 1 || ds[0].Code != tc.code || ds[0].Pos.Line != tc.line || ds[0].Pos.Col != tc.col {
				t.Fatalf("got\n%swant one %s at %d:%d", dump(ds), tc.code, tc.line, tc.col)
			}
		})
	}
}
