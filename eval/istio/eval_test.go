package istio

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	networking "istio.io/api/networking/v1"

	"github.com/meshroute/meshroute/eval"
	_ "github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/render"
	"github.com/meshroute/meshroute/schema"
)

func svc(cluster, ns, name string, selector map[string]string, port, target uint32) *schema.Service {
	s := &schema.Service{Cluster: cluster}
	s.Kind, s.Metadata = schema.KindService, schema.Metadata{Name: name, Namespace: ns}
	s.Spec.Selector = selector
	s.Spec.Ports = []schema.ServicePort{{Port: port, TargetPort: &schema.IntOrString{Int: int64(target)}}}
	return s
}

func testSet() *schema.Set {
	vd := &schema.VirtualDestination{}
	vd.Metadata = schema.Metadata{Name: "app-vd", Namespace: "global"}
	vd.Spec.Hosts = []string{"app.example.com"}
	return &schema.Set{
		Services: []*schema.Service{
			svc("c1", "gw", "ingress", map[string]string{"istio": "ingressgateway", "app": "gw"}, 80, 8080),
			svc("c1", "apps", "reviews", map[string]string{"app": "reviews"}, 9080, 9080),
		},
		VirtualDestinations: []*schema.VirtualDestination{vd},
	}
}

func exact(s string) *networking.StringMatch {
	return &networking.StringMatch{MatchType: &networking.StringMatch_Exact{Exact: s}}
}
func prefix(s string) *networking.StringMatch {
	return &networking.StringMatch{MatchType: &networking.StringMatch_Prefix{Prefix: s}}
}
func regex(s string) *networking.StringMatch {
	return &networking.StringMatch{MatchType: &networking.StringMatch_Regex{Regex: s}}
}
func to(host string, port uint32, subset string, weight int32) *networking.HTTPRouteDestination {
	return &networking.HTTPRouteDestination{Weight: weight, Destination: &networking.Destination{
		Host: host, Subset: subset, Port: &networking.PortSelector{Number: port}}}
}

func testObjects() []render.Object {
	return []render.Object{
		{Kind: "ServiceEntry", Namespace: "global", Name: "vd-app-example-com", Spec: &networking.ServiceEntry{Hosts: []string{"app.example.com"}}},
		{Kind: "ServiceEntry", Namespace: "apps", Name: "fed-reviews-apps-c2", Spec: &networking.ServiceEntry{Hosts: []string{"reviews.apps.svc.c2.global"}}},
		{Kind: "Gateway", Namespace: "gw", Name: "vg", Spec: &networking.Gateway{
			Selector: map[string]string{"istio": "ingressgateway"},
			Servers:  []*networking.Server{{Port: &networking.Port{Number: 8080, Name: "http-8080-all", Protocol: "HTTP"}, Hosts: []string{"*"}}},
		}},
		{Kind: "VirtualService", Namespace: "gw", Name: "wild", Spec: &networking.VirtualService{
			Hosts: []string{"*"}, Gateways: []string{"gw/vg"},
			Http: []*networking.HTTPRoute{
				{Name: "vd", Match: []*networking.HTTPMatchRequest{{Uri: prefix("/app")}}, Route: []*networking.HTTPRouteDestination{to("app.example.com", 8080, "", 0)}},
			},
		}},
		{Kind: "VirtualService", Namespace: "gw", Name: "shop", Spec: &networking.VirtualService{
			Hosts: []string{"shop.example.com"}, Gateways: []string{"gw/vg"},
			Http: []*networking.HTTPRoute{
				{Name: "beta", Match: []*networking.HTTPMatchRequest{{Uri: prefix("/"), Headers: map[string]*networking.StringMatch{"x-beta": exact("1")}}},
					Route: []*networking.HTTPRouteDestination{to("reviews.apps.svc.cluster.local", 9080, "version-v2", 0)}},
				{Name: "split", Match: []*networking.HTTPMatchRequest{{Uri: regex("/api/v[0-9]+"), Method: exact("POST")}},
					Route: []*networking.HTTPRouteDestination{to("reviews.apps.svc.cluster.local", 9080, "version-v1", 90), to("reviews.apps.svc.c2.global", 9080, "", 10)}},
				{Name: "old", Match: []*networking.HTTPMatchRequest{{Uri: exact("/old"), IgnoreUriCase: true}},
					Redirect: &networking.HTTPRedirect{Uri: "/new", Authority: "new.example.com", RedirectCode: 302}},
				{Name: "teapot", Match: []*networking.HTTPMatchRequest{{Uri: prefix("/tea"), WithoutHeaders: map[string]*networking.StringMatch{"x-coffee": {}}}},
					DirectResponse: &networking.HTTPDirectResponse{Status: 418, Body: &networking.HTTPBody{Specifier: &networking.HTTPBody_String_{String_: "short and stout"}}}},
				{Name: "rw", Match: []*networking.HTTPMatchRequest{{Uri: prefix("/v1"), QueryParams: map[string]*networking.StringMatch{"debug": regex(".*")}}},
					Rewrite: &networking.HTTPRewrite{Uri: "/internal", Authority: "int.example.com"},
					Route:   []*networking.HTTPRouteDestination{to("reviews.apps.svc.cluster.local", 9080, "", 0)}},
			},
		}},
		{Kind: "VirtualService", Namespace: "apps", Name: "mesh", Spec: &networking.VirtualService{
			Hosts: []string{"reviews.apps.svc.cluster.local"},
			Http: []*networking.HTTPRoute{
				{Name: "from-a", Match: []*networking.HTTPMatchRequest{{SourceLabels: map[string]string{"app": "a"}, Port: 9080}},
					Route: []*networking.HTTPRouteDestination{to("reviews.apps.svc.cluster.local", 9080, "version-v3", 0)}},
			},
		}},
	}
}

