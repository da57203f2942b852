package schema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// typeName names a JSON Schema type as a user of YAML knows it.
func typeName(t string) string {
	switch t {
	case "object":
		return "a mapping"
	case "array":
		return "a list"
	case "string":
		return "a string"
	case "integer":
		return "an integer"
	case "number":
		return "a number"
	case "boolean":
		return "true or false"
	case "null":
		return "empty (null)"
	}
	return t
}

// formatValue shows a value as the user would write it, shortened when long.
func formatValue(v any) string {
	var s string
	switch x := v.(type) {
	case string:
		s = strconv.Quote(x)
	case json.Number:
		s = x.String()
	case nil:
		s = "null"
	case map[string]any:
		s = "a mapping"
	case []any:
		s = "a list"
	default:
		s = fmt.Sprint(x)
	}
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

func ratString(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	return r.FloatString(3)
}

func orList(items []string) string  { return joinList(items, "or") }
func andList(items []string) string { return joinList(items, "and") }

func joinList(items []string, word string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	case 2:
		return items[0] + " " + word + " " + items[1]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + word + " " + items[len(items)-1]
}

// quotedScalar reports whether a string value would have the wanted type without its quotes
// ("80" for an integer, "true" for a boolean), the commonest cause of a type error.
func quotedScalar(s string, want []string) bool {
	for _, w := range want {
		switch w {
		case "integer", "number":
			if _, err := strconv.ParseInt(s, 10, 64); err == nil {
				return true
			}
		case "boolean":
			if s == "true" || s == "false" {
				return true
			}
		}
	}
	return false
}
