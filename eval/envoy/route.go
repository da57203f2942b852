package envoy

import (
	"fmt"
	"strings"

	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	matcherv3 "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"

	"github.com/meshroute/meshroute/eval"
)

// firstMatch walks the virtual host's routes in order. Envoy has no OR inside a route, so one
// model route may appear as several consecutive Envoy routes with the same name; the misses
// report each once.
func (e *Evaluator) firstMatch(req eval.Request, vh *routev3.VirtualHost, defined map[string]bool) (eval.Result, error) {
	if vh.GetRequireTls() == routev3.VirtualHost_ALL {
		return eval.Result{Outcome: eval.Redirect, RouteIndex: -1, MatchIndex: -1,
			Redirect: &eval.RedirectTo{Scheme: "https", Host: req.HostName(), Path: req.Path, Code: 301}}, nil
	}
	var misses []eval.Miss
	for i, r := range vh.GetRoutes() {
		reason, err := matchRoute(r.GetMatch(), req)
		if err != nil {
			return eval.Result{}, fmt.Errorf("route %s: %v", r.GetName(), err)
		}
		if reason != "" {
			if n := len(misses); n > 0 && misses[n-1].Route == r.GetName() && r.GetName() != "" {
				misses[n-1].Reason += "; " + reason
			} else {
				misses = append(misses, eval.Miss{Index: i, Route: r.GetName(), Reason: reason})
			}
			continue
		}
		// Drop the misses of earlier Envoy routes of this same model route.
		for len(misses) > 0 && misses[len(misses)-1].Route == r.GetName() && r.GetName() != "" {
			misses = misses[:len(misses)-1]
		}
		res, err := e.action(r, req, defined)
		if err != nil {
			return eval.Result{}, fmt.Errorf("route %s: %v", r.GetName(), err)
		}
		res.Route, res.RouteIndex, res.MatchIndex, res.Misses = r.GetName(), i, -1, misses
		return res, nil
	}
	return eval.Result{Outcome: eval.NotFound, RouteIndex: -1, MatchIndex: -1, Misses: misses,
		Reason: fmt.Sprintf("no route of host %s matches", req.HostName())}, nil
}

// matchRoute checks a route match and returns "" or the first failing condition.
func matchRoute(m *routev3.RouteMatch, req eval.Request) (string, error) {
	caseSensitive := m.GetCaseSensitive() == nil || m.GetCaseSensitive().GetValue()
	var c eval.StringCondition
	switch p := m.GetPathSpecifier().(type) {
	case *routev3.RouteMatch_Prefix:
		c = eval.StringCondition{Kind: "prefix", Value: p.Prefix, IgnoreCase: !caseSensitive}
	case *routev3.RouteMatch_Path:
		c = eval.StringCondition{Kind: "exact", Value: p.Path, IgnoreCase: !caseSensitive}
	case *routev3.RouteMatch_SafeRegex:
		// case_sensitive does not apply to regexes.
		c = eval.StringCondition{Kind: "regex", Value: p.SafeRegex.GetRegex()}
	case *routev3.RouteMatch_PathSeparatedPrefix:
		c = eval.StringCondition{Kind: "prefix", Value: p.PathSeparatedPrefix, IgnoreCase: !caseSensitive}
	default:
		return "", fmt.Errorf("unsupported path specifier %T", p)
	}
	ok, err := c.Match(req.Path)
	if err != nil {
		return "", err
	}
	if sp, isSep := m.GetPathSpecifier().(*routev3.RouteMatch_PathSeparatedPrefix); ok && isSep {
		rest := req.Path[len(sp.PathSeparatedPrefix):]
		ok = rest == "" || rest[0] == '/'
	}
	if !ok {
		return eval.PathReason(req.Path, c), nil
	}
	for _, h := range m.GetHeaders() {
		name := strings.ToLower(h.GetName())
		var v string
		var present bool
		switch name {
		case ":method":
			v, present = req.Method, true
		case ":authority", "host":
			v, present = req.HostName(), true
		case ":path":
			v, present = req.Path, true
		default:
			v, present = req.Headers[name]
		}
		if !present && h.GetTreatMissingHeaderAsEmpty() {
			present = true
		}
		cond, err := headerCondition(h)
		if err != nil {
			return "", err
		}
		what := "header"
		if name == ":method" {
			// A matching method only passes this condition: the later headers and the query
			// parameters must still be checked.
			ok, err := cond.Match(v)
			if err != nil {
				return "", err
			}
			if ok == h.GetInvertMatch() {
				return fmt.Sprintf("method %s, want %s", v, cond), nil
			}
			continue
		}
		if reason, err := eval.CheckAttr(what, name, v, present, cond, h.GetInvertMatch()); err != nil || reason != "" {
			return reason, err
		}
	}
	for _, q := range m.GetQueryParameters() {
		v, present := req.Query[q.GetName()]
		cond := eval.StringCondition{Kind: "present"}
		if sm := q.GetStringMatch(); sm != nil {
			var err error
			if cond, err = stringCondition(sm); err != nil {
				return "", err
			}
		}
		if reason, err := eval.CheckAttr("query parameter", q.GetName(), v, present, cond, false); err != nil || reason != "" {
			return reason, err
		}
	}
	return "", nil
}

