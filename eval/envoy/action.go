package envoy

import (
	"fmt"
	"strings"

	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"

	"github.com/meshroute/meshroute/eval"
	"github.com/meshroute/meshroute/naming"
)

// action turns the matched route into its outcome, reading cluster names back to destination
// host, port and subset, and applying rewrites to the request.
func (e *Evaluator) action(r *routev3.Route, req eval.Request, defined map[string]bool) (eval.Result, error) {
	switch a := r.GetAction().(type) {
	case *routev3.Route_Redirect:
		rd := a.Redirect
		to := &eval.RedirectTo{Host: rd.GetHostRedirect(), Path: rd.GetPathRedirect(), Code: redirectCode(rd.GetResponseCode())}
		if rd.GetHttpsRedirect() {
			to.Scheme = "https"
		} else if rd.GetSchemeRedirect() != "" {
			to.Scheme = rd.GetSchemeRedirect()
		}
		if to.Host == "" {
			to.Host = req.HostName()
		}
		if to.Path == "" {
			to.Path = req.Path
			if pr := rd.GetPrefixRewrite(); pr != "" {
				to.Path = pr + strings.TrimPrefix(req.Path, matchedPrefix(r.GetMatch(), req.Path))
			}
		}
		return eval.Result{Outcome: eval.Redirect, Redirect: to}, nil
	case *routev3.Route_DirectResponse:
		dr := a.DirectResponse
		body := dr.GetBody().GetInlineString()
		if b := dr.GetBody().GetInlineBytes(); len(b) > 0 {
			body = string(b)
		}
		return eval.Result{Outcome: eval.DirectResponse, DirectResponse: &eval.Response{Status: dr.GetStatus(), Body: body}}, nil
	case *routev3.Route_Route:
		return e.forward(r, a.Route, req, defined)
	}
	return eval.Result{}, fmt.Errorf("unsupported route action %T", r.GetAction())
}

func (e *Evaluator) forward(r *routev3.Route, ra *routev3.RouteAction, req eval.Request, defined map[string]bool) (eval.Result, error) {
	res := eval.Result{Outcome: eval.Forward, Policies: e.policies(r, ra, defined)}
	add := func(cluster string, weight uint32, h *eval.Headers) {
		d := e.destination(cluster, weight, defined)
		d.Headers = h
		res.Destinations = append(res.Destinations, d)
	}
	switch {
	case ra.GetCluster() != "":
		add(ra.GetCluster(), 100, nil)
	case ra.GetWeightedClusters() != nil:
		var total uint32
		for _, c := range ra.GetWeightedClusters().GetClusters() {
			total += c.GetWeight().GetValue()
		}
		for _, c := range ra.GetWeightedClusters().GetClusters() {
			w := c.GetWeight().GetValue()
			if total != 100 && total > 0 {
				// Envoy splits by share of the total; report percentages like Istio's weights.
				w = w * 100 / total
			}
			add(c.GetName(), w, headers(c.GetRequestHeadersToAdd(), c.GetRequestHeadersToRemove(), c.GetResponseHeadersToAdd(), c.GetResponseHeadersToRemove()).NonEmpty())
		}
	default:
		return res, fmt.Errorf("route action without a cluster")
	}
	eval.SortDestinations(res.Destinations)
	rw := &eval.Rewrite{}
	switch {
	case ra.GetPrefixRewrite() != "":
		rw.Path = ra.GetPrefixRewrite() + strings.TrimPrefix(req.Path, matchedPrefix(r.GetMatch(), req.Path))
	case ra.GetRegexRewrite() != nil:
		p, err := eval.RegexReplace(ra.GetRegexRewrite().GetPattern().GetRegex(), ra.GetRegexRewrite().GetSubstitution(), req.Path)
		if err != nil {
			return res, err
		}
		rw.Path = p
	}
	switch {
	case ra.GetHostRewriteLiteral() != "":
		rw.Host = ra.GetHostRewriteLiteral()
	case ra.GetAutoHostRewrite().GetValue() && len(res.Destinations) > 0:
		rw.Host = res.Destinations[0].Host
	}
	if rw.Path != "" || rw.Host != "" {
		res.Rewrite = rw
	}
	return res, nil
}

// destination reads a cluster name back to its host, port, subset and source object.
func (e *Evaluator) destination(cluster string, weight uint32, defined map[string]bool) eval.Destination {
	host, port, subset, _ := naming.ParseEnvoyCluster(cluster)
	src := e.inv.Source(host)
	if !defined[cluster] {
		// Envoy answers 503 for a cluster it does not know: not the destination asked for.
		src = eval.Source{}
	}
	return eval.Destination{Host: host, Port: port, Subset: subset, Weight: weight, Source: src}
}

// matchedPrefix is the part of path a prefix_rewrite replaces: the route's prefix (in the
// request's own case), or the whole path after a path match.
func matchedPrefix(m *routev3.RouteMatch, path string) string {
	switch p := m.GetPathSpecifier().(type) {
	case *routev3.RouteMatch_Prefix:
		return path[:min(len(p.Prefix), len(path))]
	case *routev3.RouteMatch_PathSeparatedPrefix:
		return path[:min(len(p.PathSeparatedPrefix), len(path))]
	}
	return path
}

func redirectCode(c routev3.RedirectAction_RedirectResponseCode) uint32 {
	switch c {
	case routev3.RedirectAction_FOUND:
		return 302
	case routev3.RedirectAction_SEE_OTHER:
		return 303
	case routev3.RedirectAction_TEMPORARY_REDIRECT:
		return 307
	case routev3.RedirectAction_PERMANENT_REDIRECT:
		return 308
	}
	return 301
}
