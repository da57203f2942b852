// Package envoy evaluates a request against emitted Envoy bootstraps the way Envoy would: the
// listener on the gateway's target port, the filter chain (by SNI for TLS), the connection
// manager's inline route configuration, virtual host selection by Envoy's domain rules, first
// route match, and the route's action.
package envoy

import (
	"fmt"
	"strings"

	bootstrapv3 "github.com/envoyproxy/go-control-plane/envoy/config/bootstrap/v3"
	listenerv3 "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	hcmv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	tcpproxyv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/tcp_proxy/v3"

	"github.com/meshroute/meshroute/eval"
)

// Proxy is one gateway's bootstrap and the gateway Service it runs behind.
type Proxy struct {
	Namespace string // the gateway Service's namespace
	Service   string // the gateway Service
	Name      string // the gateway's generated name, for reporting
	Config    *bootstrapv3.Bootstrap
}

// Evaluator holds one cluster's Envoy proxies.
type Evaluator struct {
	inv     *eval.Inventory
	proxies []Proxy
}

// New returns an evaluator over the emitted gateways (proxies) of every cluster.
func New(proxies []Proxy, inv *eval.Inventory) *Evaluator {
	return &Evaluator{inv: inv, proxies: proxies}
}

// Evaluate answers where the request goes. Only gateway requests exist on this target: the
// Envoy output has no sidecars.
func (e *Evaluator) Evaluate(req eval.Request) (eval.Result, error) {
	req = req.Normalize()
	if req.Gateway == nil {
		return eval.Result{}, fmt.Errorf("the envoy target emits gateways only; mesh requests need the istio target")
	}
	var proxies []Proxy
	for _, p := range e.proxies {
		if p.Namespace == req.Gateway.Namespace && p.Service == req.Gateway.Service {
			proxies = append(proxies, p)
		}
	}
	if req.Protocol != eval.ProtocolHTTP {
		return e.connection(req, proxies)
	}
	host := req.HostName()
	rank := func(port uint32) int {
		r := eval.PortNoListener
		for _, p := range proxies {
			if l := listenerOn(p.Config, port); l != nil {
				r = max(r, rankListener(l, host))
			}
		}
		return r
	}
	svcPort, target, err := e.inv.GatewayPort(*req.Gateway, req.Port, rank)
	if err != nil {
		return eval.Result{}, err
	}
	res, err := e.evaluateOn(req, proxies, target)
	res.Port = svcPort
	return res, err
}

// rankListener says how well a listener suits a request that named no port: it serves the host,
// it only redirects it to https (require_tls), or it does not serve it.
func rankListener(l *listenerv3.Listener, host string) int {
	rc, err := routeConfig(l, host)
	if err != nil || rc == nil {
		return eval.PortListener
	}
	var domains [][]string
	for _, vh := range rc.GetVirtualHosts() {
		domains = append(domains, stripPorts(vh.GetDomains()))
	}
	best := eval.BestHost(domains, host)
	if best < 0 {
		return eval.PortListener
	}
	vh := rc.GetVirtualHosts()[best]
	if vh.GetRequireTls() == routev3.VirtualHost_ALL {
		return eval.PortRedirectOnly
	}
	// An httpsRedirect listener is emitted as a virtual host whose every route redirects to https.
	for _, r := range vh.GetRoutes() {
		rd := r.GetRedirect()
		if rd == nil || !rd.GetHttpsRedirect() && rd.GetSchemeRedirect() != "https" {
			return eval.PortServesHost
		}
	}
	return eval.PortRedirectOnly
}

