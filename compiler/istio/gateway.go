package istio

import (
	"strings"

	networking "istio.io/api/networking/v1"
	"istio.io/api/networking/v1alpha3"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/render"
)

// gateway emits one VirtualGateway as applied to one gateway Service: one server per listener,
// on the port the gateway pod listens on (the Service port's targetPort).
func gateway(g *model.Gateway) render.Object {
	spec := &networking.Gateway{Selector: g.Selector}
	for _, l := range g.Listeners {
		spec.Servers = append(spec.Servers, &networking.Server{
			Port:  &networking.Port{Number: l.Port, Name: l.PortName, Protocol: l.Protocol},
			Hosts: l.Hosts,
			Tls:   serverTLS(l),
		})
	}
	return object(KindGateway, g.Namespace, g.Name, g.Origin, spec)
}

// serverTLS: an httpsRedirect listener carries only the redirect flag (Istio answers every
// request with a 301 to https, so certificates there would be dead config).
func serverTLS(l *model.Listener) *networking.ServerTLSSettings {
	switch {
	case l.HTTPSRedirect:
		return &networking.ServerTLSSettings{HttpsRedirect: true}
	case l.TLS != nil:
		t := l.TLS
		return &networking.ServerTLSSettings{
			Mode:               serverTLSMode(t.Mode),
			CredentialName:     t.CredentialName,
			ServerCertificate:  t.ServerCertificate,
			PrivateKey:         t.PrivateKey,
			CaCertificates:     t.CACertificates,
			SubjectAltNames:    t.SubjectAltNames,
			MinProtocolVersion: tlsProtocol(t.MinVersion),
			MaxProtocolVersion: tlsProtocol(t.MaxVersion),
			CipherSuites:       t.CipherSuites,
		}
	}
	return nil
}

// tlsProtocol maps Gloo's version spelling (TLSv1_2) to Istio's enum (TLSV1_2); empty is
// TLS_AUTO, the enum's zero value, which the renderer leaves out.
func tlsProtocol(version string) networking.ServerTLSSettings_TLSProtocol {
	return networking.ServerTLSSettings_TLSProtocol(v1alpha3.ServerTLSSettings_TLSProtocol_value[strings.ToUpper(version)])
}

// serverTLSMode maps the model's mode name to Istio's enum (v1 aliases the v1alpha3 types but
// not their name tables). The model only holds terminating
// modes; anything else falls back to SIMPLE rather than to the enum's zero value, PASSTHROUGH,
// which would silently stop terminating TLS.
func serverTLSMode(mode string) networking.ServerTLSSettings_TLSmode {
	if v, ok := v1alpha3.ServerTLSSettings_TLSmode_value[mode]; ok {
		return networking.ServerTLSSettings_TLSmode(v)
	}
	return networking.ServerTLSSettings_SIMPLE
}