func TestEvaluate(t *testing.T) {
	gw := &eval.GatewayRef{Namespace: "gw", Service: "ingress"}
	reviews := eval.Source{Kind: "Service", Namespace: "apps", Name: "reviews", Cluster: "c1"}
	tests := []struct {
		name string
		req  eval.Request
		want eval.Result
	}{
		{"wildcard host to VD", eval.Request{Gateway: gw, Host: "any.test", Path: "/app/x"},
			eval.Result{Outcome: eval.Forward, Route: "vd", Config: "VirtualService gw/wild", Destinations: []eval.Destination{{Host: "app.example.com", Port: 8080, Weight: 100, Source: eval.Source{Kind: "VirtualDestination", Namespace: "global", Name: "app-vd"}}}}},
		{"exact host beats wildcard: 404", eval.Request{Gateway: gw, Host: "shop.example.com:80", Path: "/app/x"},
			eval.Result{Outcome: eval.NotFound, Config: "VirtualService gw/shop", Reason: "no route of host shop.example.com matches"}},
		{"header condition", eval.Request{Gateway: gw, Host: "shop.example.com", Path: "/a", Headers: map[string]string{"X-Beta": "1"}},
			eval.Result{Outcome: eval.Forward, Route: "beta", Config: "VirtualService gw/shop", Destinations: []eval.Destination{{Host: "reviews.apps.svc.cluster.local", Port: 9080, Subset: "version-v2", Weight: 100, Source: reviews}}}},
		{"regex and method, weights", eval.Request{Gateway: gw, Host: "shop.example.com", Path: "/api/v2", Method: "post"},
			eval.Result{Outcome: eval.Forward, Route: "split", Config: "VirtualService gw/shop", Destinations: []eval.Destination{
				{Host: "reviews.apps.svc.c2.global", Port: 9080, Weight: 10, Source: eval.Source{Kind: "Service", Namespace: "apps", Name: "reviews", Cluster: "c2"}},
				{Host: "reviews.apps.svc.cluster.local", Port: 9080, Subset: "version-v1", Weight: 90, Source: reviews}}}},
		{"regex is a full match", eval.Request{Gateway: gw, Host: "shop.example.com", Path: "/api/v2/x", Method: "POST"},
			eval.Result{Outcome: eval.NotFound, Config: "VirtualService gw/shop", Reason: "no route of host shop.example.com matches"}},
		{"redirect ignoring case", eval.Request{Gateway: gw, Host: "shop.example.com", Path: "/OLD"},
			eval.Result{Outcome: eval.Redirect, Route: "old", Config: "VirtualService gw/shop", Redirect: &eval.RedirectTo{Host: "new.example.com", Path: "/new", Code: 302}}},
		{"without header", eval.Request{Gateway: gw, Host: "shop.example.com", Path: "/tea"},
			eval.Result{Outcome: eval.DirectResponse, Route: "teapot", Config: "VirtualService gw/shop", DirectResponse: &eval.Response{Status: 418, Body: "short and stout"}}},
		{"without header present", eval.Request{Gateway: gw, Host: "shop.example.com", Path: "/tea", Headers: map[string]string{"x-coffee": ""}},
			eval.Result{Outcome: eval.NotFound, Config: "VirtualService gw/shop", Reason: "no route of host shop.example.com matches"}},
		{"query presence and prefix rewrite", eval.Request{Gateway: gw, Host: "shop.example.com", Path: "/v1/items?debug"},
			eval.Result{Outcome: eval.Forward, Route: "rw", Config: "VirtualService gw/shop", Rewrite: &eval.Rewrite{Path: "/internal/items", Host: "int.example.com"},
				Destinations: []eval.Destination{{Host: "reviews.apps.svc.cluster.local", Port: 9080, Weight: 100, Source: reviews}}}},
		{"mesh source labels", eval.Request{Mesh: &eval.MeshSource{Namespace: "apps", Labels: map[string]string{"app": "a"}}, Host: "reviews.apps.svc.cluster.local", Port: 9080},
			eval.Result{Outcome: eval.Forward, Route: "from-a", Config: "VirtualService apps/mesh", Destinations: []eval.Destination{{Host: "reviews.apps.svc.cluster.local", Port: 9080, Subset: "version-v3", Weight: 100, Source: reviews}}}},
		// Every match of the mesh VirtualService names other source labels: istiod gives this
		// sidecar none of its routes, so the Service's default routing applies.
		{"mesh other source", eval.Request{Mesh: &eval.MeshSource{Namespace: "apps", Labels: map[string]string{"app": "b"}}, Host: "reviews.apps.svc.cluster.local", Port: 9080},
			eval.Result{Outcome: eval.Forward, Config: "default routing (no VirtualService for this host applies to this sidecar)", Destinations: []eval.Destination{{Host: "reviews.apps.svc.cluster.local", Port: 9080, Weight: 100, Source: reviews}}}},
	}
	e := New(testObjects(), eval.NewInventory(testSet(), "c1"))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.Evaluate(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			// The chosen gateway port is checked in routetest (TestDefaultPort).
			// Policies are checked in TestPolicies.
			got.Misses, got.Namespace, got.Name, got.RouteIndex, got.MatchIndex, got.Port, got.Policies = nil, "", "", 0, 0, 0, nil
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
		})
	}
}

