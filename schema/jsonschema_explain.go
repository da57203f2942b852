package schema

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/meshroute/meshroute/diag"
)

// value explains a violation of one value (type, enum, range, length, pattern…) at that value.
func (c *converter) value(e *jsonschema.ValidationError) {
	path := pointer(e.InstanceLocation)
	where := c.where(e.InstanceLocation)
	got, _ := valueAt(c.doc, e.InstanceLocation)
	cls := clsValue
	var d diag.Diagnostic
	msg := func(format string, args ...any) {
		d = diag.SchemaViolation(c.obj.ValuePos(path), where, fmt.Sprintf(format, args...))
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		cls = clsType
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = typeName(w)
		}
		msg("must be %s, not %s", orList(want), typeName(k.Got))
		if got == nil {
			d = d.WithHint("the field is empty; give it a value or remove it")
		} else if s, ok := got.(string); ok && quotedScalar(s, k.Want) {
			d = d.WithHint("remove the quotes around %s: the Kubernetes API server refuses a quoted value here too", s)
		}
	case *kind.Enum:
		// A Gloo enum also accepts its proto numbers; name them in the hint, not the list.
		allowed, numbered := enumParts(k.Want)
		msg("%s is not one of %s", formatValue(got), strings.Join(allowed, ", "))
		if s, ok := got.(string); ok {
			if hint := Suggest(s, allowed); hint != "" {
				d = d.WithHint("did you mean `%s`? enum names are case-sensitive", hint)
			}
		} else if numbered {
			d = d.WithHint("write a name, or its number 0 to %d in the order listed", len(allowed)-1)
		}
	case *kind.Const:
		msg("must be %s", formatValue(k.Want))
	case *kind.Minimum:
		msg("%s is below the minimum %s", formatValue(got), ratString(k.Want))
	case *kind.Maximum:
		msg("%s is above the maximum %s", formatValue(got), ratString(k.Want))
	case *kind.MinLength:
		if k.Want <= 1 {
			msg("must not be empty")
		} else {
			msg("must be at least %d characters long", k.Want)
		}
	case *kind.MaxLength:
		msg("is %d characters long, more than the maximum %d", k.Got, k.Want)
	case *kind.MinItems:
		if k.Want == 1 {
			msg("needs at least one item")
		} else {
			msg("needs at least %d items, has %d", k.Want, k.Got)
		}
	case *kind.MaxItems:
		msg("has %d items, more than the maximum %d", k.Got, k.Want)
	case *kind.UniqueItems:
		first := append(slices.Clone(e.InstanceLocation), strconv.Itoa(k.Duplicates[0]))
		second := append(slices.Clone(e.InstanceLocation), strconv.Itoa(k.Duplicates[1]))
		path = pointer(second)
		d = diag.RepeatedItem(c.obj.ValuePos(path), c.where(second), c.where(first))
	case *kind.Pattern, *kind.Not:
		if m := c.errorMessage(c.schemaNode(e)); m != "" {
			msg("%s %s", formatValue(got), m)
		} else if p, ok := k.(*kind.Pattern); ok {
			msg("%s does not match the pattern %s", formatValue(got), p.Want)
		} else {
			msg("%s is not allowed here", formatValue(got))
		}
	case *kind.PropertyNames:
		// The error sits on the map; point at the key it is about.
		key := append(slices.Clone(e.InstanceLocation), k.Property)
		path = pointer(key)
		m := c.errorMessage(c.schemaNode(e))
		if m == "" {
			m = "is not allowed as a key here"
		}
		d = diag.SchemaViolation(c.obj.FieldPos(path), c.where(key), fmt.Sprintf("key %q %s", k.Property, m))
	default:
		msg("breaks the schema rule %s", strings.Join(e.ErrorKind.KeywordPath(), "/"))
	}
	c.add(e, cls, nil, d, path)
}

// schemaNode finds the schema object an error was raised in, inside the bundled document.
func (c *converter) schemaNode(e *jsonschema.ValidationError) map[string]any {
	_, frag, _ := strings.Cut(e.SchemaURL, "#")
	var n any = c.cs.doc
	for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
		if tok == "" {
			continue
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch v := n.(type) {
		case map[string]any:
			n = v[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v) {
				return nil
			}
			n = v[i]
		default:
			return nil
		}
	}
	m, _ := n.(map[string]any)
	return m
}

// errorMessage is the schema's own wording of a rule (the errorMessage keyword that editors'
// YAML language servers also show).
func (c *converter) errorMessage(node map[string]any) string {
	s, _ := node["errorMessage"].(string)
	return s
}

func propertyNames(node map[string]any) []string {
	props, _ := node["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// branchKeys returns the field of each branch of a oneOf/anyOf that only requires one field,
// or nil when the branches are anything else.
func branchKeys(node map[string]any, keyword string) []string {
	branches, _ := node[keyword].([]any)
	var keys []string
	for _, b := range branches {
		m, _ := b.(map[string]any)
		req := stringList(m["required"])
		if len(m) != 1 || len(req) != 1 {
			return nil
		}
		keys = append(keys, req[0])
	}
	return keys
}

func stringList(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
