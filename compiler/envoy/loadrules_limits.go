package envoy

import (
	"fmt"
	"regexp/syntax"
	"strconv"
	"strings"

	bootstrapv3 "github.com/envoyproxy/go-control-plane/envoy/config/bootstrap/v3"
	listenerv3 "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	matcherv3 "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	"google.golang.org/protobuf/types/known/structpb"
)

// More load-time rules, for limits Envoy enforces that the protos do not encode.

// checkServerNames: a filter chain's server_names may hold exact names and whole-label wildcards
// ("*.example.com") only; Envoy refuses the listener for a partial wildcard ("*-x.example.com")
// and for "*" (omit server_names to match any name).
func checkServerNames(path string, l *listenerv3.Listener, fail func(string, string, ...any)) {
	for i, fc := range l.GetFilterChains() {
		for _, n := range fc.GetFilterChainMatch().GetServerNames() {
			if strings.Contains(n, "*") && !strings.HasPrefix(n, "*.") {
				fail(fmt.Sprintf("%s.filter_chains[%d].filter_chain_match", path, i),
					"server name %q: Envoy supports only whole-label wildcards (*.example.com) in server_names, and no \"*\"", n)
			}
		}
	}
}

// checkDirectResponseBodies: Envoy refuses a route configuration holding a direct_response body
// longer than its max_direct_response_body_size_bytes (4096 when unset).
func checkDirectResponseBodies(path string, rc *routev3.RouteConfiguration, fail func(string, string, ...any)) {
	limit := uint64(defaultMaxDirectResponseBody)
	if m := rc.GetMaxDirectResponseBodySizeBytes(); m != nil {
		limit = uint64(m.GetValue())
	}
	for i, vh := range rc.GetVirtualHosts() {
		for j, r := range vh.GetRoutes() {
			if n := uint64(len(r.GetDirectResponse().GetBody().GetInlineString())); n > limit {
				fail(fmt.Sprintf("%s.virtual_hosts[%d].routes[%d].direct_response.body", path, i, j),
					"response body size is %d bytes; maximum is %d (max_direct_response_body_size_bytes)", n, limit)
			}
		}
	}
}

// re2ProgramLimit is the program size above which Envoy refuses a regex: the runtime key in the
// bootstrap's static layers (the last one wins, as in Envoy), else Envoy's default.
func re2ProgramLimit(b *bootstrapv3.Bootstrap) int {
	limit := re2ProgramSizeDefault
	for _, l := range b.GetLayeredRuntime().GetLayers() {
		v, ok := l.GetStaticLayer().GetFields()[re2ProgramSizeKey]
		if !ok {
			continue
		}
		switch k := v.GetKind().(type) {
		case *structpb.Value_NumberValue:
			limit = int(k.NumberValue)
		case *structpb.Value_StringValue:
			if n, err := strconv.Atoi(k.StringValue); err == nil {
				limit = n
			}
		}
	}
	return limit
}

// checkRegexes: every regex of a route configuration must compile, with a program no larger
// than limit. Envoy measures RE2's program; Go's regexp is RE2's design and its program size an
// estimate of the same count, close enough to catch a regex far over the limit.
func checkRegexes(path string, rc *routev3.RouteConfiguration, limit int, fail func(string, string, ...any)) {
	check := func(p string, m *matcherv3.RegexMatcher) {
		if m == nil {
			return
		}
		re, err := syntax.Parse(m.GetRegex(), syntax.Perl)
		if err != nil {
			fail(p, "regex %q does not compile: %v", m.GetRegex(), err)
			return
		}
		prog, err := syntax.Compile(re.Simplify())
		if err != nil {
			fail(p, "regex %q does not compile: %v", m.GetRegex(), err)
			return
		}
		if n := len(prog.Inst); n > limit {
			fail(p, "regex %q has an RE2 program size of about %d, over the limit of %d (%s)", m.GetRegex(), n, limit, re2ProgramSizeKey)
		}
	}
	str := func(p string, s *matcherv3.StringMatcher) { check(p+".safe_regex", s.GetSafeRegex()) }
	for i, vh := range rc.GetVirtualHosts() {
		for j, r := range vh.GetRoutes() {
			rp := fmt.Sprintf("%s.virtual_hosts[%d].routes[%d]", path, i, j)
			check(rp+".match.safe_regex", r.GetMatch().GetSafeRegex())
			for k, h := range r.GetMatch().GetHeaders() {
				str(fmt.Sprintf("%s.match.headers[%d].string_match", rp, k), h.GetStringMatch())
			}
			for k, q := range r.GetMatch().GetQueryParameters() {
				str(fmt.Sprintf("%s.match.query_parameters[%d].string_match", rp, k), q.GetStringMatch())
			}
			check(rp+".route.regex_rewrite.pattern", r.GetRoute().GetRegexRewrite().GetPattern())
		}
	}
}
