package compiler

import (
	"encoding/json"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

var clientTLSPolicy = compiledPolicy{
	Kind:  "ClientTLSPolicy",
	apply: applyDestinations("ClientTLSPolicy", setClientTLS),
	Fields: []fieldMapping{
		{"`disable`", "`tls.mode: DISABLE`", "no transport socket (plain text)"},
		{"`simple.config{sni, credentialName}`", "`tls.mode: SIMPLE`, `tls.sni`, `tls.credentialName`", "`UpstreamTlsContext{sni}`, trusted CA `<cert-dir>/<credentialName>/ca.crt` when set"},
		{"`mutual.config{sni, credentialName}`", "`tls.mode: MUTUAL`, `tls.sni`, `tls.credentialName`", "`UpstreamTlsContext{sni}`, certificate `<cert-dir>/<credentialName>/tls.crt`, `tls.key`, CA `ca.crt`"},
		{"`istioMutual`", "`tls.mode: ISTIO_MUTUAL`", "Istio mTLS transport socket (as for east-west gateways)"},
	},
	Notes: []string{
		"A VirtualDestination or federated host keeps ISTIO_MUTUAL: its remote endpoints are east-west " +
			"gateways that pass only Istio mutual TLS, so a ClientTLSPolicy setting another mode there is " +
			"an error (MR4024). MUTUAL needs a credentialName (Istio refuses it without certificates). " +
			"The Envoy target reads the credential's files where it reads listener certificates " +
			"(`<cert-dir>/<credentialName>/`, the keys of a Kubernetes TLS Secret).",
	},
}

type clientTLSConfig struct {
	Config struct {
		SNI            string `json:"sni"`
		CredentialName string `json:"credentialName"`
	} `json:"config"`
}

func setClientTLS(b *builder, p *schema.Policy, be *model.Backend, dp *model.DestinationPolicy) bool {
	s := p.Spec
	tls := &model.ClientTLS{}
	var raw json.RawMessage
	at := ""
	switch {
	case len(s.Disable) > 0:
		tls.Mode, at = model.TLSDisable, "/spec/disable"
	case len(s.Simple) > 0:
		tls.Mode, raw, at = model.TLSSimple, s.Simple, "/spec/simple"
	case len(s.Mutual) > 0:
		tls.Mode, raw, at = model.TLSMutual, s.Mutual, "/spec/mutual"
	case len(s.IstioMutual) > 0:
		tls.Mode, at = model.TLSIstioMutual, "/spec/istioMutual"
	default:
		// No mode: the policy changes nothing.
		return false
	}
	if raw != nil {
		var c clientTLSConfig
		if json.Unmarshal(raw, &c) != nil {
			return false
		}
		tls.SNI, tls.CredentialName = c.Config.SNI, c.Config.CredentialName
	}
	// A VirtualDestination with ExternalService backends leaves ISTIO_MUTUAL to auto mTLS, but its
	// mesh endpoints need it as much.
	meshBacked := be.MTLS || be.Kind == model.BackendVirtualDestination && (be.Local != nil || len(be.Remotes) > 0)
	if meshBacked && tls.Mode != model.TLSIstioMutual {
		b.report(on(&p.Object, at, diag.ClientTLSBreaksMeshMTLS(p.FieldPos(at), p.Namespace()+"/"+p.Name(), tls.Mode, be.Host)).
			WithHint("select the backing Service (kind SERVICE) instead, or use istioMutual"))
		return false
	}
	if tls.Mode == model.TLSMutual && tls.CredentialName == "" {
		b.invalidPolicyValue(p, at, "needs config.credentialName: Istio refuses MUTUAL without client certificates")
		return false
	}
	dp.TLS = tls
	return true
}
