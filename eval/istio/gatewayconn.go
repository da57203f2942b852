package istio

import (
	"fmt"
	"slices"

	networking "istio.io/api/networking/v1"

	"github.com/meshroute/meshroute/eval"
)

// gatewayConnection answers a TCP or TLS connection to a gateway Service port, as the gateway's
// listener on the target port would: a TCP server forwards every connection (TLS ones too) by
// the first tcp route of the bound VirtualServices whose match takes the port; on TLS
// passthrough servers the tls matches become one filter chain per SNI name, and the most
// specific name matching the connection's SNI wins (the earlier match on a tie), as Envoy picks
// a filter chain.
func (e *Evaluator) gatewayConnection(req eval.Request) (eval.Result, error) {
	if req.Port == 0 {
		return eval.Result{}, fmt.Errorf("a %s connection through a gateway names the gateway Service port it connects to", req.Protocol)
	}
	svc := e.inv.Service(req.Gateway.Namespace, req.Gateway.Service)
	if svc == nil {
		return eval.Result{}, fmt.Errorf("no Service %s in cluster %s", req.Gateway, e.inv.Cluster)
	}
	svcPort, target, err := e.inv.GatewayPort(*req.Gateway, req.Port, nil)
	if err != nil {
		return eval.Result{}, err
	}
	b := binding{gateways: map[string][]string{}, port: target, svcPort: svcPort}
	tcp := false
	for _, g := range e.selected(svc.Spec.Selector) {
		for _, s := range g.Spec.GetServers() {
			if p := s.GetPort(); p.GetNumber() == target && l4Server(s) {
				b.gateways[g.Namespace+"/"+g.Name] = nil
				tcp = tcp || p.GetProtocol() == "TCP"
			}
		}
	}
	res := eval.Result{Outcome: eval.NotFound, Port: svcPort, RouteIndex: -1, MatchIndex: -1,
		Reason: fmt.Sprintf("no tcp or tls passthrough server on port %d of %s", target, req.Gateway)}
	if len(b.gateways) == 0 {
		return res, nil
	}
	var best *candidate
	var patterns [][]string
	var cands []candidate
	for _, vs := range e.services {
		if !e.binds(vs, b) {
			continue
		}
		if tcp {
			if best = firstTCP(vs, target); best != nil {
				break
			}
			continue
		}
		for i, r := range vs.Spec.GetTls() {
			for j, m := range r.GetMatch() {
				if m.GetPort() == 0 || m.GetPort() == target {
					cands = append(cands, candidate{vs, i, j, r.GetRoute()})
					patterns = append(patterns, m.GetSniHosts())
				}
			}
		}
	}
	switch {
	case tcp && best == nil:
		res.Reason = fmt.Sprintf("no tcp route takes port %d of %s", target, req.Gateway)
		return res, nil
	case tcp: // best is the route
	case req.Protocol != eval.ProtocolTLS:
		res.Reason = fmt.Sprintf("port %d of %s passes TLS through by SNI, and a tcp connection sends none", target, req.Gateway)
		return res, nil
	default:
		i := eval.BestHost(patterns, req.SNI)
		if i < 0 {
			res.Reason = fmt.Sprintf("no tls route on port %d of %s takes SNI %s (routes take %v)", target, req.Gateway, req.SNI, slices.Concat(patterns...))
			return res, nil
		}
		best = &cands[i]
	}
	out := e.forward(best.route)
	out.Config = fmt.Sprintf("VirtualService %s/%s", best.vs.Namespace, best.vs.Name)
	out.Namespace, out.Name, out.RouteIndex, out.MatchIndex, out.Port = best.vs.Namespace, best.vs.Name, best.index, best.match, svcPort
	return out, nil
}

// firstTCP is the first tcp route of vs with a match on port, or with no match (every
// connection, match index -1).
func firstTCP(vs object[*networking.VirtualService], port uint32) *candidate {
	for i, r := range vs.Spec.GetTcp() {
		if len(r.GetMatch()) == 0 {
			return &candidate{vs, i, -1, r.GetRoute()}
		}
		for j, m := range r.GetMatch() {
			if m.GetPort() == 0 || m.GetPort() == port {
				return &candidate{vs, i, j, r.GetRoute()}
			}
		}
	}
	return nil
}

// candidate is a tcp or tls route of a VirtualService and the match that takes a connection.
type candidate struct {
	vs           object[*networking.VirtualService]
	index, match int
	route        []*networking.RouteDestination
}

// selected are the Gateways whose selector picks the pods of a gateway Service with selector.
func (e *Evaluator) selected(selector map[string]string) []object[*networking.Gateway] {
	var out []object[*networking.Gateway]
	for _, g := range e.gateways {
		if len(g.Spec.GetSelector()) > 0 && subset(g.Spec.GetSelector(), selector) {
			out = append(out, g)
		}
	}
	return out
}
