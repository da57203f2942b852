package envoy

import (
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/naming"
)

// routeConfig builds the route configuration of listeners sharing one port: their virtual hosts,
// in order, as the model resolved them (which sets serve which domain, and in which order their
// routes come, is compiler.Resolve's decision).
func (e *emitter) routeConfig(name string, port uint32, ls []*model.Listener) *routev3.RouteConfiguration {
	rc := &routev3.RouteConfiguration{Name: name}
	for _, l := range ls {
		for _, vh := range l.VirtualHosts {
			routes := []*routev3.Route{httpsRedirectRoute()}
			if !l.HTTPSRedirect {
				routes = e.routes(vh.Routes)
			}
			if len(routes) == 0 {
				continue // only a broken model has a route no action translates (setAction)
			}
			rc.VirtualHosts = append(rc.VirtualHosts, &routev3.VirtualHost{
				Name:    naming.EnvoyVirtualHost(vh.Domain, port),
				Domains: []string{vh.Domain},
				Routes:  routes,
			})
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
