package ignore

import (
	"fmt"
	"strings"
)

// Rules is one gitignore-syntax file (https://git-scm.com/docs/gitignore#_pattern_format),
// matched against paths relative to the folder holding it.
type Rules struct {
	rules []rule
}

type rule struct {
	glob     *Glob
	negate   bool // `!pattern`: re-include
	dirOnly  bool // `pattern/`: folders only
	anchored bool // a `/` before the end: the whole relative path, else the last segment
	inside   bool // `pattern/**`: what is inside a match, not the match itself
}

// ParseRules reads a gitignore-syntax file; file names it in errors.
func ParseRules(file, data string) (*Rules, error) {
	rs := &Rules{}
	for i, line := range strings.Split(data, "\n") {
		r, ok, err := parseRule(strings.TrimSuffix(line, "\r"))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %q: %w", file, i+1, line, err)
		}
		if ok {
			rs.rules = append(rs.rules, r)
		}
	}
	return rs, nil
}

func parseRule(line string) (rule, bool, error) {
	line = trimTrailingSpaces(line)
	if line == "" || line[0] == '#' {
		return rule{}, false, nil
	}
	var r rule
	if line[0] == '!' {
		r.negate = true
		line = line[1:]
	} else if strings.HasPrefix(line, `\!`) || strings.HasPrefix(line, `\#`) {
		line = line[1:]
	}
	if p, ok := strings.CutSuffix(line, "/"); ok {
		r.dirOnly = true
		line = p
	}
	if p, ok := strings.CutSuffix(line, "/**"); ok {
		r.inside = true
		line = p
	}
	r.anchored = r.inside || strings.Contains(line, "/")
	line = strings.TrimPrefix(line, "/")
	if line == "" {
		return rule{}, false, nil
	}
	g, err := compile([]string{line}) // gitignore has no {a,b}
	if err != nil {
		return rule{}, false, err
	}
	r.glob = g
	return r, true, nil
}

// trimTrailingSpaces drops unescaped trailing spaces, as git does.
func trimTrailingSpaces(s string) string {
	for strings.HasSuffix(s, " ") && !strings.HasSuffix(s, `\ `) {
		s = s[:len(s)-1]
	}
	if strings.HasSuffix(s, `\ `) {
		s = s[:len(s)-2] + " "
	}
	return s
}

// Match tells whether rel (slash-separated, relative to the rules' folder) is ignored: matched
// reports that some rule decided, ignored is the last deciding rule's verdict (a later `!`
// re-includes).
func (rs *Rules) Match(rel string, isDir bool) (ignored, matched bool) {
	for _, r := range rs.rules {
		if r.matches(rel, isDir) {
			ignored, matched = !r.negate, true
		}
	}
	return ignored, matched
}

func (r rule) matches(rel string, isDir bool) bool {
	if r.dirOnly && !isDir {
		return false
	}
	if !r.anchored {
		return r.glob.Match(rel[strings.LastIndexByte(rel, '/')+1:])
	}
	if !r.inside {
		return r.glob.Match(rel)
	}
	for i := 0; i < len(rel); i++ {
		if rel[i] == '/' && r.glob.Match(rel[:i]) {
			return true
		}
	}
	return false
}
