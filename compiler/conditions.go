package compiler

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
)

// addHeader ANDs condition c on a header into hs (a parent's conditions, cloned). Conditions on
// one header (names compare case-insensitively) combine when the result is exact and can be
// written in Istio, whose headers and withoutHeaders maps hold one condition per name each:
//   - the same condition once;
//   - presence and a value: the value (a value implies presence);
//   - an exact value and a regex that matches it: the exact value;
//   - a positive and an inverted condition that some request satisfies together: both.
//
// Anything else is a contradiction (MR3007), returned as the reason: no request satisfies both,
// or the pair cannot be expressed as one Istio match.
func addHeader(hs []model.HeaderMatch, c model.HeaderMatch) ([]model.HeaderMatch, string) {
	why := "two different conditions on header " + strconv.Quote(c.Name)
	pos := -1 // the positive condition on this header, if any (there is at most one)
	var neg []int
	for i, o := range hs {
		switch {
		case !strings.EqualFold(o.Name, c.Name):
		case o.Value == c.Value && o.Regex == c.Regex && o.Invert == c.Invert && o.Present == c.Present:
			return hs, ""
		case o.Invert:
			neg = append(neg, i)
		default:
			pos = i
		}
	}
	if c.Invert {
		if len(neg) > 0 {
			return nil, why // Istio's withoutHeaders holds one condition per name
		}
		if pos >= 0 && excludes(hs[pos], c) {
			return nil, why
		}
		return append(hs, c), ""
	}
	merged := c
	if pos >= 0 {
		o := hs[pos]
		stronger, ok := narrower(o.Present, o.Value, o.Regex, c.Present, c.Value, c.Regex)
		if !ok {
			return nil, why
		}
		if stronger == 0 {
			merged = o
		}
		merged.Name = o.Name
	}
	for _, i := range neg {
		if excludes(merged, hs[i]) {
			return nil, why
		}
	}
	if pos >= 0 {
		hs[pos] = merged
		return hs, ""
	}
	return append(hs, merged), ""
}

// narrower compares two positive conditions (a: presence or a value, b likewise): 0 when a
// implies b, 1 when b implies a, false when neither does (different values, two regexes).
func narrower(aPresent bool, aValue string, aRegex bool, bPresent bool, bValue string, bRegex bool) (int, bool) {
	switch {
	case bPresent && bValue == "":
		return 0, true
	case aPresent && aValue == "":
		return 1, true
	case !aRegex && bRegex && fullMatch(bValue, aValue):
		return 0, true
	case aRegex && !bRegex && fullMatch(aValue, bValue):
		return 1, true
	}
	return 0, false
}

// excludes reports whether every request satisfying the positive condition pos fails the
// inverted condition neg (whose inversion is "absent" for presence, "not equal/matching" else).
func excludes(pos, neg model.HeaderMatch) bool {
	switch {
	case neg.Present && neg.Value == "":
		return true // neg wants the header absent
	case pos.Present && pos.Value == "" || pos.Regex:
		return pos.Regex && neg.Regex && pos.Value == neg.Value
	case neg.Regex:
		return fullMatch(neg.Value, pos.Value)
	}
	return pos.Value == neg.Value
}

// addQuery ANDs condition c on a query parameter (names are case-sensitive) into qs, with the
// rules of addHeader for positive conditions (Istio's queryParams map holds one per name).
func addQuery(qs []model.QueryMatch, c model.QueryMatch) ([]model.QueryMatch, string) {
	for i, o := range qs {
		if o.Name != c.Name {
			continue
		}
		if o == c {
			return qs, ""
		}
		stronger, ok := narrower(o.Present, o.Value, o.Regex, c.Present, c.Value, c.Regex)
		if !ok {
			return nil, "two different conditions on query parameter " + strconv.Quote(c.Name)
		}
		if stronger == 1 {
			qs[i] = c
		}
		return qs, ""
	}
	return append(qs, c), ""
}

// fullMatch: does RE2 expression re match all of s (as Istio and Envoy anchor regexes)? An
// invalid regex matches nothing here; the validator reports it (MR4004).
func fullMatch(re, s string) bool {
	r, err := regexp.Compile(`^(?:` + re + `)$`)
	return err == nil && r.MatchString(s)
}
