package gen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/eval"
)

// RequestCase is one request sent through both evaluators in a cluster.
type RequestCase struct {
	Cluster string
	Req     eval.Request
}

// String names the case in a failing test.
func (rc RequestCase) String() string {
	return fmt.Sprintf("%s %s %s:%d%s %v %v", rc.Cluster, rc.Req.Method, rc.Req.Host, rc.Req.Port, rc.Req.Path, rc.Req.Headers, rc.Req.Query)
}

// Comparable keeps what the Istio and Envoy encodings must agree on. Route names agree except
// for the https redirect, which Istio does on the Gateway server and Envoy with a route of its own.
// Whether a destination admits the client is left out: the destinations' sidecars decide it, and
// the Envoy target emits gateways only (docs/envoy.md).
func Comparable(r eval.Result) eval.Result {
	dests := slices.Clone(r.Destinations)
	for i := range dests {
		dests[i].Access = nil
	}
	out := eval.Result{Outcome: r.Outcome, Destinations: dests, Redirect: r.Redirect, DirectResponse: r.DirectResponse, Rewrite: r.Rewrite, Route: r.Route, Policies: r.Policies}
	if r.Outcome == eval.Redirect && r.Redirect.Scheme == "https" {
		out.Route = ""
	}
	return out
}

// Requests derives requests from the model's routes, for every gateway listener (admitting the
// route set or not: elsewhere the request must fall through the same way on both targets) and
// host of every route set: a miss, and per matcher a request meeting all its conditions, one with
// its path alone, and one with the path lower-cased.
func Requests(m *model.Model) []RequestCase {
	var out []RequestCase
	for _, c := range m.Clusters {
		for _, rs := range c.RouteSets {
			for _, g := range rs.Gateways {
				for _, l := range g.Listeners {
					if l.IsL4() {
						out = append(out, connections(c.Name, g, l, rs)...)
						continue
					}
					for _, host := range rs.Hosts {
						base := eval.Request{Gateway: &eval.GatewayRef{Namespace: g.Namespace, Service: g.Service}, Port: l.ServicePort, Host: concrete(host)}
						out = append(out, RequestCase{c.Name, withPath(base, "/nothing-routes-here")})
						for _, r := range rs.Routes {
							if len(r.Matchers) == 0 {
								out = append(out, RequestCase{c.Name, withPath(base, "/")})
							}
							for _, mt := range r.Matchers {
								full := satisfy(base, mt, true)
								out = append(out, RequestCase{c.Name, full}, RequestCase{c.Name, satisfy(base, mt, false)},
									RequestCase{c.Name, withPath(full, strings.ToLower(full.Path))})
							}
						}
					}
				}
			}
		}
	}
	return out
}

// connections are the TCP or TLS connections to TCP or TLS passthrough listener l: one per
// host for TCP (and a TLS one, which a TCP port forwards alike); for TLS one per SNI name of the
// set's tls routes, one with a name no route takes, and a TCP one, which sends no SNI.
func connections(cluster string, g *model.Gateway, l *model.Listener, rs *model.RouteSet) []RequestCase {
	base := eval.Request{Gateway: &eval.GatewayRef{Namespace: g.Namespace, Service: g.Service}, Port: l.ServicePort}
	with := func(protocol, host, sni string) RequestCase {
		r := base
		r.Protocol, r.Host, r.SNI = protocol, host, sni
		return RequestCase{cluster, r}
	}
	var out []RequestCase
	for _, host := range rs.Hosts {
		out = append(out, with(eval.ProtocolTCP, concrete(host), ""))
		if l.Protocol == model.ProtocolTCP {
			out = append(out, with(eval.ProtocolTLS, concrete(host), ""))
		}
	}
	if l.Protocol == model.ProtocolTLS {
		out = append(out, with(eval.ProtocolTLS, "nothing-routes-here.invalid", ""))
		for _, r := range rs.TLSRoutes {
			for _, m := range r.Matchers {
				for _, h := range m.SNIHosts {
					out = append(out, with(eval.ProtocolTLS, concrete(h), ""))
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
		switch {
		case h.Invert:
		case h.Regex:
			r.Headers[h.Name] = "t1"
		case h.Value == "":
			r.Headers[h.Name] = "1"
		default:
			r.Headers[h.Name] = h.Value
		}
	}
	for _, q := range m.Query {
		switch {
		case q.Regex:
			r.Query[q.Name] = "fr"
		case q.Value == "":
			r.Query[q.Name] = "1"
		default:
			r.Query[q.Name] = q.Value
		}
	}
	return r
}
