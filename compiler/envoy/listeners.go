package envoy

import (
	"slices"

	listenerv3 "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	routerv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/router/v3"
	tlsinspectorv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/listener/tls_inspector/v3"
	hcmv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/naming"
)

// Well-known Envoy extension names.
const (
	hcmFilterName    = "envoy.filters.network.http_connection_manager"
	routerFilterName = "envoy.filters.http.router"
	tlsInspectorName = "envoy.filters.listener.tls_inspector"
	tlsSocketName    = "envoy.transport_sockets.tls"
)

// listeners builds one Envoy listener per distinct targetPort, in port order: Envoy refuses two
// listeners on one address, so VirtualGateway listeners sharing a port become filter chains.
func (e *emitter) listeners() []*listenerv3.Listener {
	byPort := map[uint32][]*model.Listener{}
	for _, l := range e.gateway.Listeners {
		byPort[l.Port] = append(byPort[l.Port], l)
	}
	ports := make([]uint32, 0, len(byPort))
	for p := range byPort {
		ports = append(ports, p)
	}
	slices.Sort(ports)
	out := make([]*listenerv3.Listener, 0, len(ports))
	for _, port := range ports {
		ls := byPort[port]
		if ls[0].IsL4() { // Build refuses other protocols on a TCP or TLS passthrough port
			if l := e.l4Listener(port, ls); l != nil {
				out = append(out, l)
			}
			continue
		}
		out = append(out, e.listener(port, ls))
	}
	return out
}

// listener builds the listener of one port: one filter chain per served TLS listener, selected by
// the server names the model gives it, and one chain for all plain-HTTP listeners, whose virtual
// hosts are merged.
func (e *emitter) listener(port uint32, ls []*model.Listener) *listenerv3.Listener {
	var plain, secure []*model.Listener
	for _, l := range ls {
		if l.TLS != nil {
			secure = append(secure, l)
		} else {
			plain = append(plain, l)
		}
	}
	lis := &listenerv3.Listener{
		Name:    naming.EnvoyListener(port),
		Address: socketAddress("0.0.0.0", port),
	}
	if len(plain) > 0 {
		rc := e.routeConfig(naming.EnvoyRouteConfig(port, ""), port, plain)
		fc := &listenerv3.FilterChain{Filters: []*listenerv3.Filter{e.hcm(naming.EnvoyStatPrefix(port, ""), rc)}}
		if len(secure) > 0 {
			// Validation refuses mixing TLS and plain HTTP on one port; should it ever get
			// here, the TLS inspector's transport protocol still keeps the chains apart.
			fc.FilterChainMatch = &listenerv3.FilterChainMatch{TransportProtocol: "raw_buffer"}
		}
		lis.FilterChains = append(lis.FilterChains, fc)
	}
	for _, l := range secure {
		if l.Shadowed {
			continue // an earlier chain takes every name: Envoy refuses duplicate matches
		}
		rc := e.routeConfig(naming.EnvoyRouteConfig(port, l.PortName), port, []*model.Listener{l})
		fc := &listenerv3.FilterChain{
			Name:             l.PortName,
			FilterChainMatch: &listenerv3.FilterChainMatch{ServerNames: l.ServerNames},
			Filters:          []*listenerv3.Filter{e.hcm(naming.EnvoyStatPrefix(port, l.PortName), rc)},
			TransportSocket:  e.downstreamTLS(l.TLS),
		}
		if len(plain) > 0 {
			fc.FilterChainMatch.TransportProtocol = "tls"
		}
		lis.FilterChains = append(lis.FilterChains, fc)
	}
	if len(secure) > 0 {
		// SNI and transport-protocol matching need the TLS inspector.
		lis.ListenerFilters = []*listenerv3.ListenerFilter{{
			Name:       tlsInspectorName,
			ConfigType: &listenerv3.ListenerFilter_TypedConfig{TypedConfig: toAny(&tlsinspectorv3.TlsInspector{})},
		}}
	}
	return lis
}

// hcm is an http_connection_manager with the router filter and an inline route configuration.
func (e *emitter) hcm(statPrefix string, rc *routev3.RouteConfiguration) *listenerv3.Filter {
	m := &hcmv3.HttpConnectionManager{
		StatPrefix:     statPrefix,
		RouteSpecifier: &hcmv3.HttpConnectionManager_RouteConfig{RouteConfig: rc},
		HttpFilters: append(policyHTTPFilters(rc), &hcmv3.HttpFilter{
			Name:       routerFilterName,
			ConfigType: &hcmv3.HttpFilter_TypedConfig{TypedConfig: toAny(&routerv3.Router{})},
		}),
		// An edge proxy: trust the peer address, not X-Forwarded-For (Envoy's edge advice).
		UseRemoteAddress: wrapperspb.Bool(true),
		// Match paths as Istio gateways do: normalized (RFC 3986), and hosts without ":port".
		NormalizePath: wrapperspb.Bool(true),
		StripPortMode: &hcmv3.HttpConnectionManager_StripAnyHostPort{StripAnyHostPort: true},
	}
	return &listenerv3.Filter{
		Name:       hcmFilterName,
		ConfigType: &listenerv3.Filter_TypedConfig{TypedConfig: toAny(m)},
	}
}
