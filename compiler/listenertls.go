package compiler

import (
	"slices"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// Modes of a terminating listener (the passthrough modes never reach listenerTLS).
const (
	modeSimple      = "SIMPLE"
	modeMutual      = "MUTUAL"
	modeIstioMutual = "ISTIO_MUTUAL"
)

// supportedCipherSuites are the suites Gloo documents for tls.parameters.cipherSuites (the
// ones Envoy's BoringSSL accepts for TLS 1.0–1.2); Gloo ignores any other name.
var supportedCipherSuites = []string{
	"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
	"ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
	"ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
	"ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA",
	"ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA",
	"AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA", "AES256-SHA", "DES-CBC3-SHA",
}

// tlsVersionOrder ranks Gloo's protocol versions; TLS_AUTO (and absence) is no bound.
var tlsVersionOrder = map[string]int{schema.TLSv1_0: 1, schema.TLSv1_1: 2, schema.TLSv1_2: 3, schema.TLSv1_3: 4}

// listenerTLS turns the tls of an http listener (p is its JSON pointer) into the model's
// server-side TLS, applying the rules of Gloo's CRD as diagnostics. mode is already defaulted
// and is a terminating mode. It returns false when an error was reported: the listener is
// refused.
func (b *builder) listenerTLS(vg *schema.VirtualGateway, p, mode string, t *schema.TLSConfig) (*model.TLS, bool) {
	ok := true
	fail := func(d diag.Diagnostic, at string) {
		b.report(on(&vg.Object, at, d))
		ok = false
	}
	ignore := func(field, why, at string) {
		b.report(on(&vg.Object, at, diag.ListenerTLSSettingIgnored(vg.FieldPos(at), field, why)))
	}
	out := &model.TLS{Mode: mode, CredentialName: t.SecretName}
	files := t.Files
	if files == nil {
		files = &schema.TLSFiles{}
	}
	switch {
	case mode == modeIstioMutual && t.SecretName != "":
		fail(diag.ListenerTLSCertificateForbidden(vg.FieldPos(p+"/secretName"), "secretName"), p+"/secretName")
	case mode == modeIstioMutual && t.Files != nil:
		fail(diag.ListenerTLSCertificateForbidden(vg.FieldPos(p+"/files"), "files"), p+"/files")
	case mode != modeIstioMutual && t.SecretName == "":
		if missing := missingFiles(mode, files); len(missing) > 0 {
			at, what := p, "set secretName, or files with "+strings.Join(missing, ", ")
			if t.Files != nil {
				at, what = p+"/files", "files lacks "+strings.Join(missing, " and ")
			}
			fail(diag.ListenerTLSCertificateMissing(vg.FieldPos(at), mode, what), at)
		}
	}
	out.ServerCertificate, out.PrivateKey = files.ServerCert, files.PrivateKey
	switch {
	case files.CACerts != "" && mode == modeSimple:
		ignore("files.caCerts", "in SIMPLE mode, which asks clients for no certificate", p+"/files/caCerts")
	default:
		out.CACertificates = files.CACerts
	}
	if len(t.VerifySubjectAltName) > 0 {
		if mode == modeSimple {
			ignore("verifySubjectAltName", "in SIMPLE mode, which asks clients for no certificate", p+"/verifySubjectAltName")
		} else {
			out.SubjectAltNames = t.VerifySubjectAltName
		}
	}
	if t.Parameters != nil && !b.tlsParameters(vg, p+"/parameters", t.Parameters, out) {
		ok = false
	}
	return out, ok
}

// missingFiles lists the certificate files a mode without secretName lacks.
func missingFiles(mode string, f *schema.TLSFiles) []string {
	var missing []string
	if f.ServerCert == "" {
		missing = append(missing, "serverCert")
	}
	if f.PrivateKey == "" {
		missing = append(missing, "privateKey")
	}
	if mode == modeMutual && f.CACerts == "" {
		missing = append(missing, "caCerts")
	}
	return missing
}

// tlsParameters copies the version bounds and cipher suites into out, reporting the ranges
// Gloo's CRD (or Envoy) refuses and the suites that cannot take effect.
func (b *builder) tlsParameters(vg *schema.VirtualGateway, p string, params *schema.TLSParameters, out *model.TLS) bool {
	minV, maxV := params.MinimumProtocolVersion, params.MaximumProtocolVersion
	if minV == schema.TLSAuto {
		minV = ""
	}
	if maxV == schema.TLSAuto {
		maxV = ""
	}
	out.MinVersion, out.MaxVersion = minV, maxV
	if minV != "" && maxV != "" && tlsVersionOrder[minV] > tlsVersionOrder[maxV] {
		at := p + "/minimumProtocolVersion"
		b.report(on(&vg.Object, at, diag.ListenerTLSVersionRange(vg.ValuePos(at), minV, maxV)))
		return false
	}
	if (minV == schema.TLSv1_0 || minV == schema.TLSv1_1) && len(params.CipherSuites) == 0 {
		at := p + "/minimumProtocolVersion"
		b.report(on(&vg.Object, at, diag.ListenerTLSCiphersRequired(vg.ValuePos(at), minV)).
			WithHint("list the suites those clients use, for example cipherSuites: [ECDHE-RSA-AES128-SHA, AES128-SHA]"))
		return false
	}
	if len(params.CipherSuites) > 0 && minV == schema.TLSv1_3 {
		at := p + "/cipherSuites"
		b.report(on(&vg.Object, at, diag.ListenerTLSSettingIgnored(vg.FieldPos(at), "cipherSuites", "when minimumProtocolVersion is TLSv1_3, whose suites are not configurable")))
		return true
	}
	for i, c := range params.CipherSuites {
		switch {
		case !slices.Contains(supportedCipherSuites, c):
			at := p + "/cipherSuites/" + strconv.Itoa(i)
			d := on(&vg.Object, at, diag.ListenerTLSSettingIgnored(vg.ValuePos(at), "cipher suite "+c, "(Gloo ignores suites outside the list docs/routing.md gives)"))
			b.report(didYouMean(d, c, supportedCipherSuites, "supported cipher suite"))
		case !slices.Contains(out.CipherSuites, c):
			out.CipherSuites = append(out.CipherSuites, c)
		}
	}
	return true
}
