package istio

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	security "istio.io/api/security/v1beta1"

	"github.com/meshroute/meshroute/eval"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// authorize decides, for every destination that is a Service of this cluster, whether its
// workloads' ALLOW AuthorizationPolicies admit the client, as the destination's sidecar would:
// no policy selecting the workloads admits everyone; otherwise some rule must admit the request
// (ruleAdmits). meshroute emits ALLOW policies only, which is all this reads.
func (e *Evaluator) authorize(req eval.Request, res *eval.Result) {
	id := e.identity(req)
	if id == nil || res.Outcome != eval.Forward {
		return
	}
	principal := naming.Principal(id.Cluster, id.Namespace, id.ServiceAccount)
	if res.Rewrite != nil && res.Rewrite.Path != "" {
		req.Path = res.Rewrite.Path // the destination's sidecar sees the forwarded path
	}
	for i := range res.Destinations {
		d := &res.Destinations[i]
		if d.Source.Kind != schema.KindService || d.Source.Cluster != e.inv.Cluster {
			continue
		}
		svc := e.inv.Service(d.Source.Namespace, d.Source.Name)
		if svc == nil {
			continue
		}
		port, ok := podPort(svc, d.Port)
		if !ok {
			continue
		}
		d.Access = e.access(svc, port, principal, req)
	}
}

// identity is the request's client: From, else, where the cluster has AuthorizationPolicies, a
// gateway Service's own account.
func (e *Evaluator) identity(req eval.Request) *eval.Identity {
	if req.From != nil {
		id := *req.From
		if id.Cluster == "" {
			id.Cluster = e.inv.Cluster
		}
		return &id
	}
	if req.Gateway != nil && len(e.authz) > 0 {
		if svc := e.inv.Service(req.Gateway.Namespace, req.Gateway.Service); svc != nil {
			return &eval.Identity{Cluster: e.inv.Cluster, Namespace: svc.Namespace(), ServiceAccount: svc.ServiceAccount()}
		}
	}
	return nil
}

// podPort is the numeric target port of the Service port a destination names.
func podPort(svc *schema.Service, port uint32) (uint32, bool) {
	for _, p := range svc.Spec.Ports {
		if p.Port == port {
			n, name := p.Target()
			return n, name == ""
		}
	}
	return 0, false
}

func (e *Evaluator) access(svc *schema.Service, port uint32, principal string, req eval.Request) *eval.Access {
	var applying []string
	for _, ap := range e.authz {
		if ap.Namespace != svc.Namespace() || ap.Spec.GetAction() != security.AuthorizationPolicy_ALLOW ||
			!subset(ap.Spec.GetSelector().GetMatchLabels(), svc.Spec.Selector) {
			continue
		}
		name := ap.Namespace + "/" + ap.Name
		applying = append(applying, name)
		for ri, r := range ap.Spec.GetRules() {
			if ruleAdmits(r, principal, port, req) {
				return &eval.Access{Allowed: true, Principal: principal, Policy: name, Rule: ri,
					Reason: fmt.Sprintf("rule %d of AuthorizationPolicy %s admits %s on port %d", ri, name, principal, port)}
			}
		}
	}
	if len(applying) == 0 {
		return &eval.Access{Allowed: true, Principal: principal, Rule: -1,
			Reason: fmt.Sprintf("no AuthorizationPolicy selects Service %s/%s's workloads: every client is admitted", svc.Namespace(), svc.Name())}
	}
	return &eval.Access{Allowed: false, Principal: principal, Rule: -1,
		Reason: fmt.Sprintf("no rule of AuthorizationPolicy %s admits %s on port %d (403)", strings.Join(applying, ", "), principal, port)}
}

// ruleAdmits matches a rule's sources (any of them; none: any client), operations (any; none:
// any request) and conditions (all): principals, pod port (or ports excluded), path, method and
// request headers, what meshroute emits.
func ruleAdmits(r *security.Rule, principal string, port uint32, req eval.Request) bool {
	from := len(r.GetFrom()) == 0 || slices.ContainsFunc(r.GetFrom(), func(f *security.Rule_From) bool {
		return anyMatches(f.GetSource().GetPrincipals(), principal)
	})
	to := len(r.GetTo()) == 0 || slices.ContainsFunc(r.GetTo(), func(t *security.Rule_To) bool {
		op := t.GetOperation()
		p := strconv.FormatUint(uint64(port), 10)
		return anyMatches(op.GetPorts(), p) && !slices.Contains(op.GetNotPorts(), p) && anyMatches(op.GetPaths(), req.Path) &&
			(len(op.GetMethods()) == 0 || slices.ContainsFunc(op.GetMethods(), func(m string) bool { return strings.EqualFold(m, req.Method) }))
	})
	when := !slices.ContainsFunc(r.GetWhen(), func(c *security.Condition) bool {
		name, ok := strings.CutPrefix(c.GetKey(), "request.headers[")
		value, present := req.Headers[strings.ToLower(strings.TrimSuffix(name, "]"))]
		return !ok || len(c.GetValues()) > 0 && (!present || !anyMatches(c.GetValues(), value)) ||
			present && slices.ContainsFunc(c.GetNotValues(), func(p string) bool { return principalMatches(p, value) })
	})
	return from && to && when
}

// anyMatches reports whether one of Istio's string patterns matches s; an empty list matches
// anything.
func anyMatches(patterns []string, s string) bool {
	return len(patterns) == 0 || slices.ContainsFunc(patterns, func(p string) bool { return principalMatches(p, s) })
}

// principalMatches is Istio's string match for principals, paths and header values: exact, "*",
// a "prefix*" or a "*suffix".
func principalMatches(pattern, principal string) bool {
	switch {
	case pattern == "*":
		return true
	case strings.HasSuffix(pattern, "*"):
		return strings.HasPrefix(principal, strings.TrimSuffix(pattern, "*"))
	case strings.HasPrefix(pattern, "*"):
		return strings.HasSuffix(principal, strings.TrimPrefix(pattern, "*"))
	}
	return pattern == principal
}
