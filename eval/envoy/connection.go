package envoy

import (
	"fmt"

	listenerv3 "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	tcpproxyv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/tcp_proxy/v3"

	"github.com/meshroute/meshroute/eval"
)

// connection answers a TCP or TLS connection to a gateway Service port: the listener on the
// target port, its filter chain — one without server names takes every connection, else the
// most specific server name matching the SNI — and that chain's tcp_proxy clusters.
func (e *Evaluator) connection(req eval.Request, proxies []Proxy) (eval.Result, error) {
	if req.Port == 0 {
		return eval.Result{}, fmt.Errorf("a %s connection through a gateway names the gateway Service port it connects to", req.Protocol)
	}
	svcPort, target, err := e.inv.GatewayPort(*req.Gateway, req.Port, nil)
	if err != nil {
		return eval.Result{}, err
	}
	res := eval.Result{Outcome: eval.NotFound, Port: svcPort, RouteIndex: -1, MatchIndex: -1,
		Reason: fmt.Sprintf("no tcp or tls passthrough listener on port %d of %s", target, req.Gateway)}
	for _, p := range proxies {
		l := listenerOn(p.Config, target)
		if l == nil {
			continue
		}
		fc, why := l4Chain(l, req)
		if fc == nil {
			res.Reason = why
			continue
		}
		var tp *tcpproxyv3.TcpProxy
		for _, f := range fc.GetFilters() {
			if m := (&tcpproxyv3.TcpProxy{}); f.GetTypedConfig().MessageIs(m) {
				if err := f.GetTypedConfig().UnmarshalTo(m); err != nil {
					return eval.Result{}, fmt.Errorf("gateway %s/%s listener %s: %v", p.Namespace, p.Name, l.GetName(), err)
				}
				tp = m
			}
		}
		if tp == nil {
			return eval.Result{}, fmt.Errorf("port %d of %s serves http requests, not %s connections", svcPort, req.Gateway, req.Protocol)
		}
		defined := clusterNames(p.Config)
		out := eval.Result{Outcome: eval.Forward, Port: svcPort, Namespace: p.Namespace, Name: p.Name,
			Config: fmt.Sprintf("Envoy %s/%s listener %s", p.Namespace, p.Name, l.GetName())}
		if fc.GetName() != "" {
			out.Config += " filter chain " + fc.GetName()
		}
		if c := tp.GetCluster(); c != "" {
			out.Destinations = append(out.Destinations, e.destination(c, 100, defined))
		}
		for _, wc := range tp.GetWeightedClusters().GetClusters() {
			out.Destinations = append(out.Destinations, e.destination(wc.GetName(), wc.GetWeight(), defined))
		}
		eval.SortDestinations(out.Destinations)
		e.orderEndpoints(out.Destinations, p.Config)
		return out, nil
	}
	return res, nil
}

// l4Chain is the filter chain a connection takes, or why none does.
func l4Chain(l *listenerv3.Listener, req eval.Request) (*listenerv3.FilterChain, string) {
	var names [][]string
	for _, fc := range l.GetFilterChains() {
		sn := fc.GetFilterChainMatch().GetServerNames()
		if len(sn) == 0 {
			return fc, ""
		}
		names = append(names, sn)
	}
	if req.Protocol != eval.ProtocolTLS {
		return nil, fmt.Sprintf("listener %s selects filter chains by SNI, and a tcp connection sends none", l.GetName())
	}
	if i := eval.BestHost(names, req.SNI); i >= 0 {
		return l.GetFilterChains()[i], ""
	}
	return nil, fmt.Sprintf("no filter chain of listener %s takes SNI %s", l.GetName(), req.SNI)
}
