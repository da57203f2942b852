package envoy

import (
	"path"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	tlsv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/transport_sockets/tls/v3"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/naming"
)

// Certificate files, named like the keys of a Kubernetes TLS Secret so that mounting the Secret
// named by a listener's secretName at <CertDir>/<secretName> needs no renaming.
const (
	certFile = "tls.crt"
	keyFile  = "tls.key"
	caFile   = "ca.crt"
)

// istioCertDir is the folder under CertDir holding an Istio workload certificate, with the file
// names Istio uses for file-mounted certificates. It serves ISTIO_MUTUAL listeners and the mTLS
// to other clusters' east-west gateways.
const (
	istioCertDir   = "istio"
	istioCertChain = "cert-chain.pem"
	istioKey       = "key.pem"
	istioRootCert  = "root-cert.pem"
)

// downstreamTLS terminates TLS for a listener: SIMPLE serves the credential's certificate;
// MUTUAL also requires a client certificate signed by its ca.crt, OPTIONAL_MUTUAL verifies one
// when offered; ISTIO_MUTUAL uses the Istio workload certificate.
func (e *emitter) downstreamTLS(t *model.TLS) *corev3.TransportSocket {
	dir := path.Join(e.opts.CertDir, t.CredentialName)
	cert, key, ca := path.Join(dir, certFile), path.Join(dir, keyFile), path.Join(dir, caFile)
	if t.Mode == "ISTIO_MUTUAL" {
		dir = path.Join(e.opts.CertDir, istioCertDir)
		cert, key, ca = path.Join(dir, istioCertChain), path.Join(dir, istioKey), path.Join(dir, istioRootCert)
	}
	ctx := &tlsv3.DownstreamTlsContext{CommonTlsContext: &tlsv3.CommonTlsContext{
		TlsCertificates: []*tlsv3.TlsCertificate{{CertificateChain: file(cert), PrivateKey: file(key)}},
		// What Istio gateways offer: HTTP/2 first, HTTP/1.1 otherwise.
		AlpnProtocols: []string{"h2", "http/1.1"},
	}}
	switch t.Mode {
	case "MUTUAL", "ISTIO_MUTUAL":
		ctx.RequireClientCertificate = wrapperspb.Bool(true)
		ctx.CommonTlsContext.ValidationContextType = validation(ca)
	case "OPTIONAL_MUTUAL":
		ctx.CommonTlsContext.ValidationContextType = validation(ca)
	}
	return &corev3.TransportSocket{Name: tlsSocketName, ConfigType: &corev3.TransportSocket_TypedConfig{TypedConfig: toAny(ctx)}}
}

// istioMTLS is the client side of Istio mTLS to another cluster's east-west gateway, which
// passes the connection through to a backing pod chosen by the SNI Istio derives from the
// destination (outbound_.<port>_.<subset>_.<host>).
func (e *emitter) istioMTLS(d *model.Destination) *corev3.TransportSocket {
	dir := path.Join(e.opts.CertDir, istioCertDir)
	ctx := &tlsv3.UpstreamTlsContext{
		Sni: naming.EnvoySNI(d.Port, d.Subset, d.Host),
		CommonTlsContext: &tlsv3.CommonTlsContext{
			TlsCertificates:       []*tlsv3.TlsCertificate{{CertificateChain: file(path.Join(dir, istioCertChain)), PrivateKey: file(path.Join(dir, istioKey))}},
			ValidationContextType: validation(path.Join(dir, istioRootCert)),
		},
	}
	return &corev3.TransportSocket{Name: tlsSocketName, ConfigType: &corev3.TransportSocket_TypedConfig{TypedConfig: toAny(ctx)}}
}

func validation(ca string) *tlsv3.CommonTlsContext_ValidationContext {
	return &tlsv3.CommonTlsContext_ValidationContext{ValidationContext: &tlsv3.CertificateValidationContext{TrustedCa: file(ca)}}
}

func file(p string) *corev3.DataSource {
	return &corev3.DataSource{Specifier: &corev3.DataSource_Filename{Filename: p}}
}
