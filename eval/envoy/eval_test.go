package envoy

import (
	"testing"

	bootstrapv3 "github.com/envoyproxy/go-control-plane/envoy/config/bootstrap/v3"
	clusterv3 "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	listenerv3 "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	hcmv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	matcherv3 "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/meshroute/meshroute/eval"
	_ "github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/schema"
)

func testSet() *schema.Set {
	s := &schema.Service{Cluster: "c1"}
	s.Metadata = schema.Metadata{Name: "ingress", Namespace: "gw"}
	s.Spec.Ports = []schema.ServicePort{{Port: 80, TargetPort: &schema.IntOrString{Int: 8080}}}
	return &schema.Set{Services: []*schema.Service{s}}
}

func exact(v string) *matcherv3.StringMatcher {
	return &matcherv3.StringMatcher{MatchPattern: &matcherv3.StringMatcher_Exact{Exact: v}}
}

func testBootstrap(t *testing.T) *bootstrapv3.Bootstrap {
	rc := &routev3.RouteConfiguration{Name: "http.8080", VirtualHosts: []*routev3.VirtualHost{
		{Name: "any", Domains: []string{"*"}, Routes: []*routev3.Route{
			{Name: "all", Match: &routev3.RouteMatch{PathSpecifier: &routev3.RouteMatch_Prefix{Prefix: "/"}},
				Action: &routev3.Route_DirectResponse{DirectResponse: &routev3.DirectResponseAction{Status: 404}}},
		}},
		{Name: "wild", Domains: []string{"*.example.com"}, Routes: []*routev3.Route{
			{Name: "api", Match: &routev3.RouteMatch{PathSpecifier: &routev3.RouteMatch_Prefix{Prefix: "/API"}, CaseSensitive: wrapperspb.Bool(false),
				Headers: []*routev3.HeaderMatcher{{Name: ":method", HeaderMatchSpecifier: &routev3.HeaderMatcher_StringMatch{StringMatch: exact("GET")}}}},
				Action: &routev3.Route_Route{Route: &routev3.RouteAction{PrefixRewrite: "/v2", ClusterSpecifier: &routev3.RouteAction_WeightedClusters{WeightedClusters: &routev3.WeightedCluster{
					Clusters: []*routev3.WeightedCluster_ClusterWeight{
						{Name: "outbound|9080|v1|reviews.apps.svc.cluster.local", Weight: wrapperspb.UInt32(75)},
						{Name: "outbound|9080||reviews.apps.svc.c2.global", Weight: wrapperspb.UInt32(25)}}}}}}},
			{Name: "beta", Match: &routev3.RouteMatch{PathSpecifier: &routev3.RouteMatch_Path{Path: "/beta"},
				Headers:         []*routev3.HeaderMatcher{{Name: "x-beta", HeaderMatchSpecifier: &routev3.HeaderMatcher_PresentMatch{PresentMatch: true}}, {Name: "x-old", InvertMatch: true, HeaderMatchSpecifier: &routev3.HeaderMatcher_StringMatch{StringMatch: exact("1")}}},
				QueryParameters: []*routev3.QueryParameterMatcher{{Name: "q", QueryParameterMatchSpecifier: &routev3.QueryParameterMatcher_PresentMatch{PresentMatch: true}}}},
				Action: &routev3.Route_Redirect{Redirect: &routev3.RedirectAction{HostRedirect: "beta.example.com", ResponseCode: routev3.RedirectAction_PERMANENT_REDIRECT}}},
		}},
		{Name: "exact", Domains: []string{"shop.example.com:80", "shop.example.com"}, RequireTls: routev3.VirtualHost_ALL},
	}}
	hcm, err := anypb.New(&hcmv3.HttpConnectionManager{RouteSpecifier: &hcmv3.HttpConnectionManager_RouteConfig{RouteConfig: rc}})
	if err != nil {
		t.Fatal(err)
	}
	return &bootstrapv3.Bootstrap{StaticResources: &bootstrapv3.Bootstrap_StaticResources{
		Clusters: []*clusterv3.Cluster{{Name: "outbound|9080|v1|reviews.apps.svc.cluster.local"}, {Name: "outbound|9080||reviews.apps.svc.c2.global"}},
		Listeners: []*listenerv3.Listener{{
			Name:    "http-8080",
			Address: &corev3.Address{Address: &corev3.Address_SocketAddress{SocketAddress: &corev3.SocketAddress{Address: "0.0.0.0", PortSpecifier: &corev3.SocketAddress_PortValue{PortValue: 8080}}}},
			FilterChains: []*listenerv3.FilterChain{{Filters: []*listenerv3.Filter{{Name: "envoy.filters.network.http_connection_manager",
				ConfigType: &listenerv3.Filter_TypedConfig{TypedConfig: hcm}}}}},
		}}}}
}

