package eval

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

var (
	reMu    sync.Mutex
	reCache = map[string]*regexp.Regexp{}
)

// FullMatch reports whether the RE2 expression matches all of s, as both Istio and Envoy
// evaluate regexes (anchored at both ends).
func FullMatch(expr, s string) (bool, error) {
	reMu.Lock()
	re, ok := reCache[expr]
	reMu.Unlock()
	if !ok {
		var err error
		re, err = regexp.Compile(`^(?:` + expr + `)$`)
		if err != nil {
			return false, fmt.Errorf("regex %q: %v", expr, err)
		}
		reMu.Lock()
		reCache[expr] = re
		reMu.Unlock()
	}
	return re.MatchString(s), nil
}

// Host pattern classes, most specific first (Envoy's virtual host selection order, which Istio's
// gateways and sidecars inherit).
const (
	HostAny = iota
	HostPrefixWildcard
	HostSuffixWildcard
	HostExact
)

// HostMatch reports whether host matches pattern ("a.com", "*.a.com", "a.*", "*"), and how
// specific the match is: the class, then the pattern length (longer wins inside a class).
func HostMatch(pattern, host string) (ok bool, class, length int) {
	pattern, host = strings.ToLower(pattern), strings.ToLower(host)
	switch {
	case pattern == "*":
		return true, HostAny, 0
	case strings.HasPrefix(pattern, "*"):
		suffix := pattern[1:]
		// The wildcard stands for at least one character.
		return len(host) > len(suffix) && strings.HasSuffix(host, suffix), HostSuffixWildcard, len(pattern)
	case strings.HasSuffix(pattern, "*"):
		prefix := pattern[:len(pattern)-1]
		return len(host) > len(prefix) && strings.HasPrefix(host, prefix), HostPrefixWildcard, len(pattern)
	}
	return pattern == host, HostExact, len(pattern)
}

// BestHost returns the index of the most specific pattern set matching host, or -1: candidates[i]
// are the patterns of one virtual host (or VirtualService). Ties keep the earlier candidate.
func BestHost(candidates [][]string, host string) int {
	best, bestClass, bestLen := -1, -1, -1
	for i, patterns := range candidates {
		for _, p := range patterns {
			ok, class, length := HostMatch(p, host)
			if !ok {
				continue
			}
			if class > bestClass || class == bestClass && length > bestLen {
				best, bestClass, bestLen = i, class, length
			}
		}
	}
	return best
}

// StringCondition is one string test on a request attribute, shared by both encodings.
type StringCondition struct {
	Kind       string // exact, prefix, suffix, contains, regex, present
	Value      string
	IgnoreCase bool
}

func (c StringCondition) String() string {
	if c.Kind == "present" {
		return "present"
	}
	s := fmt.Sprintf("%s %q", c.Kind, c.Value)
	if c.IgnoreCase {
		s += " (ignoring case)"
	}
	return s
}

// Match tests a value against the condition.
func (c StringCondition) Match(v string) (bool, error) {
	want := c.Value
	if c.IgnoreCase {
		v, want = strings.ToLower(v), strings.ToLower(want)
	}
	switch c.Kind {
	case "present":
		return true, nil
	case "exact":
		return v == want, nil
	case "prefix":
		return strings.HasPrefix(v, want), nil
	case "suffix":
		return strings.HasSuffix(v, want), nil
	case "contains":
		return strings.Contains(v, want), nil
	case "regex":
		if c.IgnoreCase {
			return FullMatch("(?i)"+c.Value, v)
		}
		return FullMatch(c.Value, v)
	}
	return false, fmt.Errorf("unknown string match %q", c.Kind)
}

// CheckAttr tests a named request attribute (header, query parameter) that may be absent and
// returns "" when it matches, or a one-line reason.
func CheckAttr(what, name string, value string, present bool, c StringCondition, invert bool) (string, error) {
	ok := false
	if present {
		var err error
		if ok, err = c.Match(value); err != nil {
			return "", err
		}
	}
	if invert {
		if !ok {
			return "", nil
		}
		if c.Kind == "present" {
			return fmt.Sprintf("%s %s present, want it absent", what, name), nil
		}
		return fmt.Sprintf("%s %s is %q, want it not to match %s", what, name, value, c), nil
	}
	switch {
	case ok:
		return "", nil
	case !present:
		return fmt.Sprintf("%s %s absent, want %s", what, name, c), nil
	}
	return fmt.Sprintf("%s %s is %q, want %s", what, name, value, c), nil
}

// PathReason explains a path that did not match a path condition.
func PathReason(path string, c StringCondition) string {
	return fmt.Sprintf("path %s does not match %s", path, c)
}

var backref = regexp.MustCompile(`\\(\d)`)

// RegexReplace substitutes every match of pattern in s, with Envoy's \N back references.
func RegexReplace(pattern, substitution, s string) (string, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return "", err
	}
	tmpl := backref.ReplaceAllString(strings.ReplaceAll(substitution, "$", "$$"), "$${$1}")
	return re.ReplaceAllString(s, tmpl), nil
}
