package envoy

import (
	"strings"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	matcherv3 "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/meshroute/meshroute/compiler/model"
)

// routes translates the routes of a virtual host, in the model's order (already cut to what
// applies on the listener's port). A route with several matchers becomes several Envoy routes
// with the same name and action, one per matcher, in order (Envoy has no OR inside a match).
func (e *emitter) routes(routes []*model.Route) []*routev3.Route {
	var out []*routev3.Route
	for _, r := range routes {
		for _, m := range routeMatches(r) {
			rt := &routev3.Route{Name: r.Name, Match: m}
			if e.setAction(rt, r) {
				out = append(out, rt)
			}
		}
	}
	return out
}

// routeMatches are the Envoy matches of r; a route without matchers matches every path.
func routeMatches(r *model.Route) []*routev3.RouteMatch {
	if len(r.Matchers) == 0 {
		return []*routev3.RouteMatch{{PathSpecifier: &routev3.RouteMatch_Prefix{Prefix: "/"}}}
	}
	out := make([]*routev3.RouteMatch, 0, len(r.Matchers))
	for _, m := range r.Matchers {
		out = append(out, routeMatch(m))
	}
	return out
}

func routeMatch(m *model.Matcher) *routev3.RouteMatch {
	rm := &routev3.RouteMatch{}
	u := m.URI
	switch {
	case u == nil:
		rm.PathSpecifier = &routev3.RouteMatch_Prefix{Prefix: "/"}
	case u.Kind == model.MatchExact:
		rm.PathSpecifier = &routev3.RouteMatch_Path{Path: u.Value}
	case u.Kind == model.MatchRegex:
		re := u.Value
		if u.IgnoreCase {
			re = "(?i)" + re // case_sensitive does not apply to safe_regex
		}
		rm.PathSpecifier = &routev3.RouteMatch_SafeRegex{SafeRegex: &matcherv3.RegexMatcher{Regex: re}}
	default:
		rm.PathSpecifier = &routev3.RouteMatch_Prefix{Prefix: u.Value}
	}
	if u != nil && u.IgnoreCase && u.Kind != model.MatchRegex {
		rm.CaseSensitive = wrapperspb.Bool(false)
	}
	for _, h := range m.Headers {
		hm := &routev3.HeaderMatcher{Name: strings.ToLower(h.Name), InvertMatch: h.Invert}
		if h.Present && h.Value == "" {
			hm.HeaderMatchSpecifier = &routev3.HeaderMatcher_PresentMatch{PresentMatch: true}
		} else {
			hm.HeaderMatchSpecifier = &routev3.HeaderMatcher_StringMatch{StringMatch: stringMatch(h.Value, h.Regex)}
			// Envoy fails a value match on a missing header even when inverted; Gloo and Istio
			// exclude only requests whose header matches, so a missing header must pass.
			hm.TreatMissingHeaderAsEmpty = h.Invert
		}
		rm.Headers = append(rm.Headers, hm)
	}
	if m.Method != "" {
		rm.Headers = append(rm.Headers, &routev3.HeaderMatcher{
			Name:                 ":method",
			HeaderMatchSpecifier: &routev3.HeaderMatcher_StringMatch{StringMatch: stringMatch(m.Method, false)},
		})
	}
	for _, q := range m.Query {
		qm := &routev3.QueryParameterMatcher{Name: q.Name}
		if q.Present && q.Value == "" {
			qm.QueryParameterMatchSpecifier = &routev3.QueryParameterMatcher_PresentMatch{PresentMatch: true}
		} else {
			qm.QueryParameterMatchSpecifier = &routev3.QueryParameterMatcher_StringMatch{StringMatch: stringMatch(q.Value, q.Regex)}
		}
		rm.QueryParameters = append(rm.QueryParameters, qm)
	}
	return rm
}

func stringMatch(v string, regex bool) *matcherv3.StringMatcher {
	if regex {
		return &matcherv3.StringMatcher{MatchPattern: &matcherv3.StringMatcher_SafeRegex{SafeRegex: &matcherv3.RegexMatcher{Regex: v}}}
	}
	return &matcherv3.StringMatcher{MatchPattern: &matcherv3.StringMatcher_Exact{Exact: v}}
}

