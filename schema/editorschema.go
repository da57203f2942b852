package schema

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
)

// editorSchema is the schema `meshroute schema` prints for editors, rewritten so that a
// misspelt field is reported as the unknown field it is. An object's "exactly one of" /
// "at least one of" groups (oneOf/anyOf of `required` branches) move under
// `if: {propertyNames: {enum: [its fields]}}, then: {...}`: with a typo the `if` fails, so an
// editor's validator (yaml-language-server, ajv) reports only `additionalProperties` at the
// typo, instead of a oneOf failure that restates every branch. The set of valid documents is
// unchanged (an unknown name fails additionalProperties anyway); meshroute's own loader keeps
// the original form, which its explanations of oneOf/anyOf are written against.
func editorSchema(bundled []byte) ([]byte, error) {
	var doc any
	if err := json.Unmarshal(bundled, &doc); err != nil {
		return nil, err
	}
	guardGroups(doc)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func guardGroups(v any) {
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			guardGroups(x)
		}
	case map[string]any:
		for _, x := range v {
			guardGroups(x)
		}
		props, ok := v["properties"].(map[string]any)
		if !ok || v["additionalProperties"] != false {
			return
		}
		then := map[string]any{}
		for _, kw := range []string{"oneOf", "anyOf"} {
			if g, ok := v[kw].([]any); ok && requiredBranches(g) {
				then[kw] = g
				delete(v, kw)
			}
		}
		if len(then) == 0 {
			return
		}
		var names []any
		for _, k := range slices.Sorted(maps.Keys(props)) {
			names = append(names, k)
		}
		v["if"] = map[string]any{"propertyNames": map[string]any{"enum": names}}
		v["then"] = then
	}
}

// requiredBranches: every branch only names fields that must be present.
func requiredBranches(g []any) bool {
	for _, b := range g {
		m, ok := b.(map[string]any)
		if _, req := m["required"]; !ok || len(m) != 1 || !req {
			return false
		}
	}
	return len(g) > 0
}
