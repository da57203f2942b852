// Package istio evaluates a request against one cluster's emitted Istio objects the way Istio's
// gateways and sidecars would: Gateway server and VirtualService binding, host selection, first
// match over http[], and the chosen route's action with rewrites applied.
package istio

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	networking "istio.io/api/networking/v1"
	security "istio.io/api/security/v1beta1"

	"github.com/meshroute/meshroute/eval"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/render"
)

// Evaluator holds one cluster's emitted objects.
type Evaluator struct {
	inv      *eval.Inventory
	gateways []object[*networking.Gateway]
	services []object[*networking.VirtualService]
	// entries are the hosts of the emitted ServiceEntries with their port numbers: a
	// VirtualDestination or federated host resolves only when one exists, as in the mesh.
	entries map[string][]uint32
	// entryScopes are, per host, where its ServiceEntries live and are exported to.
	entryScopes map[string][]entryScope
	// objects are every emitted object, for the endpoint order of a destination (endpoints.go).
	objects []render.Object
	// authz are the AuthorizationPolicies, which decide whether a destination admits the
	// client (access.go).
	authz []object[*security.AuthorizationPolicy]
}

type object[T any] struct {
	Namespace, Name string
	Spec            T
}

// New indexes the emitted objects of the inventory's cluster. Only Gateways and VirtualServices
// decide where a request goes; the DestinationRules and endpoints give a destination's failover
// order (endpoints.go).
func New(objects []render.Object, inv *eval.Inventory) *Evaluator {
	e := &Evaluator{inv: inv, entries: map[string][]uint32{}, entryScopes: map[string][]entryScope{}, objects: objects}
	for _, o := range objects {
		switch spec := o.Spec.(type) {
		case *networking.ServiceEntry:
			var ports []uint32
			for _, p := range spec.GetPorts() {
				ports = append(ports, p.GetNumber())
			}
			for _, h := range spec.GetHosts() {
				e.entries[strings.ToLower(h)] = append(e.entries[strings.ToLower(h)], ports...)
				e.entryScopes[strings.ToLower(h)] = append(e.entryScopes[strings.ToLower(h)], entryScope{o.Namespace, spec.GetExportTo()})
			}
		case *networking.Gateway:
			e.gateways = append(e.gateways, object[*networking.Gateway]{o.Namespace, o.Name, spec})
		case *networking.VirtualService:
			e.services = append(e.services, object[*networking.VirtualService]{o.Namespace, o.Name, spec})
		case *security.AuthorizationPolicy:
			e.authz = append(e.authz, object[*security.AuthorizationPolicy]{o.Namespace, o.Name, spec})
		}
	}
	// Istio merges same-host VirtualServices in creation order; meshroute has no creation
	// times, so namespace/name order stands in for it.
	slices.SortStableFunc(e.services, func(a, b object[*networking.VirtualService]) int {
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
	})
	return e
}

// binding is what the request entered through: the gateway names it may bind VirtualServices
// by ("ns/name", or "mesh"), the namespaces each allows (nil = any), and the port it arrived on.
type binding struct {
	gateways map[string][]string
	port     uint32
	svcPort  uint32 // the gateway Service port (port is its target port)
	mesh     *eval.MeshSource
}

// Evaluate answers where the request goes. An error means the request itself cannot be placed
// (unknown gateway Service, bad regex in the config); a request no route takes is a Result with
// Outcome NotFound.
func (e *Evaluator) Evaluate(req eval.Request) (eval.Result, error) {
	req = req.Normalize()
	res, err := e.route(req)
	if err == nil {
		e.authorize(req, &res)
	}
	return res, err
}

// route is where the request goes.
func (e *Evaluator) route(req eval.Request) (eval.Result, error) {
	var b binding
	switch {
	case req.Gateway != nil && req.Protocol != eval.ProtocolHTTP:
		return e.gatewayConnection(req)
	case req.Gateway != nil:
		var res *eval.Result
		var err error
		b, res, err = e.bindGateway(req)
		if err != nil {
			return eval.Result{}, err
		}
		if res != nil {
			res.Port = b.svcPort
			return *res, nil
		}
	case req.Mesh != nil:
		// A short mesh host is a Service of the caller's namespace, as Kubernetes DNS resolves it.
		if h := req.HostName(); h != "" && !strings.Contains(h, ".") {
			req.Host = naming.ServiceFQDN(h, req.Mesh.Namespace, e.inv.Domain)
		}
		b = binding{gateways: map[string][]string{"mesh": nil}, port: req.Port, mesh: req.Mesh}
		if req.Protocol != eval.ProtocolHTTP {
			return e.connection(req, b), nil
		}
	default:
		return eval.Result{}, fmt.Errorf("the request enters neither through a gateway nor through the mesh")
	}
	routes, vs, res := e.selectRoutes(req, b)
	if res != nil && req.Mesh != nil {
		if def, ok := e.defaultRoute(req); ok {
			return def, nil
		}
		res.Reason = fmt.Sprintf("no VirtualService applies and the mesh knows no host %s (no Service or ServiceEntry)", req.HostName())
	}
	if res != nil {
		res.Port = b.svcPort
		return *res, nil
	}
	out, err := e.firstMatch(req, b, vs, routes)
	out.Port = b.svcPort
	if err == nil && req.Mesh != nil {
		e.followEgress(req, &out)
	}
	return out, err
}

