package istio

import (
	"slices"
	"strings"

	"github.com/meshroute/meshroute/eval"
)

// DefaultRouting is the Config of a mesh request no VirtualService routes.
const DefaultRouting = "default routing (no VirtualService for this host applies to this sidecar)"

// defaultRoute is what a sidecar does with a host no VirtualService applying to it covers:
// Istio's default route sends it to the host itself, when the mesh knows the host — a Service
// of this cluster, or a ServiceEntry host (VirtualDestination, federated Service). A host the
// mesh does not know is not found (passthrough to an unknown host is not a routing outcome).
func (e *Evaluator) defaultRoute(req eval.Request) (eval.Result, bool) {
	host := req.HostName()
	var ports []uint32
	if src := e.inv.Source(host); src.Kind == "Service" && src.Cluster == e.inv.Cluster {
		if svc := e.inv.Service(src.Namespace, src.Name); svc != nil {
			for _, p := range svc.Spec.Ports {
				ports = append(ports, p.Port)
			}
		} else {
			return eval.Result{}, false
		}
	} else if key, ok := e.entryHost(host); ok && e.entryVisible(key, req.Mesh.Namespace) {
		ports = e.entries[key]
	} else {
		return eval.Result{}, false
	}
	port := req.Port
	if port == 0 && len(ports) > 0 {
		port = ports[0] // what a client dialing the host without a port number picks first
	}
	res := eval.Result{Outcome: eval.Forward, Config: DefaultRouting, RouteIndex: -1, MatchIndex: -1,
		Destinations: []eval.Destination{{Host: host, Port: port, Weight: 100, Source: e.source(host)}}}
	// Default routing still load-balances by the host's DestinationRule (failover order).
	e.orderEndpoints(res.Destinations)
	return res, true
}

// entryHost is the ServiceEntry host that covers host: the host itself, else the most specific
// wildcard host (an ExternalService's *.example.com) matching it.
func (e *Evaluator) entryHost(host string) (string, bool) {
	host = strings.ToLower(host)
	if _, ok := e.entries[host]; ok {
		return host, true
	}
	best, bestLen := "", -1
	for _, h := range sortedKeys(e.entries) {
		if ok, _, length := eval.HostMatch(h, host); ok && strings.HasPrefix(h, "*") && length > bestLen {
			best, bestLen = h, length
		}
	}
	return best, bestLen >= 0
}

// entryScope is where a ServiceEntry lives and the namespaces it is exported to.
type entryScope struct {
	namespace string
	exportTo  []string
}

// entryVisible reports whether a ServiceEntry of host is exported to the sidecars of namespace
// from (Workspaces narrow exportTo; a sidecar outside it does not know the host).
func (e *Evaluator) entryVisible(host, from string) bool {
	return slices.ContainsFunc(e.entryScopes[host], func(s entryScope) bool { return exported(s.exportTo, s.namespace, from) })
}
