// Package ignore decides which paths a folder walk leaves out: doublestar globs (--exclude) and
// gitignore-style rule files (.meshrouteignore). Paths are slash-separated and relative.
package ignore

import (
	"errors"
	"path"
	"strings"
)

// Glob is a compiled doublestar pattern: `*` and `?` stay inside one path segment, `**` as a
// whole segment matches any number of segments (none included), `[...]` is a character class
// (`[!...]` or `[^...]` negated), `{a,b}` alternatives, `\` escapes the next character.
type Glob struct {
	alts [][]string // each brace alternative, split into segments
}

// ErrBadPattern reports a malformed pattern (an unclosed `[` or `{`, a trailing `\`).
var ErrBadPattern = errors.New("syntax error in pattern")

// CompileGlob parses a doublestar pattern.
func CompileGlob(pattern string) (*Glob, error) {
	alts, err := expandBraces(pattern)
	if err != nil {
		return nil, err
	}
	return compile(alts)
}

func compile(alts []string) (*Glob, error) {
	g := &Glob{}
	for _, a := range alts {
		segs := strings.Split(a, "/")
		for i, s := range segs {
			segs[i] = fnmatchClass(s)
			if _, err := path.Match(segs[i], ""); err != nil {
				return nil, ErrBadPattern
			}
		}
		g.alts = append(g.alts, segs)
	}
	return g, nil
}

// Match reports whether the slash-separated path matches the whole pattern.
func (g *Glob) Match(name string) bool {
	parts := strings.Split(name, "/")
	for _, segs := range g.alts {
		if matchSegments(segs, parts) {
			return true
		}
	}
	return false
}

// matchSegments matches pattern segments against path segments; `**` takes zero or more.
func matchSegments(pat, parts []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			rest := pat[1:]
			for i := 0; i <= len(parts); i++ {
				if matchSegments(rest, parts[i:]) {
					return true
				}
			}
			return false
		}
		if len(parts) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], parts[0]); !ok {
			return false
		}
		pat, parts = pat[1:], parts[1:]
	}
	return len(parts) == 0
}

// fnmatchClass rewrites the shell's negated class `[!...]` into path.Match's `[^...]`.
func fnmatchClass(seg string) string {
	var b strings.Builder
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		b.WriteByte(c)
		switch {
		case c == '\\' && i+1 < len(seg):
			i++
			b.WriteByte(seg[i])
		case c == '[' && i+1 < len(seg) && seg[i+1] == '!':
			b.WriteByte('^')
			i++
		}
	}
	return b.String()
}

// expandBraces turns `a{b,c}d` into `abd`, `acd` (nested braces too).
func expandBraces(p string) ([]string, error) {
	open := -1
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '{':
			open = i
		}
		if open >= 0 {
			break
		}
	}
	if open < 0 {
		return []string{p}, nil
	}
	depth, start := 0, open+1
	var options []string
	for i := open; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				options = append(options, p[start:i])
				var out []string
				for _, o := range options {
					more, err := expandBraces(p[:open] + o + p[i+1:])
					if err != nil {
						return nil, err
					}
					out = append(out, more...)
				}
				return out, nil
			}
		case ',':
			if depth == 1 {
				options = append(options, p[start:i])
				start = i + 1
			}
		}
	}
	return nil, ErrBadPattern
}
