package conformance

import (
	"strings"
	"testing"
)

// TestValidateDocument proves the check can fail: each bad manifest is one Istio or the API
// server would refuse.
func TestValidateDocument(t *testing.T) {
	const vsHead = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: routetable-shop-shop
  namespace: shop
  labels:
    app.kubernetes.io/managed-by: meshroute
`
	tests := []struct {
		name    string
		doc     string
		wantErr string // empty: accepted
	}{
		{
			name: "valid VirtualService",
			doc: vsHead + `spec:
  hosts: [shop.example.com]
  http:
  - name: r
    route:
    - destination: {host: shop.shop.svc.cluster.local, port: {number: 8080}}
`,
		},
		{
			name: "route and redirect on one HTTP route",
			doc: vsHead + `spec:
  hosts: [shop.example.com]
  http:
  - route:
    - destination: {host: shop.shop.svc.cluster.local}
    redirect: {uri: /x}
`,
			wantErr: "cannot contain both route and redirect",
		},
		{
			name: "wildcard host on a mesh VirtualService",
			doc: vsHead + `spec:
  hosts: ["*"]
  gateways: [mesh]
  http:
  - route:
    - destination: {host: shop.shop.svc.cluster.local}
`,
			wantErr: "rejected by Istio",
		},
		{
			name: "unknown spec field",
			doc: vsHead + `spec:
  hosts: [shop.example.com]
  htttp: []
`,
			wantErr: "does not decode strictly",
		},
		{
			name: "name not a DNS subdomain",
			doc: strings.Replace(vsHead, "routetable-shop-shop", "RouteTable_Shop", 1) + `spec:
  hosts: [shop.example.com]
  http:
  - route:
    - destination: {host: shop.shop.svc.cluster.local}
`,
			wantErr: "metadata.name",
		},
		{
			name: "label value too long",
			doc: strings.Replace(vsHead, "meshroute\n", strings.Repeat("m", 64)+"\n", 1) + `spec:
  hosts: [shop.example.com]
  http:
  - route:
    - destination: {host: shop.shop.svc.cluster.local}
`,
			wantErr: "label app.kubernetes.io/managed-by value",
		},
		{
			name: "not an Istio configuration kind",
			doc: `apiVersion: networking.istio.io/v1
kind: Deployment
metadata: {name: x, namespace: y}
spec: {}
`,
			wantErr: "not an Istio configuration kind",
		},
		{
			name: "other API groups are left alone",
			doc: `apiVersion: apps/v1
kind: Deployment
metadata: {name: x, namespace: y}
spec: {}
`,
			wantErr: "not an Istio object",
		},
		{
			name: "ServiceEntry with both endpoints and workloadSelector",
			doc: `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: vd-a, namespace: a}
spec:
  hosts: [a.mesh.internal]
  addresses: [240.241.0.1]
  ports: [{number: 80, name: http-80, protocol: HTTP}]
  location: MESH_INTERNAL
  resolution: STATIC
  workloadSelector: {labels: {app: a}}
  endpoints: [{address: 172.18.0.20}]
`,
			wantErr: "rejected by Istio",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ValidateDocument([]byte(tt.doc))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("rejected: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Errorf("accepted, want an error containing %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
		})
	}
}