func TestMissReasons(t *testing.T) {
	e := New(testObjects(), eval.NewInventory(testSet(), "c1"))
	got, err := e.Evaluate(eval.Request{Gateway: &eval.GatewayRef{Namespace: "gw", Service: "ingress"}, Host: "shop.example.com", Path: "/v1/x", Headers: map[string]string{"x-coffee": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []eval.Miss{
		{Index: 0, Route: "beta", Reason: `header x-beta absent, want exact "1"`},
		{Index: 1, Route: "split", Reason: `path /v1/x does not match regex "/api/v[0-9]+"`},
		{Index: 2, Route: "old", Reason: `path /v1/x does not match exact "/old" (ignoring case)`},
		{Index: 3, Route: "teapot", Reason: `path /v1/x does not match prefix "/tea"`},
		{Index: 4, Route: "rw", Reason: `query parameter debug absent, want regex ".*"`},
	}
	if diff := cmp.Diff(want, got.Misses); diff != "" {
		t.Errorf("-want +got:\n%s", diff)
	}
}

func TestGatewayErrors(t *testing.T) {
	e := New(testObjects(), eval.NewInventory(testSet(), "c1"))
	for _, req := range []eval.Request{
		{Gateway: &eval.GatewayRef{Namespace: "gw", Service: "nope"}, Host: "a"},
		{Gateway: &eval.GatewayRef{Namespace: "gw", Service: "ingress"}, Host: "a", Port: 443},
		{Host: "a"},
	} {
		if _, err := e.Evaluate(req); err == nil {
			t.Errorf("%+v: want an error", req)
		}
	}
}

func TestMeshShortHostAndRegexCase(t *testing.T) {
	e := New(append(testObjects(), render.Object{Kind: "VirtualService", Namespace: "gw", Name: "re", Spec: &networking.VirtualService{
		Hosts: []string{"re.example.com"}, Gateways: []string{"vg"},
		Http: []*networking.HTTPRoute{{Name: "r", Match: []*networking.HTTPMatchRequest{{Uri: regex("/a"), IgnoreUriCase: true}},
			DirectResponse: &networking.HTTPDirectResponse{Status: 200}}},
	}}), eval.NewInventory(testSet(), "c1"))
	got, err := e.Evaluate(eval.Request{Mesh: &eval.MeshSource{Namespace: "apps", Labels: map[string]string{"app": "a"}}, Host: "reviews", Port: 9080})
	if err != nil || got.Route != "from-a" {
		t.Errorf("short mesh host: %+v %v", got, err)
	}
	gw := &eval.GatewayRef{Namespace: "gw", Service: "ingress"}
	for path, want := range map[string]string{"/a": eval.DirectResponse, "/A": eval.NotFound} {
		got, err := e.Evaluate(eval.Request{Gateway: gw, Host: "re.example.com", Path: path})
		if err != nil || got.Outcome != want {
			t.Errorf("%s: %s %v, want %s (ignoreUriCase does not apply to regex; short gateway name binds)", path, got.Outcome, err, want)
		}
	}
}

// TestMissingServiceEntry: a VirtualDestination host without its ServiceEntry does not resolve,
// so a test expecting the VirtualDestination fails on what ships.
func TestMissingServiceEntry(t *testing.T) {
	e := New(testObjects()[1:], eval.NewInventory(testSet(), "c1"))
	got, err := e.Evaluate(eval.Request{Gateway: &eval.GatewayRef{Namespace: "gw", Service: "ingress"}, Host: "x", Path: "/app"})
	if err != nil || len(got.Destinations) != 1 || got.Destinations[0].Source.Kind != "" {
		t.Errorf("got %+v %v, want an unresolved destination", got, err)
	}
}

// TestMeshDefaultRouting: a mesh request for a host no VirtualService applying to the sidecar
// covers goes to the host itself when the mesh knows it (a Service of the cluster, by FQDN or
// short name in the caller's namespace; a ServiceEntry host); an unknown host is not found.
func TestMeshDefaultRouting(t *testing.T) {
	e := New(testObjects(), eval.NewInventory(testSet(), "c1"))
	src := func(ns string) *eval.MeshSource {
		return &eval.MeshSource{Namespace: ns, Labels: map[string]string{"app": "x"}}
	}
	ingress := eval.Source{Kind: "Service", Namespace: "gw", Name: "ingress", Cluster: "c1"}
	vd := eval.Source{Kind: "VirtualDestination", Namespace: "global", Name: "app-vd"}
	for _, tt := range []struct {
		name string
		req  eval.Request
		want []eval.Destination // nil: not found
	}{
		{"service fqdn", eval.Request{Mesh: src("apps"), Host: "ingress.gw.svc.cluster.local"},
			[]eval.Destination{{Host: "ingress.gw.svc.cluster.local", Port: 80, Weight: 100, Source: ingress}}},
		{"short name in the caller's namespace", eval.Request{Mesh: src("gw"), Host: "ingress", Port: 80},
			[]eval.Destination{{Host: "ingress.gw.svc.cluster.local", Port: 80, Weight: 100, Source: ingress}}},
		{"virtual destination host", eval.Request{Mesh: src("apps"), Host: "app.example.com", Port: 8080},
			[]eval.Destination{{Host: "app.example.com", Port: 8080, Weight: 100, Source: vd}}},
		{"short name of another namespace", eval.Request{Mesh: src("apps"), Host: "ingress"}, nil},
		{"unknown host", eval.Request{Mesh: src("apps"), Host: "nowhere.example.com"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.Evaluate(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == nil {
				if got.Outcome != eval.NotFound {
					t.Errorf("want not found, got %+v", got)
				}
				return
			}
			if got.Outcome != eval.Forward || got.Config != DefaultRouting || got.Route != "" {
				t.Errorf("want default routing, got %+v", got)
			}
			if diff := cmp.Diff(tt.want, got.Destinations); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
		})
	}
}

// A VirtualService none of whose routes applies to the listener's port gives Istio no virtual
// host there, so the request falls through to the wildcard VirtualService instead of a 404.
func TestVirtualServiceWithoutRoutesForPortFallsThrough(t *testing.T) {
	objs := testObjects()
	for _, o := range objs {
		if o.Name == "shop" {
			for _, r := range o.Spec.(*networking.VirtualService).Http {
				for _, m := range r.Match {
					m.Port = 8443
				}
			}
		}
	}
	e := New(objs, eval.NewInventory(testSet(), "c1"))
	got, err := e.Evaluate(eval.Request{Gateway: &eval.GatewayRef{Namespace: "gw", Service: "ingress"}, Host: "shop.example.com", Path: "/app/x"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Outcome != eval.Forward || got.Config != "VirtualService gw/wild" {
		t.Errorf("got %s via %q, want forward via VirtualService gw/wild", got.Outcome, got.Config)
	}
}
