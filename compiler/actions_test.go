package compiler

import (
	"testing"

	"github.com/meshroute/meshroute/eval"
)

// Istio refuses an empty uriRegexRewrite.rewrite; the rewritten form must delete exactly what the
// written one deletes.
func TestRegexRewriteEmptySubstitution(t *testing.T) {
	for _, tc := range []struct{ pattern, sub, path, want string }{
		{"^/api", "", "/api/v1/x", "/v1/x"},
		{"^/(a|b)/x", "", "/a/x/y", "/y"},
		{"/v[0-9]+", "", "/v1/items/v2", "/items"},
		{"^/api/(.*)", `/\1`, "/api/v1", "/v1"},
	} {
		rr := regexRewrite(tc.pattern, tc.sub)
		if rr.Substitution == "" {
			t.Errorf("%s: empty substitution emitted", tc.pattern)
		}
		got, err := eval.RegexReplace(rr.Pattern, rr.Substitution, tc.path)
		if err != nil || got != tc.want {
			t.Errorf("%s → %q on %s: got %q (%v), want %q", tc.pattern, tc.sub, tc.path, got, err, tc.want)
		}
	}
	if rr := regexRewrite("(a)(b)(c)(d)(e)(f)(g)(h)(i)", ""); rr.Substitution != "" {
		t.Errorf("9 groups: got %+v, want the pattern left as written for MR4004", rr)
	}
}