// bindGateway finds the Gateway servers the request reaches: Gateways selecting the gateway
// Service's pods, with a server on the listener's target port whose hosts accept the host.
func (e *Evaluator) bindGateway(req eval.Request) (binding, *eval.Result, error) {
	svc := e.inv.Service(req.Gateway.Namespace, req.Gateway.Service)
	if svc == nil {
		return binding{}, nil, fmt.Errorf("no Service %s in cluster %s", req.Gateway, e.inv.Cluster)
	}
	selected := e.selected(svc.Spec.Selector)
	host := req.HostName()
	rank := func(port uint32) int {
		r := eval.PortNoListener
		for _, g := range selected {
			for _, s := range g.Spec.GetServers() {
				if s.GetPort().GetNumber() != port {
					continue
				}
				if l4Server(s) {
					r = max(r, eval.PortListener)
					continue
				}
				_, accepts := serverAccepts(s.GetHosts(), g.Namespace, host)
				switch redirect := s.GetTls().GetHttpsRedirect(); {
				case accepts && !redirect:
					r = max(r, eval.PortServesHost)
				case !redirect:
					r = max(r, eval.PortListener)
				default:
					r = max(r, eval.PortRedirectOnly)
				}
			}
		}
		return r
	}
	svcPort, target, err := e.inv.GatewayPort(*req.Gateway, req.Port, rank)
	if err != nil {
		return binding{}, nil, err
	}
	b := binding{gateways: map[string][]string{}, port: target, svcPort: svcPort}
	redirect, l4 := false, false
	for _, g := range selected {
		for _, s := range g.Spec.GetServers() {
			if s.GetPort().GetNumber() != target {
				continue
			}
			if l4Server(s) {
				l4 = true
				continue
			}
			namespaces, ok := serverAccepts(s.GetHosts(), g.Namespace, host)
			if !ok {
				continue
			}
			name := g.Namespace + "/" + g.Name
			if prev, seen := b.gateways[name]; seen && (prev == nil || namespaces == nil) {
				namespaces = nil
			} else if seen {
				namespaces = append(prev, namespaces...)
			}
			b.gateways[name] = namespaces
			redirect = redirect || s.GetTls().GetHttpsRedirect()
		}
	}
	if len(b.gateways) == 0 && l4 {
		return b, nil, fmt.Errorf("port %d of %s forwards tcp connections, not http requests: send protocol tcp or tls", svcPort, req.Gateway)
	}
	if len(b.gateways) == 0 {
		return b, &eval.Result{Outcome: eval.NotFound, RouteIndex: -1, MatchIndex: -1,
			Reason: fmt.Sprintf("no Gateway server on port %d of %s accepts host %s", target, req.Gateway, host)}, nil
	}
	if redirect {
		// An httpsRedirect server answers every plain-HTTP request with a redirect to https.
		return b, &eval.Result{Outcome: eval.Redirect, Config: "Gateway server httpsRedirect", RouteIndex: -1, MatchIndex: -1,
			Redirect: &eval.RedirectTo{Scheme: "https", Host: host, Path: req.Path, Code: 301}}, nil
	}
	return b, nil, nil
}

// l4Server reports a TCP or TLS passthrough server, which forwards connections without reading
// HTTP.
func l4Server(s *networking.Server) bool {
	p := s.GetPort().GetProtocol()
	return p == "TCP" || p == "TLS"
}

// serverAccepts matches a host against a server's hosts ("ns/host", "./host", "*/host", "host")
// and returns the namespaces whose VirtualServices may bind (nil = any).
func serverAccepts(hosts []string, gatewayNS, host string) ([]string, bool) {
	var namespaces []string
	any, matched := false, false
	for _, h := range hosts {
		ns, dns, found := strings.Cut(h, "/")
		if !found {
			ns, dns = "*", h
		}
		if ok, _, _ := eval.HostMatch(dns, host); !ok {
			continue
		}
		matched = true
		switch ns {
		case "*":
			any = true
		case ".":
			namespaces = append(namespaces, gatewayNS)
		default:
			namespaces = append(namespaces, ns)
		}
	}
	if any {
		return nil, matched
	}
	return namespaces, matched
}

