package validate

import (
	"fmt"
	"slices"
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// route builds a flattened route named n at line (index) i of table ns/rt.
func route(i int, ms ...*model.Matcher) *model.Route {
	return &model.Route{
		RouteID: &model.RouteID{
			Name:  fmt.Sprintf("r%d.rt.ns", i),
			Chain: []model.Hop{{Table: model.Origin{Kind: "RouteTable", Namespace: "ns", Name: "rt"}, RouteName: fmt.Sprintf("r%d", i), Index: i, Pos: diag.Position{File: "rt.yaml", Line: 10 + i, Col: 3}}},
		},
		Matchers: ms,
	}
}

func prefix(p string) *model.Matcher {
	return &model.Matcher{URI: &model.URIMatch{Kind: model.MatchPrefix, Value: p}}
}
func exact(p string) *model.Matcher {
	return &model.Matcher{URI: &model.URIMatch{Kind: model.MatchExact, Value: p}}
}
func regex(p string) *model.Matcher {
	return &model.Matcher{URI: &model.URIMatch{Kind: model.MatchRegex, Value: p}}
}

func fold(m *model.Matcher) *model.Matcher { m.URI.IgnoreCase = true; return m }
func header(m *model.Matcher, name, value string) *model.Matcher {
	m.Headers = append(m.Headers, model.HeaderMatch{Name: name, Value: value, Present: value == ""})
	return m
}
func method(m *model.Matcher, v string) *model.Matcher { m.Method = v; return m }
func port(m *model.Matcher, p uint32) *model.Matcher   { m.Port = p; return m }
func query(m *model.Matcher, name, value string) *model.Matcher {
	m.Query = append(m.Query, model.QueryMatch{Name: name, Value: value, Present: value == ""})
	return m
}

// finding is "CODE@index<-shadowing index".
func findings(ds []diag.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%s@%d<-%d", d.Code, d.Pos.Line-10, d.Related[0].Pos.Line-10))
	}
	return out
}

