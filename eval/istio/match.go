package istio

import (
	"fmt"
	"strings"

	networking "istio.io/api/networking/v1"

	"github.com/meshroute/meshroute/eval"
)

// firstMatch walks the routes in order; the first whose match list accepts the request wins.
func (e *Evaluator) firstMatch(req eval.Request, b binding, owners []object[*networking.VirtualService], routes []*networking.HTTPRoute) (eval.Result, error) {
	var misses []eval.Miss
	for i, r := range routes {
		matchIndex, reason, err := matchRoute(r, req, b)
		if err != nil {
			return eval.Result{}, fmt.Errorf("VirtualService %s/%s route %s: %v", owners[i].Namespace, owners[i].Name, r.GetName(), err)
		}
		if reason != "" {
			misses = append(misses, eval.Miss{Index: i, Route: r.GetName(), Reason: reason})
			continue
		}
		res, err := e.action(r, matchIndex, req)
		if err != nil {
			return eval.Result{}, fmt.Errorf("VirtualService %s/%s route %s: %v", owners[i].Namespace, owners[i].Name, r.GetName(), err)
		}
		res.Config = "VirtualService " + owners[i].Namespace + "/" + owners[i].Name
		res.Namespace, res.Name = owners[i].Namespace, owners[i].Name
		res.Route, res.RouteIndex, res.MatchIndex, res.Misses = r.GetName(), i, matchIndex, misses
		return res, nil
	}
	res := eval.Result{Outcome: eval.NotFound, RouteIndex: -1, MatchIndex: -1, Misses: misses,
		Reason: fmt.Sprintf("no route of host %s matches", req.HostName())}
	if len(owners) > 0 {
		res.Config = "VirtualService " + owners[0].Namespace + "/" + owners[0].Name
		res.Namespace, res.Name = owners[0].Namespace, owners[0].Name
	}
	return res, nil
}

// matchRoute returns the index of the first matching match entry (-1 when the route has none,
// matching everything), or the reason none matched.
func matchRoute(r *networking.HTTPRoute, req eval.Request, b binding) (int, string, error) {
	matches := r.GetMatch()
	if len(matches) == 0 {
		return -1, "", nil
	}
	var reasons []string
	for i, m := range matches {
		reason, err := matchOne(m, req, b)
		if err != nil {
			return 0, "", err
		}
		if reason == "" {
			return i, "", nil
		}
		reasons = append(reasons, reason)
	}
	if len(reasons) == 1 {
		return 0, reasons[0], nil
	}
	for i := range reasons {
		reasons[i] = fmt.Sprintf("match %d: %s", i, reasons[i])
	}
	return 0, strings.Join(reasons, "; "), nil
}

// matchOne checks every condition of one match entry (AND) and reports the first failing one,
// in a fixed order so explanations are stable.
func matchOne(m *networking.HTTPMatchRequest, req eval.Request, b binding) (string, error) {
	if u := m.GetUri(); u != nil {
		c := condition(u, m.GetIgnoreUriCase())
		ok, err := c.Match(req.Path)
		if err != nil {
			return "", err
		}
		if !ok {
			return eval.PathReason(req.Path, c), nil
		}
	}
	if meth := m.GetMethod(); meth != nil {
		c := condition(meth, false)
		ok, err := c.Match(req.Method)
		if err != nil {
			return "", err
		}
		if !ok {
			return fmt.Sprintf("method %s, want %s", req.Method, c), nil
		}
	}
	if a := m.GetAuthority(); a != nil {
		c := condition(a, false)
		ok, err := c.Match(req.HostName())
		if err != nil {
			return "", err
		}
		if !ok {
			return fmt.Sprintf("authority %s, want %s", req.HostName(), c), nil
		}
	}
	for _, name := range sortedKeys(m.GetHeaders()) {
		v, present := req.Headers[strings.ToLower(name)]
		if reason, err := eval.CheckAttr("header", name, v, present, condition(m.GetHeaders()[name], false), false); err != nil || reason != "" {
			return reason, err
		}
	}
	for _, name := range sortedKeys(m.GetWithoutHeaders()) {
		v, present := req.Headers[strings.ToLower(name)]
		if reason, err := eval.CheckAttr("header", name, v, present, condition(m.GetWithoutHeaders()[name], false), true); err != nil || reason != "" {
			return reason, err
		}
	}
	for _, name := range sortedKeys(m.GetQueryParams()) {
		v, present := req.Query[name]
		if reason, err := eval.CheckAttr("query parameter", name, v, present, condition(m.GetQueryParams()[name], false), false); err != nil || reason != "" {
			return reason, err
		}
	}
	return proxyReason(m, b), nil
}

// proxyReason checks the conditions of a match entry that depend on the proxy rather than the
// request — port, gateway, source labels and namespace — which istiod applies when it builds the
// proxy's routes; "" when they hold.
func proxyReason(m *networking.HTTPMatchRequest, b binding) string {
	if p := m.GetPort(); p != 0 && p != b.port {
		return fmt.Sprintf("port %d, want %d", b.port, p)
	}
	if gws := m.GetGateways(); len(gws) > 0 {
		ok := false
		for _, g := range gws {
			if _, bound := b.gateways[g]; bound {
				ok = true
			}
		}
		if !ok {
			return fmt.Sprintf("entered through another gateway than %s", strings.Join(gws, ", "))
		}
	}
	if sl := m.GetSourceLabels(); len(sl) > 0 {
		if b.mesh == nil || !subset(sl, b.mesh.Labels) {
			return fmt.Sprintf("source labels do not include %s", labelString(sl))
		}
	}
	if ns := m.GetSourceNamespace(); ns != "" && (b.mesh == nil || b.mesh.Namespace != ns) {
		return fmt.Sprintf("source namespace is not %s", ns)
	}
	return ""
}

// condition reads Istio's StringMatch; an empty one ({}) means "present".
func condition(s *networking.StringMatch, ignoreCase bool) eval.StringCondition {
	switch v := s.GetMatchType().(type) {
	case *networking.StringMatch_Exact:
		return eval.StringCondition{Kind: "exact", Value: v.Exact, IgnoreCase: ignoreCase}
	case *networking.StringMatch_Prefix:
		return eval.StringCondition{Kind: "prefix", Value: v.Prefix, IgnoreCase: ignoreCase}
	case *networking.StringMatch_Regex:
		// Istio applies ignoreUriCase to exact and prefix matches only.
		return eval.StringCondition{Kind: "regex", Value: v.Regex}
	}
	return eval.StringCondition{Kind: "present"}
}

func labelString(l map[string]string) string {
	var parts []string
	for _, k := range sortedKeys(l) {
		parts = append(parts, k+"="+l[k])
	}
	return strings.Join(parts, ",")
}
