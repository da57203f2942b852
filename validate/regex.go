package validate

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// checkRegexes reports regular expressions Envoy's RE2 would refuse (MR4004) and pathRewrite on
// a route matched by a regex (MR4003: Istio cannot rewrite a prefix it never matched). Both
// are properties of one source route, so they are checked on the tables as written: a child
// table is checked even when no root reaches it, and the position is the field itself.
func checkRegexes(src *sources) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, rt := range src.set.RouteTables {
		for i, r := range rt.Spec.HTTP {
			base := routePath(i)
			regexMatcher := -1
			for j, m := range r.Matchers {
				mp := fmt.Sprintf("%s/matchers/%d", base, j)
				if m.URI != nil && m.URI.Regex != "" {
					ds = appendBadRegex(ds, rt, mp+"/uri/regex", "uri regex", m.URI.Regex)
					if regexMatcher < 0 {
						regexMatcher = j
					}
				}
				for k, h := range m.Headers {
					if h.Regex && h.Value != "" {
						ds = appendBadRegex(ds, rt, fmt.Sprintf("%s/headers/%d/value", mp, k), "header "+h.Name+" regex", h.Value)
					}
				}
				for k, q := range m.QueryParameters {
					if q.Regex && q.Value != "" {
						ds = appendBadRegex(ds, rt, fmt.Sprintf("%s/queryParameters/%d/value", mp, k), "query parameter "+q.Name+" regex", q.Value)
					}
				}
			}
			f := r.ForwardTo
			if f == nil {
				continue
			}
			if f.RegexRewrite != nil && f.RegexRewrite.Pattern.Regex != "" {
				ds = appendBadRegex(ds, rt, base+"/forwardTo/regexRewrite/pattern/regex", "regexRewrite pattern", f.RegexRewrite.Pattern.Regex)
				ds = appendBadSubstitution(ds, rt, base+"/forwardTo/regexRewrite", f.RegexRewrite.Pattern.Regex, f.RegexRewrite.Substitution)
			}
			if f.PathRewrite != nil && regexMatcher >= 0 {
				ds = append(ds, diag.RewriteWithRegexMatcher(rt.FieldPos(base+"/forwardTo/pathRewrite"), routeName(r, i), regexMatcher).
					WithObject(rt.Ref(), base+"/forwardTo/pathRewrite").
					WithHint("use regexRewrite with a pattern instead, or match the uri by prefix").
					WithRelated(rt.FieldPos(fmt.Sprintf("%s/matchers/%d/uri/regex", base, regexMatcher)), "the regex matcher"))
			}
		}
	}
	return ds
}

func appendBadRegex(ds []diag.Diagnostic, rt *schema.RouteTable, path, what, expr string) []diag.Diagnostic {
	_, err := regexp.Compile(expr)
	if err == nil {
		return ds
	}
	return append(ds, diag.InvalidRegex(rt.ValuePos(path), what, expr, regexProblem(err)).
		WithObject(rt.Ref(), path).
		WithHint("Istio and Envoy use RE2, which has no lookaround and no backreferences; escape literal metacharacters with a backslash"))
}

var groupRef = regexp.MustCompile(`\\([0-9])`)

// appendBadSubstitution reports a regexRewrite substitution naming a group the pattern lacks
// (Envoy would leave the path unrewritten at run time), and an empty substitution on a pattern
// with 9 or more groups, which cannot be written in a form Istio accepts (see compiler's
// regexRewrite).
func appendBadSubstitution(ds []diag.Diagnostic, rt *schema.RouteTable, path, pattern, sub string) []diag.Diagnostic {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return ds // reported as the pattern's problem
	}
	groups := re.NumSubexp()
	if sub == "" && groups >= 9 {
		return append(ds, diag.EmptyRegexSubstitution(rt.FieldPos(path+"/pattern/regex"), groups).
			WithObject(rt.Ref(), path+"/pattern/regex").
			WithHint("use non-capturing groups (?:...) in the pattern"))
	}
	for _, m := range groupRef.FindAllStringSubmatch(sub, -1) {
		if n := int(m[1][0] - '0'); n > groups {
			return append(ds, diag.RegexGroupOutOfRange(rt.ValuePos(path+"/substitution"), sub, n, pattern, groupCount(groups)).
				WithObject(rt.Ref(), path+"/substitution").
				WithHint("Envoy would leave the path unrewritten; %s", groupHint(groups)))
		}
	}
	return ds
}

// groupCount says how many capture groups a pattern has, in words.
func groupCount(groups int) string {
	switch groups {
	case 0:
		return "no capture group"
	case 1:
		return "one capture group"
	}
	return fmt.Sprintf("%d capture groups", groups)
}

// groupHint says which group references a substitution can use.
func groupHint(groups int) string {
	switch groups {
	case 0:
		return "add a capture group (...) to the pattern"
	case 1:
		return "the pattern has one group, \\1"
	}
	return fmt.Sprintf("the pattern's groups are \\1 to \\%d", groups)
}

// regexProblem explains why expr is not RE2, in the words of Go's parser (which implements RE2
// syntax) without its "error parsing regexp: " prefix.
func regexProblem(err error) string {
	return strings.TrimPrefix(err.Error(), "error parsing regexp: ")
}

// routeName is a route's name as the user knows it (route-<index> when unnamed, as Gloo does).
func routeName(r schema.HTTPRoute, i int) string {
	if r.Name != "" {
		return r.Name
	}
	return naming.UnnamedRoute(i)
}
