package envoy

import (
	"fmt"
	"slices"
	"strings"

	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/meshroute/meshroute/compiler/model"
)

// routeConfig builds the route configuration of listeners sharing one port: one virtual host per
// domain, where a domain is a route-table host bound to a listener host (as Istio binds a
// VirtualService to a Gateway server). Domains are unique: the first listener, then the first
// route set (by namespace/name) claiming one keeps it — validation reports the clash upstream.
func (e *emitter) routeConfig(name string, port uint32, ls []*model.Listener) *routev3.RouteConfiguration {
	rc := &routev3.RouteConfiguration{Name: name}
	seen := map[string]bool{}
	add := func(domain string, routes []*routev3.Route) {
		key := strings.ToLower(domain)
		if seen[key] || len(routes) == 0 {
			return
		}
		seen[key] = true
		rc.VirtualHosts = append(rc.VirtualHosts, &routev3.VirtualHost{
			Name:    fmt.Sprintf("%s:%d", domain, port),
			Domains: []string{domain},
			Routes:  routes,
		})
	}
	for _, l := range ls {
		if l.HTTPSRedirect {
			for _, h := range l.Hosts {
				add(h, []*routev3.Route{httpsRedirectRoute()})
			}
			continue
		}
		for _, rs := range e.routeSets() {
			if !servedOn(rs, l) {
				continue
			}
			for _, th := range rs.Hosts {
				for _, lh := range l.Hosts {
					if d, ok := model.BindHost(lh, th); ok && !seen[strings.ToLower(d)] {
						add(d, e.routes(rs, port))
					}
				}
			}
		}
	}
	rc.MaxDirectResponseBodySizeBytes = bodyLimit(rc)
	return rc
}

// defaultMaxDirectResponseBody is the largest direct_response body Envoy loads unless the route
// configuration raises max_direct_response_body_size_bytes.
const defaultMaxDirectResponseBody = 4096

// bodyLimit raises the route configuration's direct-response body limit to its largest body
// when that exceeds Envoy's default (the schema admits bodies up to 1 MiB, and Envoy would
// refuse the whole configuration otherwise); nil keeps the default.
func bodyLimit(rc *routev3.RouteConfiguration) *wrapperspb.UInt32Value {
	largest := 0
	for _, vh := range rc.GetVirtualHosts() {
		for _, r := range vh.GetRoutes() {
			largest = max(largest, len(r.GetDirectResponse().GetBody().GetInlineString()))
		}
	}
	if largest <= defaultMaxDirectResponseBody {
		return nil
	}
	return wrapperspb.UInt32(uint32(largest))
}

// routeSets are the ingress route sets bound to the emitter's gateway, in model order.
func (e *emitter) routeSets() []*model.RouteSet {
	var out []*model.RouteSet
	for _, rs := range e.cluster.RouteSets {
		for _, g := range rs.Gateways {
			if g == e.gateway || (g.Namespace == e.gateway.Namespace && g.Name == e.gateway.Name) {
				out = append(out, rs)
				break
			}
		}
	}
	return out
}

// servedOn reports whether the route set is bound to listener l: the model lists the listeners
// whose allowedRouteTables admit the table, and a set must not leak onto the others even where
// the hosts overlap.
func servedOn(rs *model.RouteSet, l *model.Listener) bool {
	return slices.Contains(rs.Listeners, l)
}

// httpsRedirectRoute answers every request with a redirect to the same URL over https.
func httpsRedirectRoute() *routev3.Route {
	return &routev3.Route{
		Name:  "https-redirect",
		Match: &routev3.RouteMatch{PathSpecifier: &routev3.RouteMatch_Prefix{Prefix: "/"}},
		Action: &routev3.Route_Redirect{Redirect: &routev3.RedirectAction{
			SchemeRewriteSpecifier: &routev3.RedirectAction_HttpsRedirect{HttpsRedirect: true},
		}},
	}
}

// toAny packs m for a typed_config. Marshalling a well-formed generated message cannot fail;
// were it to, the nil Any makes Validate fail rather than the process crash.
func toAny(m proto.Message) *anypb.Any {
	a := &anypb.Any{}
	if err := anypb.MarshalFrom(a, m, proto.MarshalOptions{Deterministic: true}); err != nil {
		return nil
	}
	return a
}
