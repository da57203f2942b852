package istio

import (
	networking "istio.io/api/networking/v1"

	"github.com/meshroute/meshroute/eval"
)

// action turns the matched route into its outcome: weighted destinations resolved back to their
// source objects (with rewrites applied to the request), a redirect, or a direct response.
func (e *Evaluator) action(r *networking.HTTPRoute, matchIndex int, req eval.Request) (eval.Result, error) {
	switch {
	case r.GetRedirect() != nil:
		rd := r.GetRedirect()
		to := &eval.RedirectTo{Scheme: rd.GetScheme(), Host: rd.GetAuthority(), Path: rd.GetUri(), Code: rd.GetRedirectCode()}
		if to.Host == "" {
			to.Host = req.HostName()
		}
		if to.Path == "" {
			to.Path = req.Path
		}
		if to.Code == 0 {
			to.Code = 301
		}
		return eval.Result{Outcome: eval.Redirect, Redirect: to}, nil
	case r.GetDirectResponse() != nil:
		dr := r.GetDirectResponse()
		body := dr.GetBody().GetString_()
		if b := dr.GetBody().GetBytes(); len(b) > 0 {
			body = string(b)
		}
		return eval.Result{Outcome: eval.DirectResponse, DirectResponse: &eval.Response{Status: dr.GetStatus(), Body: body}}, nil
	}
	routes := make([]*networking.RouteDestination, 0, len(r.GetRoute()))
	for _, d := range r.GetRoute() {
		routes = append(routes, &networking.RouteDestination{Destination: d.GetDestination(), Weight: d.GetWeight()})
	}
	res := e.forward(routes)
	rw, err := rewrite(r, matchIndex, req)
	if err != nil {
		return eval.Result{}, err
	}
	res.Rewrite = rw
	return res, nil
}

// rewrite applies rewrite.uri (replacing the matched prefix, or the whole path after an exact
// or regex match), uriRegexRewrite and authority.
func rewrite(r *networking.HTTPRoute, matchIndex int, req eval.Request) (*eval.Rewrite, error) {
	rw := r.GetRewrite()
	if rw == nil {
		return nil, nil
	}
	out := &eval.Rewrite{Host: rw.GetAuthority()}
	switch {
	case rw.GetUri() != "":
		prefix := "/"
		whole := false
		if matchIndex >= 0 {
			switch u := r.GetMatch()[matchIndex].GetUri().GetMatchType().(type) {
			case *networking.StringMatch_Prefix:
				prefix = u.Prefix
			case *networking.StringMatch_Exact, *networking.StringMatch_Regex:
				whole = true
			}
		}
		if whole {
			out.Path = rw.GetUri()
		} else {
			out.Path = rw.GetUri() + req.Path[min(len(prefix), len(req.Path)):]
		}
	case rw.GetUriRegexRewrite() != nil:
		p, err := eval.RegexReplace(rw.GetUriRegexRewrite().GetMatch(), rw.GetUriRegexRewrite().GetRewrite(), req.Path)
		if err != nil {
			return nil, err
		}
		out.Path = p
	}
	if out.Path == "" && out.Host == "" {
		return nil, nil
	}
	return out, nil
}
