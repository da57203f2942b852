package validate

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// pseudoHeaders are the HTTP/2 pseudo-headers Istio accepts as header match names although ':'
// is not a token character.
var pseudoHeaders = map[string]bool{":method": true, ":scheme": true, ":authority": true, ":path": true, ":status": true}

// checkNameTokens reports matcher header names that are not HTTP tokens and query parameter
// names that a query string cannot hold literally (MR1011): Istio refuses such a header name at
// apply time, and neither name could ever match a request. Empty names are the schema's.
func checkNameTokens(src *sources) []diag.Diagnostic {
	var ds []diag.Diagnostic
	report := func(rt *schema.RouteTable, path, what, name string, bad rune, allowed string) {
		ds = append(ds, diag.InvalidHeaderName(rt.ValuePos(path), what, name, describeRune(bad), allowed).
			WithObject(rt.Ref(), path).
			WithHint("%q: remove or replace the marked character (names usually join words with -)", markRune(name, bad)))
	}
	for _, rt := range src.set.RouteTables {
		for i, r := range rt.Spec.HTTP {
			for j, m := range r.Matchers {
				mp := fmt.Sprintf("%s/matchers/%d", routePath(i), j)
				for k, h := range m.Headers {
					if bad, ok := firstBad(h.Name, isTokenChar); !ok && !pseudoHeaders[h.Name] {
						report(rt, fmt.Sprintf("%s/headers/%d/name", mp, k), "header", h.Name, bad,
							"an HTTP header name cannot hold (RFC 9110 token: letters, digits and !#$%&'*+-.^_`|~)")
					}
				}
				for k, q := range m.QueryParameters {
					if bad, ok := firstBad(q.Name, isQueryNameChar); !ok {
						report(rt, fmt.Sprintf("%s/queryParameters/%d/name", mp, k), "query parameter", q.Name, bad,
							"a query string cannot hold in a parameter name (no space, control character, non-ASCII, &, = or #)")
					}
				}
			}
		}
	}
	return ds
}

// firstBad returns the first rune of s that ok refuses.
func firstBad(s string, ok func(rune) bool) (rune, bool) {
	for _, r := range s {
		if !ok(r) {
			return r, false
		}
	}
	return 0, true
}

// isTokenChar is RFC 9110's tchar.
func isTokenChar(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		strings.ContainsRune("!#$%&'*+-.^_`|~", r))
}

// isQueryNameChar accepts what may appear literally in a query parameter name: printable ASCII
// except the separators. Stricter rules (RFC 3986 would refuse the common `ids[]`) would refuse
// names clients really send.
func isQueryNameChar(r rune) bool {
	return r > ' ' && r < 0x7f && !strings.ContainsRune("&=#", r)
}

// describeRune names a character so that an invisible one can be seen in a message.
func describeRune(r rune) string {
	switch r {
	case ' ':
		return "a space"
	case '\t':
		return "a tab"
	}
	if unicode.IsControl(r) {
		return fmt.Sprintf("the control character %U", r)
	}
	return fmt.Sprintf("%q (%U)", r, r)
}

// markRune shows where the first bad character sits: "x-user»_«id".
func markRune(s string, r rune) string {
	i := strings.IndexRune(s, r)
	return s[:i] + "»" + string(r) + "«" + s[i+utf8.RuneLen(r):]
}
