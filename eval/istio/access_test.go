package istio

import (
	"strings"
	"testing"

	security "istio.io/api/security/v1beta1"
	typev1beta1 "istio.io/api/type/v1beta1"

	"github.com/meshroute/meshroute/eval"
	"github.com/meshroute/meshroute/render"
)

func TestAuthorization(t *testing.T) {
	allow := func(ns, name string, labels map[string]string, port string, principals ...string) render.Object {
		return render.Object{Kind: "AuthorizationPolicy", Namespace: ns, Name: name, Spec: &security.AuthorizationPolicy{
			Selector: &typev1beta1.WorkloadSelector{MatchLabels: labels},
			Rules: []*security.Rule{{
				From: []*security.Rule_From{{Source: &security.Source{Principals: principals}}},
				To:   []*security.Rule_To{{Operation: &security.Operation{Ports: []string{port}}}},
			}},
		}}
	}
	reviews := map[string]string{"app": "reviews"}
	// rule is a policy "r" on reviews with one rule: "METHOD PATH header=value" or "header!=value".
	rule := func(spec string) render.Object {
		f := strings.Fields(spec)
		cond := &security.Condition{}
		if k, v, ok := strings.Cut(f[2], "!="); ok {
			cond.Key, cond.NotValues = "request.headers["+k+"]", []string{v}
		} else {
			k, v, _ := strings.Cut(f[2], "=")
			cond.Key, cond.Values = "request.headers["+k+"]", []string{v}
		}
		return render.Object{Kind: "AuthorizationPolicy", Namespace: "apps", Name: "r", Spec: &security.AuthorizationPolicy{
			Selector: &typev1beta1.WorkloadSelector{MatchLabels: reviews},
			Rules: []*security.Rule{{
				To:   []*security.Rule_To{{Operation: &security.Operation{Ports: []string{"9080"}, Methods: []string{f[0]}, Paths: []string{f[1]}}}},
				When: []*security.Condition{cond},
			}},
		}}
	}
	withPath := func(r eval.Request, path string, header ...string) eval.Request {
		r.Path = path
		if len(header) == 2 {
			r.Headers = map[string]string{header[0]: header[1]}
		}
		return r
	}
	mesh := eval.Request{Mesh: &eval.MeshSource{Namespace: "apps"}, Host: "reviews.apps.svc.cluster.local", Port: 9080}
	from := func(r eval.Request, ns, sa string) eval.Request {
		r.From = &eval.Identity{Namespace: ns, ServiceAccount: sa}
		return r
	}
	gateway := eval.Request{Gateway: &eval.GatewayRef{Namespace: "gw", Service: "ingress"}, Host: "shop.example.com", Path: "/v1?debug=1"}
	for _, tc := range []struct {
		name     string
		policies []render.Object
		req      eval.Request
		// want: nil = not evaluated; else whether the destination admits the client, and the policy.
		want       *bool
		wantPolicy string
	}{
		{"no identity, not evaluated", []render.Object{allow("apps", "p", reviews, "9080", "c1/ns/apps/sa/x")}, mesh, nil, ""},
		{"no policy admits everyone", nil, from(mesh, "apps", "x"), ptr(true), ""},
		{"listed principal", []render.Object{allow("apps", "p", reviews, "9080", "c1/ns/apps/sa/a", "c1/ns/apps/sa/x")}, from(mesh, "apps", "x"), ptr(true), "apps/p"},
		{"unlisted principal", []render.Object{allow("apps", "p", reviews, "9080", "c1/ns/apps/sa/a")}, from(mesh, "apps", "x"), ptr(false), ""},
		{"another trust domain", []render.Object{allow("apps", "p", reviews, "9080", "c1/ns/apps/sa/x")},
			eval.Request{Mesh: mesh.Mesh, Host: mesh.Host, Port: 9080, From: &eval.Identity{Cluster: "c2", Namespace: "apps", ServiceAccount: "x"}}, ptr(false), ""},
		{"prefix pattern", []render.Object{allow("apps", "p", reviews, "9080", "c1/ns/apps/*")}, from(mesh, "apps", "x"), ptr(true), "apps/p"},
		{"policy for another port refuses", []render.Object{allow("apps", "p", reviews, "9090", "c1/ns/apps/sa/x")}, from(mesh, "apps", "x"), ptr(false), ""},
		{"policy of other workloads does not apply", []render.Object{allow("apps", "p", map[string]string{"app": "ratings"}, "9080")}, from(mesh, "apps", "x"), ptr(true), ""},
		{"policy of another namespace does not apply", []render.Object{allow("other", "p", reviews, "9080")}, from(mesh, "apps", "x"), ptr(true), ""},
		{"a gateway request leaves with the gateway's account", []render.Object{allow("apps", "p", reviews, "9080", "c1/ns/gw/sa/default")}, gateway, ptr(true), "apps/p"},
		{"path, method and header admitted", []render.Object{rule("GET /reviews* x-team=a")}, from(withPath(mesh, "/reviews/1", "x-team", "a"), "apps", "x"), ptr(true), "apps/r"},
		{"path refused", []render.Object{rule("GET /reviews* x-team=a")}, from(withPath(mesh, "/ratings", "x-team", "a"), "apps", "x"), ptr(false), ""},
		{"header value refused", []render.Object{rule("GET /reviews* x-team=a")}, from(withPath(mesh, "/reviews", "x-team", "b"), "apps", "x"), ptr(false), ""},
		{"header missing refused", []render.Object{rule("GET /reviews* x-team=a")}, from(withPath(mesh, "/reviews"), "apps", "x"), ptr(false), ""},
		{"notValues", []render.Object{rule("GET * x-team!=b")}, from(withPath(mesh, "/", "x-team", "b"), "apps", "x"), ptr(false), ""},
		{"notValues, header missing", []render.Object{rule("GET * x-team!=b")}, from(withPath(mesh, "/"), "apps", "x"), ptr(true), "apps/r"},
		{"method refused", []render.Object{rule("POST * x-team!=b")}, from(withPath(mesh, "/"), "apps", "x"), ptr(false), ""},
		{"other ports kept open", []render.Object{{Kind: "AuthorizationPolicy", Namespace: "apps", Name: "o", Spec: &security.AuthorizationPolicy{
			Selector: &typev1beta1.WorkloadSelector{MatchLabels: reviews},
			Rules:    []*security.Rule{{To: []*security.Rule_To{{Operation: &security.Operation{NotPorts: []string{"9090"}}}}}},
		}}}, from(mesh, "apps", "x"), ptr(true), "apps/o"},
		{"excepted port refused", []render.Object{{Kind: "AuthorizationPolicy", Namespace: "apps", Name: "o", Spec: &security.AuthorizationPolicy{
			Selector: &typev1beta1.WorkloadSelector{MatchLabels: reviews},
			Rules:    []*security.Rule{{To: []*security.Rule_To{{Operation: &security.Operation{NotPorts: []string{"9080"}}}}}},
		}}}, from(mesh, "apps", "x"), ptr(false), ""},
		{"gateway refused", []render.Object{allow("apps", "p", reviews, "9080", "c1/ns/gw/sa/other")}, gateway, ptr(false), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := New(append(testObjects(), tc.policies...), eval.NewInventory(testSet(), "c1"))
			res, err := e.Evaluate(tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != eval.Forward || len(res.Destinations) == 0 {
				t.Fatalf("not forwarded: %+v", res)
			}
			var got *eval.Access
			for _, d := range res.Destinations {
				if d.Source.Name == "reviews" {
					got = d.Access
				}
			}
			switch {
			case tc.want == nil && got != nil:
				t.Errorf("evaluated: %+v", got)
			case tc.want != nil && got == nil:
				t.Error("not evaluated")
			case tc.want != nil && (got.Allowed != *tc.want || got.Policy != tc.wantPolicy):
				t.Errorf("got %+v, want allowed %v by %q", got, *tc.want, tc.wantPolicy)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
