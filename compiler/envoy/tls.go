package envoy

import (
	"net"
	"path"
	"strings"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	tlsv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/transport_sockets/tls/v3"
	matcherv3 "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
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

// downstreamTLS terminates TLS for a listener: SIMPLE serves the certificate (the credential's
// folder, or the listener's own files); MUTUAL also requires a client certificate signed by
// the credential's ca.crt (or files.caCerts); ISTIO_MUTUAL uses the Istio workload certificate.
// verifySubjectAltName narrows the accepted client certificates, tls.parameters the versions
// and cipher suites.
func (e *emitter) downstreamTLS(t *model.TLS) *corev3.TransportSocket {
	dir := path.Join(e.opts.CertDir, t.CredentialName)
	cert, key, ca := path.Join(dir, certFile), path.Join(dir, keyFile), path.Join(dir, caFile)
	switch {
	case t.Mode == "ISTIO_MUTUAL":
		dir = path.Join(e.opts.CertDir, istioCertDir)
		cert, key, ca = path.Join(dir, istioCertChain), path.Join(dir, istioKey), path.Join(dir, istioRootCert)
	case t.CredentialName == "":
		cert, key, ca = t.ServerCertificate, t.PrivateKey, t.CACertificates
	}
	ctx := &tlsv3.DownstreamTlsContext{CommonTlsContext: &tlsv3.CommonTlsContext{
		TlsCertificates: []*tlsv3.TlsCertificate{{CertificateChain: file(cert), PrivateKey: file(key)}},
		TlsParams:       tlsParams(t),
		// What Istio gateways offer: HTTP/2 first, HTTP/1.1 otherwise.
		AlpnProtocols: []string{"h2", "http/1.1"},
	}}
	if t.Mode == "MUTUAL" || t.Mode == "ISTIO_MUTUAL" {
		ctx.RequireClientCertificate = wrapperspb.Bool(true)
		v := validation(ca)
		v.ValidationContext.MatchTypedSubjectAltNames = sanMatchers(t.SubjectAltNames)
		ctx.CommonTlsContext.ValidationContextType = v
	}
	return &corev3.TransportSocket{Name: tlsSocketName, ConfigType: &corev3.TransportSocket_TypedConfig{TypedConfig: toAny(ctx)}}
}

// tlsParams bounds the TLS versions and sets the cipher suites; nil leaves Envoy's defaults
// (TLS 1.2 to 1.3, the same as Istio's gateways).
func tlsParams(t *model.TLS) *tlsv3.TlsParameters {
	if t.MinVersion == "" && t.MaxVersion == "" && len(t.CipherSuites) == 0 {
		return nil
	}
	// Gloo's version names are Envoy's (TLSv1_2); empty is TLS_AUTO, the zero value.
	return &tlsv3.TlsParameters{
		TlsMinimumProtocolVersion: tlsv3.TlsParameters_TlsProtocol(tlsv3.TlsParameters_TlsProtocol_value[t.MinVersion]),
		TlsMaximumProtocolVersion: tlsv3.TlsParameters_TlsProtocol(tlsv3.TlsParameters_TlsProtocol_value[t.MaxVersion]),
		CipherSuites:              t.CipherSuites,
	}
}

// sanMatchers accepts a client certificate carrying one of names. Istio matches each name
// against every SAN of the certificate; Envoy's typed matchers name a SAN type, so each name
// is matched as the type its form tells: an IP address, a URI (scheme:, as SPIFFE IDs), an
// e-mail address (with @), else a DNS name.
func sanMatchers(names []string) []*tlsv3.SubjectAltNameMatcher {
	var out []*tlsv3.SubjectAltNameMatcher
	for _, n := range names {
		sanType := tlsv3.SubjectAltNameMatcher_DNS
		switch {
		case net.ParseIP(n) != nil:
			sanType = tlsv3.SubjectAltNameMatcher_IP_ADDRESS
		case strings.Contains(n, ":"):
			sanType = tlsv3.SubjectAltNameMatcher_URI
		case strings.Contains(n, "@"):
			sanType = tlsv3.SubjectAltNameMatcher_EMAIL
		}
		out = append(out, &tlsv3.SubjectAltNameMatcher{
			SanType: sanType,
			Matcher: &matcherv3.StringMatcher{MatchPattern: &matcherv3.StringMatcher_Exact{Exact: n}},
		})
	}
	return out
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