// selectRoutes picks the VirtualServices bound to the entry point whose most specific host
// matches the request (Envoy's virtual host rule), and concatenates their routes.
func (e *Evaluator) selectRoutes(req eval.Request, b binding) ([]*networking.HTTPRoute, []object[*networking.VirtualService], *eval.Result) {
	host := req.HostName()
	var bound []object[*networking.VirtualService]
	var hosts [][]string
	for _, vs := range e.services {
		if !e.binds(vs, b) || !appliesTo(vs.Spec, b) {
			continue
		}
		bound = append(bound, vs)
		hosts = append(hosts, e.qualify(vs.Spec.GetHosts(), vs.Namespace))
	}
	best := eval.BestHost(hosts, host)
	if best < 0 {
		where := "the mesh"
		if req.Gateway != nil {
			where = "gateway " + req.Gateway.String()
		}
		return nil, nil, &eval.Result{Outcome: eval.NotFound, RouteIndex: -1, MatchIndex: -1,
			Reason: fmt.Sprintf("no VirtualService on %s serves host %s", where, host)}
	}
	winner := bestPattern(hosts[best], host)
	var routes []*networking.HTTPRoute
	var owners []object[*networking.VirtualService]
	for i, vs := range bound {
		if slices.Contains(hosts[i], winner) {
			for _, r := range vs.Spec.GetHttp() {
				routes = append(routes, r)
				owners = append(owners, vs)
			}
		}
	}
	return routes, owners, nil
}

// appliesTo reports whether any route of the VirtualService can match at this proxy: istiod
// drops the match entries whose port, gateway or source conditions exclude the proxy, and builds
// no virtual host from a VirtualService left without routes — the request then falls through to
// the next best host (a wildcard VirtualService) or, on a sidecar, to default routing.
func appliesTo(vs *networking.VirtualService, b binding) bool {
	for _, r := range vs.GetHttp() {
		if len(r.GetMatch()) == 0 {
			return true
		}
		for _, m := range r.GetMatch() {
			if proxyReason(m, b) == "" {
				return true
			}
		}
	}
	return false
}

func bestPattern(patterns []string, host string) string {
	best, bestClass, bestLen := "", -1, -1
	for _, p := range patterns {
		if ok, class, length := eval.HostMatch(p, host); ok && (class > bestClass || class == bestClass && length > bestLen) {
			best, bestClass, bestLen = p, class, length
		}
	}
	return best
}

// binds reports whether the VirtualService applies at the entry point: by its gateways field,
// the server's namespace restriction, and exportTo for the mesh.
func (e *Evaluator) binds(vs object[*networking.VirtualService], b binding) bool {
	gateways := vs.Spec.GetGateways()
	if len(gateways) == 0 {
		gateways = []string{"mesh"}
	}
	for _, g := range gateways {
		name := g
		if g != "mesh" && !strings.Contains(g, "/") {
			name = vs.Namespace + "/" + g
		}
		namespaces, ok := b.gateways[name]
		if !ok {
			continue
		}
		if name == "mesh" {
			return exported(vs.Spec.GetExportTo(), vs.Namespace, b.mesh.Namespace)
		}
		if namespaces == nil || slices.Contains(namespaces, vs.Namespace) {
			return true
		}
	}
	return false
}

func exported(exportTo []string, owner, from string) bool {
	if len(exportTo) == 0 {
		return true
	}
	for _, x := range exportTo {
		if x == "*" || x == from || x == "." && owner == from {
			return true
		}
	}
	return false
}

// qualify expands short mesh hosts ("reviews") to FQDNs in the VirtualService's namespace, as
// Istio does.
func (e *Evaluator) qualify(hosts []string, namespace string) []string {
	out := make([]string, len(hosts))
	for i, h := range hosts {
		if h != "*" && !strings.Contains(h, ".") {
			h = naming.ServiceFQDN(h, namespace, e.inv.Domain)
		}
		out[i] = strings.ToLower(h)
	}
	return out
}

func subset(small, big map[string]string) bool {
	for k, v := range small {
		if w, ok := big[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// source resolves a destination host to its input object. Hosts that need a ServiceEntry (a
// VirtualDestination, a Service of another cluster) resolve only when one was emitted, so a
// missing ServiceEntry shows up as an unknown destination.
func (e *Evaluator) source(host string) eval.Source {
	src := e.inv.Source(host)
	needsEntry := src.Kind == "VirtualDestination" || src.Kind == "ExternalService" || src.Cluster != "" && src.Cluster != e.inv.Cluster
	if _, ok := e.entryHost(host); needsEntry && !ok {
		return eval.Source{}
	}
	return src
}
