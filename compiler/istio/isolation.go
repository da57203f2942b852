package istio

import (
	"strconv"

	networking "istio.io/api/networking/v1"
	security "istio.io/api/security/v1beta1"
	typev1beta1 "istio.io/api/type/v1beta1"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/render"
)

// SecurityAPIVersion is the Istio security API of the service isolation objects: v1beta1, which
// every Istio release Gloo Mesh 2.x supports serves.
const SecurityAPIVersion = "security.istio.io/v1beta1"

// Service isolation kinds.
const (
	KindAuthorizationPolicy = "AuthorizationPolicy"
	KindPeerAuthentication  = "PeerAuthentication"
	KindSidecar             = "Sidecar"
)

// isolationObjects are, for one isolated Service, per port an AuthorizationPolicy admitting each
// allowed workspace's principals on the pod port and a PeerAuthentication making that port STRICT
// mTLS (Gloo's portLevelMtls shape), and the Sidecar trimming its proxies.
func isolationObjects(is *model.IsolatedService) []render.Object {
	var out []render.Object
	for _, p := range is.Ports {
		var from []*security.Rule_From
		for _, g := range p.Allowed {
			from = append(from, &security.Rule_From{Source: &security.Source{Principals: g.Principals}})
		}
		port := strconv.FormatUint(uint64(p.TargetPort), 10)
		ap := object(KindAuthorizationPolicy, is.Namespace, p.Name, is.Origin, &security.AuthorizationPolicy{
			Selector: &typev1beta1.WorkloadSelector{MatchLabels: is.Selector},
			Action:   security.AuthorizationPolicy_ALLOW,
			Rules: []*security.Rule{{
				From: from,
				To:   []*security.Rule_To{{Operation: &security.Operation{Ports: []string{port}}}},
			}},
		})
		pa := object(KindPeerAuthentication, is.Namespace, p.Name, is.Origin, &security.PeerAuthentication{
			Selector: &typev1beta1.WorkloadSelector{MatchLabels: is.Selector},
			PortLevelMtls: map[uint32]*security.PeerAuthentication_MutualTLS{
				p.TargetPort: {Mode: security.PeerAuthentication_MutualTLS_STRICT},
			},
		})
		ap.APIVersion, pa.APIVersion = SecurityAPIVersion, SecurityAPIVersion
		if p.Narrowed {
			out = append(out, pa)
			continue
		}
		out = append(out, ap, pa)
	}
	if is.Sidecar != nil {
		out = append(out, object(KindSidecar, is.Namespace, is.Sidecar.Name, is.Origin, &networking.Sidecar{
			WorkloadSelector: &networking.WorkloadSelector{Labels: is.Selector},
			Egress:           []*networking.IstioEgressListener{{Hosts: is.Sidecar.Hosts}},
		}))
	}
	return out
}

// accessObject is an AccessPolicy's ALLOW AuthorizationPolicy on one Service port — a rule per
// authorization entry, each limited to the pod port — or the one keeping the Service's other
// ports open (any client on any port but those).
func accessObject(g *model.AccessGrant) render.Object {
	port := strconv.FormatUint(uint64(g.TargetPort), 10)
	var rules []*security.Rule
	if g.Except != nil {
		var except []string
		for _, p := range g.Except {
			except = append(except, strconv.FormatUint(uint64(p), 10))
		}
		rules = append(rules, &security.Rule{To: []*security.Rule_To{{Operation: &security.Operation{NotPorts: except}}}})
	}
	for _, r := range g.Rules {
		rule := &security.Rule{To: []*security.Rule_To{{Operation: &security.Operation{Ports: []string{port}, Paths: r.Paths, Methods: r.Methods}}}}
		if len(r.Principals) > 0 {
			rule.From = []*security.Rule_From{{Source: &security.Source{Principals: r.Principals}}}
		}
		for _, h := range r.Headers {
			rule.When = append(rule.When, &security.Condition{Key: "request.headers[" + h.Name + "]", Values: h.Values, NotValues: h.NotValues})
		}
		rules = append(rules, rule)
	}
	o := object(KindAuthorizationPolicy, g.Namespace, g.Name, g.Origin, &security.AuthorizationPolicy{
		Selector: &typev1beta1.WorkloadSelector{MatchLabels: g.Selector},
		Action:   security.AuthorizationPolicy_ALLOW,
		Rules:    rules,
	})
	o.APIVersion = SecurityAPIVersion
	return o
}