func TestShadowedRoutes(t *testing.T) {
	src := newSources(&schema.Set{})
	for _, tc := range []struct {
		name   string
		routes []*model.Route
		want   []string
	}{
		{"shorter prefix first", []*model.Route{route(0, prefix("/api")), route(1, prefix("/api/v1"))}, []string{"MR3002@1<-0"}},
		{"char prefix, not only segments", []*model.Route{route(0, prefix("/ap")), route(1, exact("/api"))}, []string{"MR3002@1<-0"}},
		{"longer prefix first is fine", []*model.Route{route(0, prefix("/api/v1")), route(1, prefix("/api"))}, nil},
		{"exact does not cover prefix", []*model.Route{route(0, exact("/api")), route(1, prefix("/api"))}, nil},
		{"identical is a duplicate", []*model.Route{route(0, prefix("/a")), route(1, prefix("/a"))}, []string{"MR3003@1<-0"}},
		{"identical match-all", []*model.Route{route(0), route(1)}, []string{"MR3003@1<-0"}},
		{"match-all covers everything", []*model.Route{route(0), route(1, regex("/x.*")), route(2, header(exact("/y"), "h", "v"))}, []string{"MR3002@1<-0", "MR3002@2<-0"}},
		{"prefix slash is match-all", []*model.Route{route(0, prefix("/")), route(1, regex("^/a"))}, []string{"MR3002@1<-0"}},
		{"regex covers only the same regex", []*model.Route{route(0, regex("/a.*")), route(1, regex("/a.*")), route(2, regex("/a.+"))}, []string{"MR3003@1<-0"}},
		{"earlier with extra header does not cover", []*model.Route{route(0, header(prefix("/a"), "x", "1")), route(1, prefix("/a/b"))}, nil},
		{"later with extra header is covered", []*model.Route{route(0, prefix("/a")), route(1, header(prefix("/a/b"), "x", "1"))}, []string{"MR3002@1<-0"}},
		{"header presence covers a value", []*model.Route{route(0, header(prefix("/a"), "X-Env", "")), route(1, header(prefix("/a"), "x-env", "dev"))}, []string{"MR3002@1<-0"}},
		{"different header values", []*model.Route{route(0, header(prefix("/a"), "x", "1")), route(1, header(prefix("/a"), "x", "2"))}, nil},
		{"query presence covers a value", []*model.Route{route(0, query(prefix("/a"), "q", "")), route(1, query(prefix("/a/b"), "q", "1"))}, []string{"MR3002@1<-0"}},
		{"method", []*model.Route{route(0, method(prefix("/a"), "GET")), route(1, prefix("/a")), route(2, method(prefix("/a/b"), "GET"))}, []string{"MR3002@2<-0"}},
		{"port", []*model.Route{route(0, port(prefix("/a"), 8080)), route(1, port(prefix("/a"), 8443))}, nil},
		{"ignoreCase earlier covers sensitive later", []*model.Route{route(0, fold(prefix("/API"))), route(1, exact("/api/x"))}, []string{"MR3002@1<-0"}},
		{"sensitive earlier does not cover ignoreCase later", []*model.Route{route(0, prefix("/api")), route(1, fold(exact("/api/x")))}, nil},
		{"sensitive earlier without letters covers ignoreCase later", []*model.Route{route(0, prefix("/1")), route(1, fold(exact("/1/x")))}, []string{"MR3002@1<-0"}},
		{"ignoreCase prefixes differing only in case are identical", []*model.Route{route(0, fold(prefix("/A"))), route(1, fold(prefix("/a")))}, []string{"MR3003@1<-0"}},
		{"ignoreCase exact and sensitive exact differ", []*model.Route{route(0, exact("/a")), route(1, fold(exact("/A")))}, nil},
		{"ignoreCase without letters is the sensitive match", []*model.Route{route(0, prefix("/1")), route(1, fold(prefix("/1")))}, []string{"MR3003@1<-0"}},
		{"regexes keep their case", []*model.Route{route(0, fold(regex("/A.*"))), route(1, fold(regex("/a.*")))}, nil},
		{"every matcher must be covered", []*model.Route{route(0, prefix("/a")), route(1, prefix("/a/b"), prefix("/c"))}, nil},
		{"matchers covered by different routes", []*model.Route{route(0, prefix("/a")), route(1, prefix("/c")), route(2, prefix("/c/d"), exact("/a/b"))}, []string{"MR3002@2<-0"}},
		{"duplicate matchers in any order", []*model.Route{route(0, prefix("/a"), prefix("/b")), route(1, prefix("/b"), prefix("/a"))}, []string{"MR3003@1<-0"}},
		{"earliest shadowing route is named", []*model.Route{route(0, prefix("/a/b")), route(1, prefix("/a")), route(2, exact("/a/b/c"))}, []string{"MR3002@2<-0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := findings(shadowedRoutes(tc.routes, src))
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestShadowRelatedListsEveryCoveringRoute(t *testing.T) {
	routes := []*model.Route{route(0, prefix("/a")), route(1, prefix("/c")), route(2, prefix("/c/d"), exact("/a/b"))}
	ds := shadowedRoutes(routes, newSources(&schema.Set{}))
	if len(ds) != 1 || len(ds[0].Related) != 2 {
		t.Fatalf("want one finding with two related positions, got %v", ds)
	}
	if ds[0].Related[1].Pos.Line != 11 {
		t.Errorf("second related position %v, want line 11 (route r1)", ds[0].Related[1].Pos)
	}
}

func TestSubsetSignaturesBounded(t *testing.T) {
	cs := make([]string, maxSubsetConditions+1)
	for i := range cs {
		cs[i] = fmt.Sprint(i)
	}
	if got := len(subsetSignatures(cs)); got != 2 {
		t.Errorf("%d conditions: %d subsets, want 2 (empty and full)", len(cs), got)
	}
	if got := len(subsetSignatures(cs[:3])); got != 8 {
		t.Errorf("3 conditions: %d subsets, want 8", got)
	}
}

// Two routes are disjoint only when every pair of their matchers provably excludes each other;
// what cannot be compared (regexes) counts as overlapping.
func TestDisjointRoutes(t *testing.T) {
	hdr := func(name, value string, invert bool) *model.Matcher {
		m := header(&model.Matcher{}, name, value)
		m.Headers[0].Invert = invert
		return m
	}
	for _, tc := range []struct {
		name string
		a, b *model.Route
		want bool
	}{
		{"sibling prefixes", route(0, prefix("/api")), route(1, prefix("/web")), true},
		{"nested prefixes", route(0, prefix("/api")), route(1, prefix("/api/v1")), false},
		{"a prefix that is a string prefix", route(0, prefix("/api")), route(1, prefix("/apix")), false},
		{"exact under a prefix", route(0, exact("/api/x")), route(1, prefix("/api")), false},
		{"exact outside a prefix", route(0, exact("/web")), route(1, prefix("/api")), true},
		{"two exacts", route(0, exact("/a")), route(1, exact("/b")), true},
		{"ignoreCase folds both", route(0, fold(prefix("/API"))), route(1, prefix("/api/v1")), false},
		{"no matcher matches everything", route(0), route(1, prefix("/api")), false},
		{"regex counts as overlapping", route(0, regex("/a.*")), route(1, prefix("/b")), false},
		{"different methods", route(0, method(prefix("/"), "GET")), route(1, method(prefix("/"), "POST")), true},
		{"different ports", route(0, port(prefix("/"), 8080)), route(1, port(prefix("/"), 8443)), true},
		{"header values", route(0, header(prefix("/"), "x-env", "prod")), route(1, header(prefix("/"), "X-Env", "dev")), true},
		{"header present and absent", route(0, header(prefix("/"), "x-env", "")), route(1, hdr("x-env", "", true)), true},
		{"header value and not that value", route(0, hdr("x-env", "prod", false)), route(1, hdr("x-env", "prod", true)), true},
		{"header value and not another", route(0, hdr("x-env", "prod", false)), route(1, hdr("x-env", "dev", true)), false},
		{"query values", route(0, query(prefix("/"), "v", "1")), route(1, query(prefix("/"), "v", "2")), true},
		{"one overlapping matcher of several", route(0, prefix("/api"), prefix("/web")), route(1, prefix("/web/x")), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := disjointRoutes(tc.a, tc.b); got != tc.want {
				t.Errorf("disjointRoutes = %v, want %v", got, tc.want)
			}
			if got := disjointRoutes(tc.b, tc.a); got != tc.want {
				t.Errorf("disjointRoutes reversed = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestShadowingOncePerList checks that a route list another cluster already had (the same
// routes and matchers) is not checked again, that a list with other matchers or other routes is,
// and that the findings are those of checking every list.
func TestShadowingOncePerList(t *testing.T) {
	root := model.Origin{Kind: "RouteTable", Namespace: "ns", Name: "rt"}
	first := []*model.Route{route(0, prefix("/a")), route(1, prefix("/a/b")), route(2, prefix("/a/b"))}
	instance := func(rs []*model.Route) []*model.Route { // the same routes in another cluster
		out := make([]*model.Route, len(rs))
		for i, r := range rs {
			c := *r
			out[i] = &c
		}
		return out
	}
	remapped := instance(first) // other matchers (a gateway port remapped): checked again
	remapped[1].Matchers = []*model.Matcher{port(prefix("/a/b"), 8080)}
	m := &model.Model{}
	for i, routes := range [][]*model.Route{first, instance(first), remapped, instance(first)[:2]} {
		m.Clusters = append(m.Clusters, &model.Cluster{Name: fmt.Sprint("c", i), RouteSets: []*model.RouteSet{{Origin: root, Routes: routes}}})
	}
	lists := distinctRouteLists(m)
	if len(lists) != 3 || &lists[1][0] != &remapped[0] || len(lists[2]) != 2 {
		t.Fatalf("checked %d lists, want c0, c2 and c3", len(lists))
	}
	src := newSources(&schema.Set{})
	var every []diag.Diagnostic
	for _, c := range m.Clusters {
		every = append(every, shadowedRoutes(c.RouteSets[0].Routes, src)...)
	}
	got := checkShadowing(m, src)
	diag.Sort(got)
	diag.Sort(every)
	got, every = diag.Dedup(got), diag.Dedup(every)
	if fmt.Sprint(got) != fmt.Sprint(every) || len(got) != 3 {
		t.Errorf("findings %v\nwant %v", findings(got), findings(every))
	}
}
