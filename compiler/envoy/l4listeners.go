package envoy

import (
	listenerv3 "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	tlsinspectorv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/listener/tls_inspector/v3"
	tcpproxyv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/tcp_proxy/v3"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/naming"
)

const tcpProxyName = "envoy.filters.network.tcp_proxy"

// l4Listener builds the listener of a port whose listeners are TCP or TLS passthrough: one
// tcp_proxy filter chain per chain the model resolved (a TCP port has at most one; a TLS chain
// is selected by its SNI names, which the TLS inspector reads). A port nothing is served on has
// no listener (nil): Envoy refuses one without filter chains, and an unrouted TCP port refuses
// connections either way.
func (e *emitter) l4Listener(port uint32, ls []*model.Listener) *listenerv3.Listener {
	lis := &listenerv3.Listener{Name: naming.EnvoyListener(port), Address: socketAddress("0.0.0.0", port)}
	sni := false
	for _, l := range ls {
		for _, c := range l.L4 {
			fc := &listenerv3.FilterChain{}
			name := naming.EnvoyL4Chain(port, "", "")
			if c.ServerNames != nil {
				sni = true
				name = naming.EnvoyL4Chain(port, c.Set, c.Route.RouteName)
				fc.Name = name
				fc.FilterChainMatch = &listenerv3.FilterChainMatch{ServerNames: c.ServerNames}
			}
			fc.Filters = []*listenerv3.Filter{e.tcpProxy(name, c.Forward)}
			lis.FilterChains = append(lis.FilterChains, fc)
		}
	}
	if len(lis.FilterChains) == 0 {
		return nil
	}
	if sni {
		lis.ListenerFilters = []*listenerv3.ListenerFilter{{
			Name:       tlsInspectorName,
			ConfigType: &listenerv3.ListenerFilter_TypedConfig{TypedConfig: toAny(&tlsinspectorv3.TlsInspector{})},
		}}
	}
	return lis
}

// tcpProxy forwards the connection to the destinations' clusters, weighted when several.
func (e *emitter) tcpProxy(statPrefix string, f *model.Forward) *listenerv3.Filter {
	tp := &tcpproxyv3.TcpProxy{StatPrefix: statPrefix}
	if ds := f.Destinations; len(ds) == 1 {
		tp.ClusterSpecifier = &tcpproxyv3.TcpProxy_Cluster{Cluster: e.useCluster(ds[0])}
	} else {
		wc := &tcpproxyv3.TcpProxy_WeightedCluster{}
		for _, d := range ds {
			wc.Clusters = append(wc.Clusters, &tcpproxyv3.TcpProxy_WeightedCluster_ClusterWeight{Name: e.useCluster(d), Weight: d.Weight})
		}
		tp.ClusterSpecifier = &tcpproxyv3.TcpProxy_WeightedClusters{WeightedClusters: wc}
	}
	return &listenerv3.Filter{Name: tcpProxyName, ConfigType: &listenerv3.Filter_TypedConfig{TypedConfig: toAny(tp)}}
}