// evaluateOn evaluates the request on the proxies' listeners on the target port.
func (e *Evaluator) evaluateOn(req eval.Request, proxies []Proxy, target uint32) (eval.Result, error) {
	host := req.HostName()
	notFound := &eval.Result{Outcome: eval.NotFound, RouteIndex: -1, MatchIndex: -1,
		Reason: fmt.Sprintf("no listener on port %d of %s accepts host %s", target, req.Gateway, host)}
	for _, p := range proxies {
		l := listenerOn(p.Config, target)
		if l == nil {
			continue
		}
		rc, err := routeConfig(l, host)
		if err != nil {
			return eval.Result{}, fmt.Errorf("gateway %s/%s: %v", p.Namespace, p.Name, err)
		}
		if rc == nil {
			continue
		}
		var domains [][]string
		for _, vh := range rc.GetVirtualHosts() {
			domains = append(domains, stripPorts(vh.GetDomains()))
		}
		best := eval.BestHost(domains, host)
		if best < 0 {
			notFound.Reason = fmt.Sprintf("no virtual host of route configuration %s serves host %s", rc.GetName(), host)
			continue
		}
		vh := rc.GetVirtualHosts()[best]
		res, err := e.firstMatch(req, vh, clusterNames(p.Config))
		if err != nil {
			return eval.Result{}, fmt.Errorf("gateway %s/%s virtual host %s: %v", p.Namespace, p.Name, vh.GetName(), err)
		}
		e.orderEndpoints(res.Destinations, p.Config)
		res.Config = fmt.Sprintf("Envoy %s/%s virtual host %s", p.Namespace, p.Name, vh.GetName())
		res.Namespace, res.Name = p.Namespace, p.Name
		return res, nil
	}
	return *notFound, nil
}

func listenerOn(b *bootstrapv3.Bootstrap, port uint32) *listenerv3.Listener {
	for _, l := range b.GetStaticResources().GetListeners() {
		if l.GetAddress().GetSocketAddress().GetPortValue() == port {
			return l
		}
	}
	return nil
}

// routeConfig picks the filter chain a request for host takes (a TLS chain whose server names
// match it as SNI, most specific first, else the chain without server names) and returns its
// connection manager's inline route configuration.
func routeConfig(l *listenerv3.Listener, host string) (*routev3.RouteConfiguration, error) {
	var names [][]string
	var plain *listenerv3.FilterChain
	for _, fc := range l.GetFilterChains() {
		sn := fc.GetFilterChainMatch().GetServerNames()
		names = append(names, sn)
		if len(sn) == 0 && plain == nil {
			plain = fc
		}
	}
	chain := plain
	if i := eval.BestHost(names, host); i >= 0 && len(names[i]) > 0 {
		chain = l.GetFilterChains()[i]
	}
	if chain == nil {
		chain = l.GetDefaultFilterChain()
	}
	if chain == nil {
		return nil, nil
	}
	for _, f := range chain.GetFilters() {
		any := f.GetTypedConfig()
		if any == nil {
			continue
		}
		hcm := &hcmv3.HttpConnectionManager{}
		if any.MessageIs(hcm) {
			if err := any.UnmarshalTo(hcm); err != nil {
				return nil, fmt.Errorf("listener %s: %v", l.GetName(), err)
			}
			rc := hcm.GetRouteConfig()
			if rc == nil {
				return nil, fmt.Errorf("listener %s: the connection manager has no inline route_config", l.GetName())
			}
			return rc, nil
		}
	}
	for _, f := range chain.GetFilters() {
		if f.GetTypedConfig().MessageIs(&tcpproxyv3.TcpProxy{}) {
			return nil, fmt.Errorf("listener %s forwards tcp connections, not http requests: send protocol tcp or tls", l.GetName())
		}
	}
	return nil, fmt.Errorf("listener %s: no http_connection_manager in the filter chain", l.GetName())
}

func stripPorts(domains []string) []string {
	out := make([]string, len(domains))
	for i, d := range domains {
		if j := strings.LastIndexByte(d, ':'); j >= 0 {
			d = d[:j]
		}
		out[i] = d
	}
	return out
}

// clusterNames are the clusters a bootstrap defines; a route to any other cannot be served.
func clusterNames(b *bootstrapv3.Bootstrap) map[string]bool {
	out := map[string]bool{}
	for _, c := range b.GetStaticResources().GetClusters() {
		out[c.GetName()] = true
	}
	return out
}