// setAction sets rt's action from r's; false when r has none Envoy could run (the model
// guarantees one, so this only keeps a broken model from producing a broken route).
func (e *emitter) setAction(rt *routev3.Route, r *model.Route) bool {
	switch {
	case r.Forward != nil:
		ra := e.routeAction(r.Forward, rt.Match)
		if ra == nil {
			return false
		}
		rt.Action = &routev3.Route_Route{Route: ra}
		if r.Policies != nil {
			e.setRoutePolicies(rt, ra, r.Policies)
		}
	case r.Redirect != nil:
		ra := &routev3.RedirectAction{HostRedirect: r.Redirect.Host, ResponseCode: redirectCode(r.Redirect.Code)}
		if r.Redirect.Path != "" {
			ra.PathRewriteSpecifier = &routev3.RedirectAction_PathRedirect{PathRedirect: r.Redirect.Path}
		}
		rt.Action = &routev3.Route_Redirect{Redirect: ra}
	case r.DirectResponse != nil:
		dr := &routev3.DirectResponseAction{Status: r.DirectResponse.Status}
		if r.DirectResponse.Body != "" {
			dr.Body = &corev3.DataSource{Specifier: &corev3.DataSource_InlineString{InlineString: r.DirectResponse.Body}}
		}
		rt.Action = &routev3.Route_DirectResponse{DirectResponse: dr}
	default:
		return false
	}
	return true
}

func (e *emitter) routeAction(f *model.Forward, match *routev3.RouteMatch) *routev3.RouteAction {
	// Istio's defaults: no per-route timeout (Envoy's own default would be 15s), and its retries.
	ra := &routev3.RouteAction{Timeout: durationpb.New(0), RetryPolicy: defaultRetryPolicy()}
	switch ds := f.Destinations; len(ds) {
	case 0:
		return nil
	case 1:
		ra.ClusterSpecifier = &routev3.RouteAction_Cluster{Cluster: e.useCluster(ds[0])}
	default:
		wc := &routev3.WeightedCluster{}
		for _, d := range ds {
			wc.Clusters = append(wc.Clusters, &routev3.WeightedCluster_ClusterWeight{
				Name:   e.useCluster(d),
				Weight: wrapperspb.UInt32(d.Weight),
			})
		}
		ra.ClusterSpecifier = &routev3.RouteAction_WeightedClusters{WeightedClusters: wc}
	}
	ra.HashPolicy = hashPolicy(f.Destinations)
	switch {
	case f.PathRewrite != nil && match.GetSafeRegex() != nil:
		// A regex matches the whole path, so the matched part Envoy swaps is all of it.
		ra.RegexRewrite = &matcherv3.RegexMatchAndSubstitute{
			Pattern:      &matcherv3.RegexMatcher{Regex: "^.*$"},
			Substitution: *f.PathRewrite,
		}
	case f.PathRewrite != nil:
		// On a prefix match Envoy swaps the prefix; on a path (exact) match, the whole path.
		ra.PrefixRewrite = *f.PathRewrite
	case f.RegexRewrite != nil:
		ra.RegexRewrite = &matcherv3.RegexMatchAndSubstitute{
			Pattern:      &matcherv3.RegexMatcher{Regex: f.RegexRewrite.Pattern},
			Substitution: f.RegexRewrite.Substitution,
		}
	}
	if f.HostRewrite != "" {
		ra.HostRewriteSpecifier = &routev3.RouteAction_HostRewriteLiteral{HostRewriteLiteral: f.HostRewrite}
	}
	return ra
}

// redirectCode maps an HTTP status to Envoy's enum. The model only holds 301, 302, 303, 307 and
// 308; anything else gets Envoy's default, 301.
func redirectCode(code uint32) routev3.RedirectAction_RedirectResponseCode {
	switch code {
	case 302:
		return routev3.RedirectAction_FOUND
	case 303:
		return routev3.RedirectAction_SEE_OTHER
	case 307:
		return routev3.RedirectAction_TEMPORARY_REDIRECT
	case 308:
		return routev3.RedirectAction_PERMANENT_REDIRECT
	}
	return routev3.RedirectAction_MOVED_PERMANENTLY
}
