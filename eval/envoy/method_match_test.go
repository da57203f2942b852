package envoy

import (
	"testing"

	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	matcherv3 "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"

	"github.com/meshroute/meshroute/eval"
)

// TestMethodMatchChecksLaterConditions: a matching :method header used to end the check, so a
// query parameter after it was ignored and the evaluator disagreed with Envoy (found by the
// property test, internal/gen seed 33).
func TestMethodMatchChecksLaterConditions(t *testing.T) {
	exact := func(v string) *matcherv3.StringMatcher {
		return &matcherv3.StringMatcher{MatchPattern: &matcherv3.StringMatcher_Exact{Exact: v}}
	}
	m := &routev3.RouteMatch{
		PathSpecifier: &routev3.RouteMatch_Prefix{Prefix: "/"},
		Headers: []*routev3.HeaderMatcher{
			{Name: ":method", HeaderMatchSpecifier: &routev3.HeaderMatcher_StringMatch{StringMatch: exact("GET")}},
			{Name: "x-user", HeaderMatchSpecifier: &routev3.HeaderMatcher_StringMatch{StringMatch: exact("alice")}},
		},
		QueryParameters: []*routev3.QueryParameterMatcher{
			{Name: "q", QueryParameterMatchSpecifier: &routev3.QueryParameterMatcher_StringMatch{StringMatch: exact("en")}},
		},
	}
	for _, tt := range []struct {
		name  string
		req   eval.Request
		match bool
	}{
		{"all conditions", eval.Request{Method: "GET", Path: "/", Headers: map[string]string{"x-user": "alice"}, Query: map[string]string{"q": "en"}}, true},
		{"header after method missing", eval.Request{Method: "GET", Path: "/", Query: map[string]string{"q": "en"}}, false},
		{"query missing", eval.Request{Method: "GET", Path: "/", Headers: map[string]string{"x-user": "alice"}}, false},
		{"other method", eval.Request{Method: "POST", Path: "/", Headers: map[string]string{"x-user": "alice"}, Query: map[string]string{"q": "en"}}, false},
	} {
		reason, err := matchRoute(m, tt.req)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if (reason == "") != tt.match {
			t.Errorf("%s: matched %v (reason %q), want %v", tt.name, reason == "", reason, tt.match)
		}
	}
}