func headerCondition(h *routev3.HeaderMatcher) (eval.StringCondition, error) {
	switch s := h.GetHeaderMatchSpecifier().(type) {
	case nil:
		return eval.StringCondition{Kind: "present"}, nil
	case *routev3.HeaderMatcher_PresentMatch:
		if !s.PresentMatch {
			return eval.StringCondition{}, fmt.Errorf("header %s: present_match false is not supported", h.GetName())
		}
		return eval.StringCondition{Kind: "present"}, nil
	case *routev3.HeaderMatcher_ExactMatch:
		return eval.StringCondition{Kind: "exact", Value: s.ExactMatch}, nil
	case *routev3.HeaderMatcher_PrefixMatch:
		return eval.StringCondition{Kind: "prefix", Value: s.PrefixMatch}, nil
	case *routev3.HeaderMatcher_SuffixMatch:
		return eval.StringCondition{Kind: "suffix", Value: s.SuffixMatch}, nil
	case *routev3.HeaderMatcher_ContainsMatch:
		return eval.StringCondition{Kind: "contains", Value: s.ContainsMatch}, nil
	case *routev3.HeaderMatcher_SafeRegexMatch:
		return eval.StringCondition{Kind: "regex", Value: s.SafeRegexMatch.GetRegex()}, nil
	case *routev3.HeaderMatcher_StringMatch:
		return stringCondition(s.StringMatch)
	}
	return eval.StringCondition{}, fmt.Errorf("header %s: unsupported matcher", h.GetName())
}

func stringCondition(sm *matcherv3.StringMatcher) (eval.StringCondition, error) {
	c := eval.StringCondition{IgnoreCase: sm.GetIgnoreCase()}
	switch p := sm.GetMatchPattern().(type) {
	case *matcherv3.StringMatcher_Exact:
		c.Kind, c.Value = "exact", p.Exact
	case *matcherv3.StringMatcher_Prefix:
		c.Kind, c.Value = "prefix", p.Prefix
	case *matcherv3.StringMatcher_Suffix:
		c.Kind, c.Value = "suffix", p.Suffix
	case *matcherv3.StringMatcher_Contains:
		c.Kind, c.Value = "contains", p.Contains
	case *matcherv3.StringMatcher_SafeRegex:
		// Envoy's ignore_case does not apply to regexes.
		c.Kind, c.Value, c.IgnoreCase = "regex", p.SafeRegex.GetRegex(), false
	default:
		return c, fmt.Errorf("unsupported string matcher %T", p)
	}
	return c, nil
}
