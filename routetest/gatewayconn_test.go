package routetest

import (
	"strings"
	"testing"

	"github.com/meshroute/meshroute/eval"
	"github.com/meshroute/meshroute/pipeline"
)

// TestGatewayConnectionsAgree checks the gateway connections the generated requests leave out,
// on both targets: an http request on a tcp port and a connection without a port are refused
// alike, and a TLS connection to a tcp port is forwarded like a plain one.
func TestGatewayConnectionsAgree(t *testing.T) {
	gw := &eval.GatewayRef{Namespace: "istio-gateways", Service: "istio-ingressgateway"}
	for _, tc := range []struct {
		name    string
		req     eval.Request
		err     string // a part of the error both give; "" = a result
		outcome string
	}{
		{"http on a tcp port", eval.Request{Gateway: gw, Port: 5432, Host: "db.data.example.com"}, "tcp", ""},
		{"tcp without a port", eval.Request{Gateway: gw, Protocol: eval.ProtocolTCP, Host: "db.data.example.com"}, "names the gateway Service port", ""},
		{"tls to a tcp port", eval.Request{Gateway: gw, Protocol: eval.ProtocolTLS, Port: 5432, Host: "db.data.example.com"}, "", eval.Forward},
		{"tls without a routed name", eval.Request{Gateway: gw, Protocol: eval.ProtocolTLS, Port: 443, Host: "x.example.org"}, "", eval.NotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, target := range []string{pipeline.TargetIstio, pipeline.TargetEnvoy} {
				res, err := compileCase(t, target, "testdata/gateway-tcp-tls").Evaluate("cluster-1", tc.req)
				switch {
				case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
					t.Errorf("%s: error %v, want one about %q", target, err, tc.err)
				case tc.err == "" && err != nil:
					t.Errorf("%s: %v", target, err)
				case tc.err == "" && res.Outcome != tc.outcome:
					t.Errorf("%s: outcome %s, want %s (%s)", target, res.Outcome, tc.outcome, res.Reason)
				}
			}
		})
	}
}
