package compiler

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/compiler/model"
)

// The CEL rules of Gloo's VirtualGateway CRD about tls, and the settings that cannot take
// effect, as diagnostics; what is kept reaches the model.
func TestListenerTLS(t *testing.T) {
	for _, tc := range []struct {
		name, tls string
		want      []string // code and message fragment, in report order
		model     *model.TLS
	}{
		{"secret", "{secretName: c}", nil, &model.TLS{Mode: "SIMPLE", CredentialName: "c"}},
		{"files", "{files: {serverCert: /c.pem, privateKey: /k.pem}}", nil,
			&model.TLS{Mode: "SIMPLE", ServerCertificate: "/c.pem", PrivateKey: "/k.pem"}},
		{"no certificate", "{mode: SIMPLE}", []string{"MR4019 set secretName, or files with serverCert, privateKey"}, nil},
		{"mutual files without ca", "{mode: MUTUAL, files: {serverCert: /c.pem, privateKey: /k.pem}}", []string{"MR4019 files lacks caCerts"}, nil},
		{"istio mutual with secret", "{mode: ISTIO_MUTUAL, secretName: c}", []string{"MR4019 secretName must not be set"}, nil},
		{"istio mutual with files", "{mode: ISTIO_MUTUAL, files: {caCerts: /ca.pem}}", []string{"MR4019 files must not be set"}, nil},
		{"istio mutual names", "{mode: ISTIO_MUTUAL, verifySubjectAltName: [spiffe://td/ns/a/sa/b]}", nil,
			&model.TLS{Mode: "ISTIO_MUTUAL", SubjectAltNames: []string{"spiffe://td/ns/a/sa/b"}}},
		{"names need client certificates", "{secretName: c, verifySubjectAltName: [a.example.com]}", []string{"MR4021 verifySubjectAltName has no effect"},
			&model.TLS{Mode: "SIMPLE", CredentialName: "c"}},
		{"ca needs client certificates", "{files: {serverCert: /c.pem, privateKey: /k.pem, caCerts: /ca.pem}}", []string{"MR4021 files.caCerts has no effect"},
			&model.TLS{Mode: "SIMPLE", ServerCertificate: "/c.pem", PrivateKey: "/k.pem"}},
		{"version range", "{secretName: c, parameters: {minimumProtocolVersion: TLSv1_3, maximumProtocolVersion: 3}}", []string{"MR4020 TLSv1_3 is above maximumProtocolVersion TLSv1_2"}, nil},
		{"auto bounds", "{secretName: c, parameters: {minimumProtocolVersion: TLS_AUTO, maximumProtocolVersion: TLSv1_2}}", nil,
			&model.TLS{Mode: "SIMPLE", CredentialName: "c", MaxVersion: "TLSv1_2"}},
		{"old versions need suites", "{secretName: c, parameters: {minimumProtocolVersion: TLSv1_1}}", []string{"MR4020 TLSv1_1 needs cipherSuites"}, nil},
		{"suites ignored with 1.3", "{secretName: c, parameters: {minimumProtocolVersion: TLSv1_3, cipherSuites: [AES128-SHA]}}", []string{"MR4021 cipherSuites has no effect"},
			&model.TLS{Mode: "SIMPLE", CredentialName: "c", MinVersion: "TLSv1_3"}},
		{"unknown and repeated suites", "{secretName: c, parameters: {cipherSuites: [AES128-SHA, AES128-SHA256, AES128-SHA]}}", []string{"MR4021 cipher suite AES128-SHA256 has no effect"},
			&model.TLS{Mode: "SIMPLE", CredentialName: "c", CipherSuites: []string{"AES128-SHA"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, ds := build(t, `apiVersion: networking.gloo.solo.io/v2
kind: VirtualGateway
metadata: {name: edge, namespace: gw-ns}
spec:
  listeners:
  - port: {number: 443}
    http: {}
    tls: `+tc.tls+"\n")
			if len(ds) != len(tc.want) {
				t.Fatalf("got %d diagnostics, want %d: %v", len(ds), len(tc.want), ds)
			}
			for i, d := range ds {
				code, fragment, _ := strings.Cut(tc.want[i], " ")
				if d.Code != code || !strings.Contains(d.Message, fragment) {
					t.Errorf("diagnostic %d = %s %q, want %s with %q", i, d.Code, d.Message, code, fragment)
				}
			}
			var gotTLS *model.TLS
			for _, g := range m.Clusters[0].Gateways {
				if g.Origin.Name == "edge" {
					gotTLS = g.Listeners[0].TLS
				}
			}
			if diff := cmp.Diff(tc.model, gotTLS); diff != "" {
				t.Errorf("model (-want +got):\n%s", diff)
			}
		})
	}
}
