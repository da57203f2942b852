package gen_test

import (
	"fmt"
	"strings"

	"github.com/google/go-cmp/cmp"

	envoyc "github.com/meshroute/meshroute/compiler/envoy"
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/eval"
	"github.com/meshroute/meshroute/internal/gen"
	"github.com/meshroute/meshroute/routetest"
)

// crossCheck sends requests derived from the model's routes through the Istio evaluator (on
// the emitted Istio objects) and the Envoy evaluator (on the emitted bootstraps) and reports
// every disagreement. It reuses routetest.Compile, what `meshroute test` runs.
func crossCheck(res *gen.Result) []string {
	ic, _, err := routetest.Compile(res.Set, routetest.TargetIstio, envoyc.Options{})
	if err != nil || ic == nil {
		return []string{fmt.Sprintf("routetest istio compile: %v", err)}
	}
	ec, _, err := routetest.Compile(res.Set, routetest.TargetEnvoy, envoyc.Options{})
	if err != nil || ec == nil {
		return []string{fmt.Sprintf("routetest envoy compile: %v", err)}
	}
	var errs []string
	for _, rc := range requests(res.Model) {
		a, errA := ic.Evaluate(rc.cluster, rc.req)
		b, errB := ec.Evaluate(rc.cluster, rc.req)
		if (errA == nil) != (errB == nil) {
			errs = append(errs, fmt.Sprintf("%s: istio error %v, envoy error %v", rc, errA, errB))
			continue
		}
		if errA != nil {
			continue
		}
		if diff := cmp.Diff(comparable(a), comparable(b)); diff != "" {
			errs = append(errs, fmt.Sprintf("%s: istio and envoy disagree (-istio +envoy):\n%s", rc, diff))
		}
		if len(errs) >= 5 {
			break
		}
	}
	return errs
}

type requestCase struct {
	cluster string
	req     eval.Request
}

func (rc requestCase) String() string {
	return fmt.Sprintf("%s %s %s:%d%s %v %v", rc.cluster, rc.req.Method, rc.req.Host, rc.req.Port, rc.req.Path, rc.req.Headers, rc.req.Query)
}

// comparable keeps what both encodings must agree on (as routetest's own cross-check): the
// https redirect is a Gateway setting in Istio and a route of its own in Envoy.
func comparable(r eval.Result) eval.Result {
	out := eval.Result{Outcome: r.Outcome, Destinations: r.Destinations, Redirect: r.Redirect, DirectResponse: r.DirectResponse, Rewrite: r.Rewrite, Route: r.Route}
	if r.Outcome == eval.Redirect && r.Redirect.Scheme == "https" {
		out.Route = ""
	}
	return out
}

// requests: for every gateway listener and host of every route set, a miss, and per matcher a
// request meeting all its conditions, one with its path alone, and one in the other case.
func requests(m *model.Model) []requestCase {
	var out []requestCase
	for _, c := range m.Clusters {
		for _, rs := range c.RouteSets {
			for _, g := range rs.Gateways {
				for _, l := range g.Listeners {
					// Every listener, admitting or not: on the others the request must fall
					// through identically on both targets.
					for _, host := range rs.Hosts {
						base := eval.Request{Gateway: &eval.GatewayRef{Namespace: g.Namespace, Service: g.Service}, Port: l.ServicePort, Host: concrete(host)}
						miss := base
						miss.Path = "/nothing-routes-here"
						out = append(out, requestCase{c.Name, miss})
						for _, r := range rs.Routes {
							if len(r.Matchers) == 0 {
								out = append(out, requestCase{c.Name, withPath(base, "/")})
							}
							for _, mt := range r.Matchers {
								full := satisfy(base, mt, true)
								out = append(out, requestCase{c.Name, full}, requestCase{c.Name, satisfy(base, mt, false)},
									requestCase{c.Name, withPath(full, strings.ToLower(full.Path))})
							}
						}
					}
				}
			}
		}
	}
	return out
}

func concrete(host string) string {
	switch {
	case host == "*":
		return "any.example.com"
	case strings.HasPrefix(host, "*"):
		return "a" + host[1:]
	}
	return host
}

func withPath(r eval.Request, p string) eval.Request {
	r.Path = p
	return r
}

// satisfy builds a request meeting the matcher's path and, when full, its other conditions.
func satisfy(base eval.Request, m *model.Matcher, full bool) eval.Request {
	r := base
	r.Path = "/"
	if u := m.URI; u != nil {
		switch u.Kind {
		case model.MatchExact:
			r.Path = u.Value
		case model.MatchPrefix:
			r.Path = strings.TrimSuffix(u.Value, "/") + "/x"
		case model.MatchRegex:
			r.Path = "/api/v1/x"
		}
		if u.IgnoreCase {
			r.Path = strings.ToUpper(r.Path)
		}
	}
	if !full {
		return r
	}
	r.Method = m.Method
	r.Headers, r.Query = map[string]string{}, map[string]string{}
	for _, h := range m.Headers {
		if !h.Invert && !h.Regex {
			r.Headers[h.Name] = h.Value + map[bool]string{true: "1"}[h.Value == ""]
		}
		if h.Regex && !h.Invert {
			r.Headers[h.Name] = "t1"
		}
	}
	for _, q := range m.Query {
		if !q.Regex {
			r.Query[q.Name] = q.Value + map[bool]string{true: "1"}[q.Value == ""]
		} else {
			r.Query[q.Name] = "fr"
		}
	}
	return r
}