func TestEvaluate(t *testing.T) {
	gw := &eval.GatewayRef{Namespace: "gw", Service: "ingress"}
	e := New([]Proxy{{Namespace: "gw", Service: "ingress", Name: "vg", Config: testBootstrap(t)}}, eval.NewInventory(testSet(), "c1"))
	tests := []struct {
		name string
		req  eval.Request
		want eval.Result
	}{
		{"suffix wildcard, case-insensitive prefix, weights", eval.Request{Gateway: gw, Host: "a.example.com", Path: "/api/x"},
			eval.Result{Outcome: eval.Forward, Route: "api", Rewrite: &eval.Rewrite{Path: "/v2/x"}, Destinations: []eval.Destination{
				{Host: "reviews.apps.svc.c2.global", Port: 9080, Weight: 25, Source: eval.Source{Kind: "Service", Namespace: "apps", Name: "reviews", Cluster: "c2"}},
				{Host: "reviews.apps.svc.cluster.local", Port: 9080, Subset: "v1", Weight: 75, Source: eval.Source{Kind: "Service", Namespace: "apps", Name: "reviews", Cluster: "c1"}}}}},
		{"method miss then presence", eval.Request{Gateway: gw, Host: "a.example.com", Path: "/beta?q=1", Method: "POST", Headers: map[string]string{"X-Beta": ""}},
			eval.Result{Outcome: eval.Redirect, Route: "beta", Redirect: &eval.RedirectTo{Host: "beta.example.com", Path: "/beta", Code: 308},
				Misses: []eval.Miss{{Index: 0, Route: "api", Reason: `path /beta does not match prefix "/API" (ignoring case)`}}}},
		{"inverted header", eval.Request{Gateway: gw, Host: "a.example.com", Path: "/beta?q", Headers: map[string]string{"x-beta": "", "x-old": "1"}},
			eval.Result{Outcome: eval.NotFound, Reason: "no route of host a.example.com matches", Misses: []eval.Miss{
				{Index: 0, Route: "api", Reason: `path /beta does not match prefix "/API" (ignoring case)`},
				{Index: 1, Route: "beta", Reason: `header x-old is "1", want it not to match exact "1"`}}}},
		{"query absent", eval.Request{Gateway: gw, Host: "a.example.com", Path: "/beta", Headers: map[string]string{"x-beta": ""}},
			eval.Result{Outcome: eval.NotFound, Reason: "no route of host a.example.com matches", Misses: []eval.Miss{
				{Index: 0, Route: "api", Reason: `path /beta does not match prefix "/API" (ignoring case)`},
				{Index: 1, Route: "beta", Reason: `query parameter q absent, want present`}}}},
		{"exact domain requires TLS", eval.Request{Gateway: gw, Host: "shop.example.com", Path: "/x"},
			eval.Result{Outcome: eval.Redirect, Redirect: &eval.RedirectTo{Scheme: "https", Host: "shop.example.com", Path: "/x", Code: 301}}},
		{"any host", eval.Request{Gateway: gw, Host: "example.com", Path: "/x"},
			eval.Result{Outcome: eval.DirectResponse, Route: "all", DirectResponse: &eval.Response{Status: 404}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.Evaluate(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			// The chosen gateway port is checked in routetest (TestDefaultPort).
			// Policies are checked by routetest on both targets (testdata/routetest).
			got.Config, got.Namespace, got.Name, got.RouteIndex, got.MatchIndex, got.Port, got.Policies = "", "", "", 0, 0, 0, nil
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
		})
	}
	if _, err := e.Evaluate(eval.Request{Mesh: &eval.MeshSource{Namespace: "a"}, Host: "x"}); err == nil {
		t.Error("mesh request on the envoy target: want an error")
	}
}

// TestUndefinedCluster: a route to a cluster the bootstrap does not define is not the expected
// destination (Envoy would answer 503).
func TestUndefinedCluster(t *testing.T) {
	b := testBootstrap(t)
	b.StaticResources.Clusters = nil
	e := New([]Proxy{{Namespace: "gw", Service: "ingress", Name: "vg", Config: b}}, eval.NewInventory(testSet(), "c1"))
	got, err := e.Evaluate(eval.Request{Gateway: &eval.GatewayRef{Namespace: "gw", Service: "ingress"}, Host: "a.example.com", Path: "/api"})
	if err != nil || len(got.Destinations) != 2 || got.Destinations[0].Source.Kind != "" {
		t.Errorf("got %+v %v, want unresolved destinations", got, err)
	}
}
