package compiler

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/schema"
)

func TestJoinURI(t *testing.T) {
	prefix := func(v string) *model.URIMatch { return &model.URIMatch{Kind: model.MatchPrefix, Value: v} }
	for _, tc := range []struct {
		name   string
		parent *model.URIMatch
		child  schema.StringMatch
		want   model.URIMatch
	}{
		{"prefix joins with one slash", prefix("/product-1"), schema.StringMatch{Prefix: "/foo"}, model.URIMatch{Kind: "prefix", Value: "/product-1/foo"}},
		{"trailing and leading slash", prefix("/product-1/"), schema.StringMatch{Prefix: "/foo"}, model.URIMatch{Kind: "prefix", Value: "/product-1/foo"}},
		{"no slashes", prefix("/a"), schema.StringMatch{Prefix: "b"}, model.URIMatch{Kind: "prefix", Value: "/a/b"}},
		{"root parent", prefix("/"), schema.StringMatch{Exact: "/x"}, model.URIMatch{Kind: "exact", Value: "/x"}},
		{"exact joins", prefix("/p"), schema.StringMatch{Exact: "/x", IgnoreCase: true}, model.URIMatch{Kind: "exact", Value: "/p/x", IgnoreCase: true}},
		{"regex quoted parent", prefix("/v1.0"), schema.StringMatch{Regex: "^/items/[0-9]+"}, model.URIMatch{Kind: "regex", Value: `/v1\.0/items/[0-9]+`}},
		{"regex without slash", prefix("/a"), schema.StringMatch{Regex: "[a-z]+"}, model.URIMatch{Kind: "regex", Value: `/a[a-z]+`}},
		{"regex alternation stays under the parent", prefix("/shop/"), schema.StringMatch{Regex: "^/items/[0-9]+|/products/[0-9]+"}, model.URIMatch{Kind: "regex", Value: `/shop(?:/items/[0-9]+|/products/[0-9]+)`}},
		{"anchored branches", prefix("/p"), schema.StringMatch{Regex: `^/a|^/b|[|^]x|(c|^d)`}, model.URIMatch{Kind: "regex", Value: `/p(?:/a|/b|[|^]x|(c|^d))`}},
		{"no parent", nil, schema.StringMatch{Regex: "^/x"}, model.URIMatch{Kind: "regex", Value: "^/x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, *joinURI(tc.parent, &tc.child)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestMergeMatcher(t *testing.T) {
	parent := &model.Matcher{
		URI:     &model.URIMatch{Kind: model.MatchPrefix, Value: "/p", IgnoreCase: true},
		Headers: []model.HeaderMatch{{Name: "X-Env", Value: "prod"}},
		Method:  "GET",
	}
	for _, tc := range []struct {
		name        string
		child       schema.HTTPRequestMatcher
		want        *model.Matcher
		contradicts bool
	}{
		{"and-ed", schema.HTTPRequestMatcher{Headers: []schema.HeaderMatcher{{Name: "x-user"}}, QueryParameters: []schema.QueryParameterMatcher{{Name: "q", Value: "1"}}},
			&model.Matcher{URI: parent.URI, Method: "GET", Headers: []model.HeaderMatch{{Name: "X-Env", Value: "prod"}, {Name: "x-user", Present: true}}, Query: []model.QueryMatch{{Name: "q", Value: "1"}}}, false},
		{"same header condition is kept once", schema.HTTPRequestMatcher{Headers: []schema.HeaderMatcher{{Name: "x-env", Value: "prod"}}, Method: "get"},
			&model.Matcher{URI: parent.URI, Method: "GET", Headers: []model.HeaderMatch{{Name: "X-Env", Value: "prod"}}}, false},
		{"child ignoreCase wins", schema.HTTPRequestMatcher{URI: &schema.StringMatch{Prefix: "/c"}},
			&model.Matcher{URI: &model.URIMatch{Kind: "prefix", Value: "/p/c"}, Method: "GET", Headers: parent.Headers}, false},
		{"header contradiction", schema.HTTPRequestMatcher{Headers: []schema.HeaderMatcher{{Name: "x-env", Value: "dev"}}}, nil, true},
		{"inverted header contradiction", schema.HTTPRequestMatcher{Headers: []schema.HeaderMatcher{{Name: "x-env", Value: "prod", InvertMatch: true}}}, nil, true},
		{"method contradiction", schema.HTTPRequestMatcher{Method: "POST"}, nil, true},
		{"presence under a value is the value", schema.HTTPRequestMatcher{Headers: []schema.HeaderMatcher{{Name: "x-env"}}},
			&model.Matcher{URI: parent.URI, Method: "GET", Headers: parent.Headers}, false},
		{"a regex matching the parent's value", schema.HTTPRequestMatcher{Headers: []schema.HeaderMatcher{{Name: "x-env", Value: "prod|stage", Regex: true}}},
			&model.Matcher{URI: parent.URI, Method: "GET", Headers: parent.Headers}, false},
		{"a regex not matching the parent's value", schema.HTTPRequestMatcher{Headers: []schema.HeaderMatcher{{Name: "x-env", Value: "dev|stage", Regex: true}}}, nil, true},
		{"another value inverted is implied", schema.HTTPRequestMatcher{Headers: []schema.HeaderMatcher{{Name: "x-env", Value: "dev", InvertMatch: true}}},
			&model.Matcher{URI: parent.URI, Method: "GET", Headers: []model.HeaderMatch{{Name: "X-Env", Value: "prod"}, {Name: "x-env", Value: "dev", Invert: true}}}, false},
		{"absence contradicts a value", schema.HTTPRequestMatcher{Headers: []schema.HeaderMatcher{{Name: "x-env", InvertMatch: true}}}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, why := mergeMatcher(parent, &tc.child)
			if (why != "") != tc.contradicts {
				t.Fatalf("contradiction %q, want %v", why, tc.contradicts)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Nested delegation: names carry every level, a child reached through two parents yields two
// routes, and the OR of the parent's matchers multiplies with the child's.
// A child asking for a value under a parent asking only for presence narrows it, and the
// narrowed condition is checked against the inverted ones.
func TestMergeMatcherNarrowsPresence(t *testing.T) {
	parent := &model.Matcher{Headers: []model.HeaderMatch{{Name: "x-user", Present: true}, {Name: "x-user", Value: "bot", Invert: true}}, Query: []model.QueryMatch{{Name: "q", Present: true}}}
	got, why := mergeMatcher(parent, &schema.HTTPRequestMatcher{Headers: []schema.HeaderMatcher{{Name: "X-User", Value: "alice"}}, QueryParameters: []schema.QueryParameterMatcher{{Name: "q", Value: "1"}}})
	if why != "" {
		t.Fatal(why)
	}
	want := &model.Matcher{Headers: []model.HeaderMatch{{Name: "x-user", Value: "alice"}, {Name: "x-user", Value: "bot", Invert: true}}, Query: []model.QueryMatch{{Name: "q", Value: "1"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, why := mergeMatcher(parent, &schema.HTTPRequestMatcher{Headers: []schema.HeaderMatcher{{Name: "x-user", Value: "bot"}}}); why == "" {
		t.Error("x-user: bot under x-user not bot: want a contradiction")
	}
	if len(parent.Headers) != 2 || parent.Headers[0].Value != "" {
		t.Errorf("the parent's matcher changed: %+v", parent.Headers)
	}
}

func TestDelegationNames(t *testing.T) {
	root := ingress("root", `- name: shop
  matchers: [{uri: {prefix: /shop}}, {uri: {prefix: /store}}]
  delegate: {routeTables: [{name: mid}]}
- name: api
  matchers: [{uri: {prefix: /api}}]
  delegate: {routeTables: [{name: leaf}]}
`)
	mid := table("mid", "http:\n- name: m\n  matchers: [{uri: {prefix: /v1}}]\n  delegate: {routeTables: [{name: leaf}]}\n")
	leaf := table("leaf", "http:\n- name: get\n  matchers: [{uri: {exact: /items}, method: GET}]\n  directResponse: {status: 200}\n- directResponse: {status: 404}\n")
	m, ds := build(t, root, mid, leaf)
	noErrors(t, ds)
	rs := routeSet(t, m, "c1", "routetable-root-app")
	var got []string
	for _, r := range rs.Routes {
		got = append(got, r.Name)
		for _, mm := range r.Matchers {
			got = append(got, "  "+mm.URI.Kind+" "+mm.URI.Value+" "+mm.Method)
		}
	}
	want := []string{
		"get.leaf.app--m.mid.app--shop.root.app",
		"  exact /shop/v1/items GET",
		"  exact /store/v1/items GET",
		"route-1.leaf.app--m.mid.app--shop.root.app",
		"  prefix /shop/v1 ",
		"  prefix /store/v1 ",
		"get.leaf.app--api.root.app",
		"  exact /api/items GET",
		"route-1.leaf.app--api.root.app",
		"  prefix /api ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if n := len(rs.Routes[0].Chain); n != 3 || rs.Routes[0].Leaf().Table.Name != "leaf" {
		t.Errorf("chain %+v", rs.Routes[0].Chain)
	}
}
