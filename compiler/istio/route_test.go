package istio

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	networking "istio.io/api/networking/v1"

	"github.com/meshroute/meshroute/compiler/model"
)

func prefix(s string) *networking.StringMatch {
	return &networking.StringMatch{MatchType: &networking.StringMatch_Prefix{Prefix: s}}
}

func TestMatches(t *testing.T) {
	web := map[string]string{"app": "web"}
	api := map[string]string{"app": "api"}
	m1 := &model.Matcher{URI: &model.URIMatch{Kind: model.MatchPrefix, Value: "/a"}}
	m2 := &model.Matcher{Method: "GET"}
	tests := []struct {
		name     string
		matchers []*model.Matcher
		sources  []model.SourceSelector
		want     []*networking.HTTPMatchRequest
	}{
		{name: "no matcher matches everything", want: nil},
		{
			name: "every matcher kind",
			matchers: []*model.Matcher{{
				URI: &model.URIMatch{Kind: model.MatchExact, Value: "/Login", IgnoreCase: true},
				Headers: []model.HeaderMatch{
					{Name: "x-user", Value: "alice"},
					{Name: "x-trace", Present: true},
					{Name: "x-canary", Value: "^t.*", Regex: true},
					{Name: "x-debug", Value: "1", Invert: true},
				},
				Query: []model.QueryMatch{
					{Name: "page", Value: "1"},
					{Name: "q", Present: true},
					{Name: "lang", Value: "en|fr", Regex: true},
				},
				Method: "POST",
				Port:   8080,
			}},
			want: []*networking.HTTPMatchRequest{{
				Uri: exact("/Login"), IgnoreUriCase: true,
				Headers: map[string]*networking.StringMatch{
					"x-user": exact("alice"), "x-trace": {}, "x-canary": regex("^t.*"),
				},
				WithoutHeaders: map[string]*networking.StringMatch{"x-debug": exact("1")},
				QueryParams: map[string]*networking.StringMatch{
					"page": exact("1"), "q": regex(".*"), "lang": regex("en|fr"),
				},
				Method: exact("POST"),
				Port:   8080,
			}},
		},
		{
			name:     "regex uri",
			matchers: []*model.Matcher{{URI: &model.URIMatch{Kind: model.MatchRegex, Value: "/v[0-9]+/.*"}}},
			want:     []*networking.HTTPMatchRequest{{Uri: regex("/v[0-9]+/.*")}},
		},
		{
			name:     "inverted presence: the header must be absent",
			matchers: []*model.Matcher{{Headers: []model.HeaderMatch{{Name: "x-internal", Present: true, Invert: true}}}},
			want:     []*networking.HTTPMatchRequest{{WithoutHeaders: map[string]*networking.StringMatch{"x-internal": {}}}},
		},
		{
			name:     "matchers stay OR-ed, in order",
			matchers: []*model.Matcher{m1, m2},
			want:     []*networking.HTTPMatchRequest{{Uri: prefix("/a")}, {Method: exact("GET")}},
		},
		{
			name:    "mesh, no matcher: one match per workload selector",
			sources: []model.SourceSelector{{Labels: web}, {Labels: api}},
			want:    []*networking.HTTPMatchRequest{{SourceLabels: web}, {SourceLabels: api}},
		},
		{
			name:     "mesh: matchers × selectors",
			matchers: []*model.Matcher{m1, m2},
			sources:  []model.SourceSelector{{Labels: web}, {Labels: api}},
			want: []*networking.HTTPMatchRequest{
				{Uri: prefix("/a"), SourceLabels: web},
				{Uri: prefix("/a"), SourceLabels: api},
				{Method: exact("GET"), SourceLabels: web},
				{Method: exact("GET"), SourceLabels: api},
			},
		},
		{
			name:     "mesh: a namespace selector becomes sourceNamespace, AND-ed with its labels",
			matchers: []*model.Matcher{m1},
			sources:  []model.SourceSelector{{Namespace: "shop"}, {Namespace: "web", Labels: web}},
			want: []*networking.HTTPMatchRequest{
				{Uri: prefix("/a"), SourceNamespace: "shop"},
				{Uri: prefix("/a"), SourceNamespace: "web", SourceLabels: web},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := matches(tt.matchers, tt.sources)
			if diff := cmp.Diff(tt.want, got, protocmp.Transform()); diff != "" {
				t.Errorf("matches (-want +got):\n%s", diff)
			}
		})
	}
}

