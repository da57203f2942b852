package routetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/eval"
)

// TestTargetsAgree feeds the same requests through the Istio and the Envoy evaluators, each on
// its own emitted config, and asserts the same outcome. The requests are derived from the
// routes themselves (one satisfying each matcher, one with only its path), so every route and
// the misses around it are exercised on both encodings.
func TestTargetsAgree(t *testing.T) {
	cases := []string{"seed", "matchers", "actions", "weights", "delegation-labels", "delegation-name",
		"sort-route-specificity", "sort-table-weight", "tls-listeners", "gateway-port-mapping", "gateway-api-path-order"}
	for _, name := range cases {
		t.Run(name, func(t *testing.T) {
			istio := compileCase(t, TargetIstio, "testdata/"+name)
			envoy := compileCase(t, TargetEnvoy, "testdata/"+name)
			n, outcomes := 0, map[string]int{}
			for _, rc := range requests(istio.Model) {
				a, errA := istio.Evaluate(rc.cluster, rc.req)
				b, errB := envoy.Evaluate(rc.cluster, rc.req)
				if (errA == nil) != (errB == nil) {
					t.Errorf("%s: istio error %v, envoy error %v", rc, errA, errB)
					continue
				}
				if errA != nil {
					outcomes["error"]++
					continue
				}
				n++
				outcomes[a.Outcome]++
				if diff := cmp.Diff(comparable(a), comparable(b)); diff != "" {
					t.Errorf("%s: istio and envoy disagree (-istio +envoy):\n%s", rc, diff)
				}
			}
			if n == 0 {
				t.Fatal("no request evaluated")
			}
			t.Logf("%d requests agree: %v", n, outcomes)
		})
	}
}

type requestCase struct {
	cluster string
	req     eval.Request
}

func (rc requestCase) String() string {
	return fmt.Sprintf("%s %s %s:%d%s %v %v", rc.cluster, rc.req.Method, rc.req.Host, rc.req.Port, rc.req.Path, rc.req.Headers, rc.req.Query)
}

// comparable keeps what both encodings must agree on. Route names agree except for the https
// redirect, which Istio does on the Gateway server and Envoy with a route of its own.
func comparable(r eval.Result) eval.Result {
	out := eval.Result{Outcome: r.Outcome, Destinations: r.Destinations, Redirect: r.Redirect, DirectResponse: r.DirectResponse, Rewrite: r.Rewrite, Route: r.Route}
	if r.Outcome == eval.Redirect && r.Redirect.Scheme == "https" {
		out.Route = ""
	}
	return out
}

// requests derives, for every gateway listener and route set host of the model, a request per
// route matcher that satisfies it and one with the path alone.
func requests(m *model.Model) []requestCase {
	var out []requestCase
	for _, c := range m.Clusters {
		for _, rs := range c.RouteSets {
			for _, g := range rs.Gateways {
				for _, l := range g.Listeners {
					for _, host := range rs.Hosts {
						base := eval.Request{Gateway: &eval.GatewayRef{Namespace: g.Namespace, Service: g.Service}, Port: l.ServicePort, Host: concrete(host)}
						out = append(out, requestCase{c.Name, withPath(base, "/nothing-routes-here")})
						for _, r := range rs.Routes {
							for _, mt := range r.Matchers {
								out = append(out, requestCase{c.Name, satisfy(base, mt, true)}, requestCase{c.Name, satisfy(base, mt, false)})
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
	}
	for _, q := range m.Query {
		if !q.Regex {
			r.Query[q.Name] = q.Value + map[bool]string{true: "1"}[q.Value == ""]
		}
	}
	return r
}
