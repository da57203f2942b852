package schema

import (
	"encoding/json"
	"strings"
)

// Gloo's CRDs declare proto enums as int-or-string and the Gloo controllers decode specs with
// protojson, so `responseCode: 1` is as valid as `responseCode: FOUND`. The JSON Schemas list
// each enum's names in proto number order followed by the numbers they accept; after
// validation, normaliseEnums turns every number into its name so that nothing downstream has
// to know numbers exist. Names stay case-sensitive, as protojson reads them.

// normaliseEnums replaces, in place, every integer value that the schema node allows as an enum
// number with the name of that number. doc is the kind's bundled schema; value the document.
func normaliseEnums(doc map[string]any, value any) {
	walkEnums(doc, doc, value, 0)
}

func walkEnums(doc, node map[string]any, value any, depth int) {
	node = resolveRef(doc, node)
	if node == nil || depth > maxDepth {
		return
	}
	switch v := value.(type) {
	case map[string]any:
		props, _ := node["properties"].(map[string]any)
		for k, x := range v {
			sub, _ := props[k].(map[string]any)
			sub = resolveRef(doc, sub)
			if sub == nil {
				continue
			}
			if name, ok := enumName(sub, x); ok {
				v[k] = name
				continue
			}
			walkEnums(doc, sub, x, depth+1)
		}
	case []any:
		items, _ := node["items"].(map[string]any)
		items = resolveRef(doc, items)
		if items == nil {
			return
		}
		for i, x := range v {
			if name, ok := enumName(items, x); ok {
				v[i] = name
				continue
			}
			walkEnums(doc, items, x, depth+1)
		}
	}
}

// resolveRef follows local references ("#/$defs/X"); bundled schemas have no others.
func resolveRef(doc, node map[string]any) map[string]any {
	for i := 0; node != nil && i < 16; i++ {
		ref, ok := node["$ref"].(string)
		if !ok {
			return node
		}
		defs, _ := doc["$defs"].(map[string]any)
		node, _ = defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
	}
	return node
}

// enumName maps an integer value to the enum name of that number, when the node is an enum
// that lists the number.
func enumName(node map[string]any, value any) (string, bool) {
	n, ok := value.(int64)
	if !ok {
		return "", false
	}
	values, _ := node["enum"].([]any)
	names, numbered := enumParts(values)
	if !numbered || n < 0 || n >= int64(len(names)) {
		return "", false
	}
	return names[n], true
}

// enumParts splits an enum list into its names and whether it also accepts numbers.
func enumParts(values []any) (names []string, numbered bool) {
	for _, v := range values {
		switch v := v.(type) {
		case string:
			names = append(names, v)
		case json.Number, float64, int, int64:
			numbered = true
		}
	}
	return names, numbered
}