func TestActions(t *testing.T) {
	rewriteTo := "/v2"
	dest := func(host string, port uint32, subset string, weight uint32) *model.Destination {
		return &model.Destination{Host: host, Port: port, Subset: subset, Weight: weight}
	}
	tests := []struct {
		name  string
		route *model.Route
		want  *networking.HTTPRoute
	}{
		{
			name: "single destination carries no weight, even if the model gave it 100",
			route: &model.Route{RouteID: &model.RouteID{Name: "r.t.ns"}, Forward: &model.Forward{Destinations: []*model.Destination{
				dest("reviews.shop.svc.cluster.local", 9080, "version-v1", 100)}}},
			want: &networking.HTTPRoute{Name: "r.t.ns", Route: []*networking.HTTPRouteDestination{{
				Destination: &networking.Destination{Host: "reviews.shop.svc.cluster.local", Subset: "version-v1",
					Port: &networking.PortSelector{Number: 9080}}}}},
		},
		{
			name: "weighted destinations keep the model's weights and order",
			route: &model.Route{RouteID: &model.RouteID{Name: "w.t.ns"}, Forward: &model.Forward{Destinations: []*model.Destination{
				dest("a.ns.svc.cluster.local", 80, "", 34), dest("b.ns.svc.cluster.local", 80, "", 33),
				dest("c.ns.svc.c2.global", 80, "", 33)}}},
			want: &networking.HTTPRoute{Name: "w.t.ns", Route: []*networking.HTTPRouteDestination{
				{Destination: &networking.Destination{Host: "a.ns.svc.cluster.local", Port: &networking.PortSelector{Number: 80}}, Weight: 34},
				{Destination: &networking.Destination{Host: "b.ns.svc.cluster.local", Port: &networking.PortSelector{Number: 80}}, Weight: 33},
				{Destination: &networking.Destination{Host: "c.ns.svc.c2.global", Port: &networking.PortSelector{Number: 80}}, Weight: 33},
			}},
		},
		{
			name: "path and host rewrite",
			route: &model.Route{RouteID: &model.RouteID{Name: "p.t.ns"}, Forward: &model.Forward{
				Destinations: []*model.Destination{dest("a.ns.svc.cluster.local", 80, "", 0)},
				PathRewrite:  &rewriteTo, HostRewrite: "a.internal"}},
			want: &networking.HTTPRoute{Name: "p.t.ns",
				Route: []*networking.HTTPRouteDestination{{Destination: &networking.Destination{
					Host: "a.ns.svc.cluster.local", Port: &networking.PortSelector{Number: 80}}}},
				Rewrite: &networking.HTTPRewrite{Uri: "/v2", Authority: "a.internal"}},
		},
		{
			name: "regex rewrite",
			route: &model.Route{RouteID: &model.RouteID{Name: "x.t.ns"}, Forward: &model.Forward{
				Destinations: []*model.Destination{dest("a.ns.svc.cluster.local", 80, "", 0)},
				RegexRewrite: &model.RegexRewrite{Pattern: "^/api/(.*)$", Substitution: "/\\1"}}},
			want: &networking.HTTPRoute{Name: "x.t.ns",
				Route: []*networking.HTTPRouteDestination{{Destination: &networking.Destination{
					Host: "a.ns.svc.cluster.local", Port: &networking.PortSelector{Number: 80}}}},
				Rewrite: &networking.HTTPRewrite{UriRegexRewrite: &networking.RegexRewrite{Match: "^/api/(.*)$", Rewrite: "/\\1"}}},
		},
		{
			name:  "redirect",
			route: &model.Route{RouteID: &model.RouteID{Name: "d.t.ns"}, Redirect: &model.Redirect{Host: "new.example.com", Path: "/home", Code: 308}},
			want: &networking.HTTPRoute{Name: "d.t.ns",
				Redirect: &networking.HTTPRedirect{Authority: "new.example.com", Uri: "/home", RedirectCode: 308}},
		},
		{
			name:  "direct response with body",
			route: &model.Route{RouteID: &model.RouteID{Name: "b.t.ns"}, DirectResponse: &model.DirectResponse{Status: 503, Body: "down for maintenance"}},
			want: &networking.HTTPRoute{Name: "b.t.ns", DirectResponse: &networking.HTTPDirectResponse{
				Status: 503, Body: &networking.HTTPBody{Specifier: &networking.HTTPBody_String_{String_: "down for maintenance"}}}},
		},
		{
			name:  "direct response without body",
			route: &model.Route{RouteID: &model.RouteID{Name: "e.t.ns"}, DirectResponse: &model.DirectResponse{Status: 204}},
			want:  &networking.HTTPRoute{Name: "e.t.ns", DirectResponse: &networking.HTTPDirectResponse{Status: 204}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := httpRoute(tt.route, nil, nil)
			if diff := cmp.Diff(tt.want, got, protocmp.Transform()); diff != "" {
				t.Errorf("http route (-want +got):\n%s", diff)
			}
		})
	}
}
