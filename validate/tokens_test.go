package validate

import (
	"testing"

	"github.com/meshroute/meshroute/schema"
)

func TestNameTokens(t *testing.T) {
	table := func(m schema.HTTPRequestMatcher) *schema.Set {
		rt := &schema.RouteTable{Object: schema.Object{Kind: "RouteTable", Metadata: schema.Metadata{Name: "r", Namespace: "ns"}}}
		rt.Spec.HTTP = []schema.HTTPRoute{{Matchers: []schema.HTTPRequestMatcher{m}}}
		return &schema.Set{RouteTables: []*schema.RouteTable{rt}}
	}
	header := func(name string) *schema.Set {
		return table(schema.HTTPRequestMatcher{Headers: []schema.HeaderMatcher{{Name: name}}})
	}
	query := func(name string) *schema.Set {
		return table(schema.HTTPRequestMatcher{QueryParameters: []schema.QueryParameterMatcher{{Name: name}}})
	}
	for _, tc := range []struct {
		name string
		set  *schema.Set
		path string // "" means no finding
		hint string
	}{
		{"header token", header("x-user_id.v2!#$%&'*+^`|~"), "", ""},
		{"pseudo-header", header(":authority"), "", ""},
		{"header with a space", header("x user"), "/spec/http/0/matchers/0/headers/0/name", `"x» «user": remove or replace the marked character (names usually join words with -)`},
		{"header with a colon", header("x-user:"), "/spec/http/0/matchers/0/headers/0/name", `"x-user»:«": remove or replace the marked character (names usually join words with -)`},
		{"unknown pseudo-header", header(":host"), "/spec/http/0/matchers/0/headers/0/name", `"»:«host": remove or replace the marked character (names usually join words with -)`},
		{"header with a slash", header("a/b"), "/spec/http/0/matchers/0/headers/0/name", `"a»/«b": remove or replace the marked character (names usually join words with -)`},
		{"header non-ASCII", header("grüße"), "/spec/http/0/matchers/0/headers/0/name", `"gr»ü«ße": remove or replace the marked character (names usually join words with -)`},
		{"query brackets", query("ids[]"), "", ""},
		{"query with a space", query("page size"), "/spec/http/0/matchers/0/queryParameters/0/name", `"page» «size": remove or replace the marked character (names usually join words with -)`},
		{"query with =", query("a=b"), "/spec/http/0/matchers/0/queryParameters/0/name", `"a»=«b": remove or replace the marked character (names usually join words with -)`},
		{"query with a control character", query("a\x01"), "/spec/http/0/matchers/0/queryParameters/0/name", "\"a»\\x01«\": remove or replace the marked character (names usually join words with -)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := checkNameTokens(newSources(tc.set))
			if tc.path == "" {
				if len(ds) != 0 {
					t.Errorf("unexpected %v", ds)
				}
				return
			}
			if len(ds) != 1 || ds[0].Code != "MR1011" || ds[0].Path != tc.path || ds[0].Hint != tc.hint {
				t.Fatalf("got %v, want one MR1011 at %s with hint %s", ds, tc.path, tc.hint)
			}
		})
	}
}
