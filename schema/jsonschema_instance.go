package schema

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/meshroute/meshroute/diag"
)

// presentKeys lists which of keys the object at loc sets, in the order of keys.
func (c *converter) presentKeys(loc []string, keys []string) []string {
	v, _ := valueAt(c.doc, loc)
	m, _ := v.(map[string]any)
	var out []string
	for _, k := range keys {
		if _, ok := m[k]; ok {
			out = append(out, k)
		}
	}
	return out
}

// nullKey returns the first of keys that the document writes with an empty (null) value at
// loc. The loader drops such keys, as the API server prunes them, but when that leaves a
// required field or an action missing, the empty key is what the user has to fix.
func (c *converter) nullKey(loc []string, keys []string) (string, bool) {
	n := c.obj.node
	for _, tok := range loc {
		if n = child(deref(n), tok); n == nil {
			return "", false
		}
	}
	for _, k := range keys {
		if v := deref(child(deref(n), k)); v != nil && v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" {
			return k, true
		}
	}
	return "", false
}

// latest returns the pointer of whichever of keys comes last in the file, the one a user
// adding a second choice just wrote.
func (c *converter) latest(loc []string, keys []string) string {
	best := pointer(loc)
	var bestPos diag.Position
	for _, k := range c.presentKeys(loc, keys) {
		p := pointer(append(slices.Clone(loc), k))
		pos := c.obj.FieldPos(p)
		if pos.Line > bestPos.Line || (pos.Line == bestPos.Line && pos.Col > bestPos.Col) {
			best, bestPos = p, pos
		}
	}
	return best
}

var identifier = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// where renders an instance location in dotted form: spec.http[0].directResponse.status.
func (c *converter) where(loc []string) string {
	if len(loc) == 0 {
		return "the " + c.obj.Kind
	}
	var b strings.Builder
	var cur any = c.doc
	for _, tok := range loc {
		switch v := cur.(type) {
		case []any:
			b.WriteString("[" + tok + "]")
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(v) {
				cur = v[i]
			} else {
				cur = nil
			}
			continue
		case map[string]any:
			cur = v[tok]
		default:
			cur = nil
		}
		if identifier.MatchString(tok) {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(tok)
		} else {
			b.WriteString("[" + strconv.Quote(tok) + "]")
		}
	}
	return b.String()
}

// valueAt returns the value at loc inside a JSON-shaped document.
func valueAt(doc any, loc []string) (any, bool) {
	cur := doc
	for _, tok := range loc {
		switch v := cur.(type) {
		case map[string]any:
			x, ok := v[tok]
			if !ok {
				return nil, false
			}
			cur = x
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v) {
				return nil, false
			}
			cur = v[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// pointer renders an instance location as a JSON pointer.
func pointer(loc []string) string {
	var b strings.Builder
	for _, tok := range loc {
		b.WriteString("/" + escape(tok))
	}
	return b.String()
}
