package ignore

import (
	"testing"

	_ "github.com/meshroute/meshroute/internal/goldentest" // the -update flag
)

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"*.yaml", "a.yaml", true},
		{"*.yaml", "dir/a.yaml", false}, // * stays in one segment
		{"**/*.yaml", "a.yaml", true},   // ** may be zero segments
		{"**/*.yaml", "x/y/a.yaml", true},
		{"charts/**", "charts", true},
		{"charts/**", "charts/web/templates/a.yaml", true},
		{"charts/**", "chartsx/a.yaml", false},
		{"a/**/b", "a/b", true},
		{"a/**/b", "a/x/y/b", true},
		{"a/**/b", "a/x/y/c", false},
		{"a?c", "abc", true},
		{"a?c", "a/c", false},
		{"[a-c]x", "bx", true},
		{"[!a-c]x", "bx", false},
		{"[^a-c]x", "dx", true},
		{"{dev,prod}/*.yaml", "prod/a.yaml", true},
		{"{dev,prod}/*.yaml", "test/a.yaml", false},
		{"a{b,{c,d}}e", "ade", true},
		{`\*.yaml`, "*.yaml", true},
		{`\*.yaml`, "a.yaml", false},
		{"foo**bar", "fooxbar", true}, // ** inside a segment is *
		{"foo**bar", "foo/bar", false},
	}
	for _, tt := range tests {
		g, err := CompileGlob(tt.pattern)
		if err != nil {
			t.Fatalf("CompileGlob(%q): %v", tt.pattern, err)
		}
		if got := g.Match(tt.path); got != tt.want {
			t.Errorf("%q matches %q = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

func TestGlobErrors(t *testing.T) {
	for _, p := range []string{"[a-", "{a,b", `a\`} {
		if _, err := CompileGlob(p); err == nil {
			t.Errorf("CompileGlob(%q) accepted a malformed pattern", p)
		}
	}
}

// TestRules follows the examples of git's gitignore documentation, pattern format section.
func TestRules(t *testing.T) {
	tests := []struct {
		name, rules, path string
		dir               bool
		want, matched     bool
	}{
		{"blank and comment lines match nothing", "\n# a.yaml\n", "# a.yaml", false, false, false},
		{"escaped hash", `\#a.yaml`, "#a.yaml", false, true, true},
		{"trailing spaces dropped", "a.yaml  ", "a.yaml", false, true, true},
		{"escaped trailing space kept", `a\ `, "a ", false, true, true},
		{"no slash: any level", "*.tmp.yaml", "x/y/z.tmp.yaml", false, true, true},
		{"trailing slash: folders only, any level", "frotz/", "a/frotz", true, true, true},
		{"trailing slash: not a file", "frotz/", "a/frotz", false, false, false},
		{"middle slash: anchored", "doc/frotz", "doc/frotz", true, true, true},
		{"middle slash: not at a deeper level", "doc/frotz", "a/doc/frotz", true, false, false},
		{"leading slash: anchored", "/a.yaml", "a.yaml", false, true, true},
		{"leading slash: not deeper", "/a.yaml", "x/a.yaml", false, false, false},
		{"leading **/: anywhere", "**/foo", "x/y/foo", false, true, true},
		{"**/foo/bar", "**/foo/bar", "x/foo/bar", false, true, true},
		{"trailing /**: what is inside", "abc/**", "abc/x/y.yaml", false, true, true},
		{"trailing /**: not the folder itself", "abc/**", "abc", true, false, false},
		{"a/**/b with no folder between", "a/**/b", "a/b", false, true, true},
		{"a/**/b deep", "a/**/b", "a/x/y/b", false, true, true},
		{"negation re-includes", "*.yaml\n!keep.yaml", "keep.yaml", false, false, true},
		{"last rule wins", "!keep.yaml\n*.yaml", "keep.yaml", false, true, true},
		{"escaped bang is literal", `\!a.yaml`, "!a.yaml", false, true, true},
		{"no brace expansion", "{a,b}.yaml", "a.yaml", false, false, false},
		{"CRLF line ends", "a.yaml\r\n", "a.yaml", false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := ParseRules(".meshrouteignore", tt.rules)
			if err != nil {
				t.Fatal(err)
			}
			got, matched := rs.Match(tt.path, tt.dir)
			if got != tt.want || matched != tt.matched {
				t.Errorf("Match(%q, dir=%v) = %v, %v; want %v, %v", tt.path, tt.dir, got, matched, tt.want, tt.matched)
			}
		})
	}
}

func TestRulesError(t *testing.T) {
	_, err := ParseRules(".meshrouteignore", "ok.yaml\n[bad\n")
	if err == nil || err.Error() != `.meshrouteignore:2: "[bad": syntax error in pattern` {
		t.Errorf("err = %v", err)
	}
}
