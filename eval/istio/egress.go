package istio

import (
	"cmp"

	"github.com/meshroute/meshroute/eval"
	"github.com/meshroute/meshroute/naming"
)

// followEgress evaluates the second hop of a mesh request forwarded to a gateway Service of the
// cluster (an egress gateway): the request as forwarded, entering that gateway on the
// destination port. A destination no Gateway serves is an ordinary Service and gets no hop.
func (e *Evaluator) followEgress(req eval.Request, res *eval.Result) {
	if res.Outcome != eval.Forward {
		return
	}
	host, path := req.Host, req.Path
	if rw := res.Rewrite; rw != nil {
		host, path = cmp.Or(rw.Host, host), cmp.Or(rw.Path, path)
	}
	for i := range res.Destinations {
		d := &res.Destinations[i]
		svc, ns, domain, ok := naming.ParseServiceFQDN(d.Host)
		if !ok || domain != e.inv.Domain || !e.isGateway(ns, svc) {
			continue
		}
		hop := req
		hop.Host, hop.Path, hop.Port, hop.Mesh = host, path, d.Port, nil
		hop.Gateway = &eval.GatewayRef{Namespace: ns, Service: svc}
		if out, err := e.Evaluate(hop); err == nil {
			d.Egress = &out
		}
	}
}

// isGateway reports whether some emitted Gateway selects the pods of Service ns/name.
func (e *Evaluator) isGateway(ns, name string) bool {
	svc := e.inv.Service(ns, name)
	if svc == nil {
		return false
	}
	for _, g := range e.gateways {
		if len(g.Spec.GetSelector()) > 0 && subset(g.Spec.GetSelector(), svc.Spec.Selector) {
			return true
		}
	}
	return false
}
