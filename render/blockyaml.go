package render

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// writeBlockYAML appends n in exactly the bytes encodeYAML's yaml.v3 encoder writes (block
// style, two-space indent, sequences flush with their key), for the node trees meshroute builds,
// in a fraction of the time and garbage: the encoder's event machinery was half of compile's
// rendering time. It covers the common shapes only — mappings and sequences of scalars whose
// text needs no escape and no quoting rule beyond styleScalars' double quotes — and reports
// false for anything else (a line break, a quote, a non-ASCII letter, a list of lists…), which
// encodeYAML then hands to yaml.v3 whole. Quoting decisions stay styleScalars'.
func writeBlockYAML(b []byte, n *yaml.Node) ([]byte, bool) {
	if n.Kind != yaml.MappingNode || n.Style != 0 || n.Anchor != "" || hasComment(n) {
		return b, false
	}
	if len(n.Content) == 0 {
		return append(b, "{}\n"...), true
	}
	return blockMapping(b, n, 0, false)
}

// blockMapping writes a non-empty mapping whose keys sit at indent; inline continues the
// current line ("- ") with the first key.
func blockMapping(b []byte, n *yaml.Node, indent int, inline bool) ([]byte, bool) {
	var ok bool
	for i := 0; i+1 < len(n.Content); i += 2 {
		if i > 0 || !inline {
			b = appendSpaces(b, indent)
		}
		key := n.Content[i]
		if len(key.Value) > maxSimpleKey {
			return b, false // the encoder writes a "? " complex key
		}
		if b, ok = blockScalar(b, key); !ok {
			return b, false
		}
		b = append(b, ':')
		if b, ok = blockValue(b, n.Content[i+1], indent); !ok {
			return b, false
		}
	}
	return b, true
}

// blockValue writes a mapping value after its "key:", the key at indent.
func blockValue(b []byte, v *yaml.Node, indent int) ([]byte, bool) {
	if v.Style != 0 && v.Kind != yaml.ScalarNode || v.Anchor != "" || hasComment(v) {
		return b, false
	}
	switch {
	case v.Kind == yaml.ScalarNode:
		b = append(b, ' ')
		b, ok := blockScalar(b, v)
		return append(b, '\n'), ok
	case v.Kind == yaml.MappingNode && len(v.Content) == 0:
		return append(b, " {}\n"...), true
	case v.Kind == yaml.SequenceNode && len(v.Content) == 0:
		return append(b, " []\n"...), true
	case v.Kind == yaml.MappingNode:
		return blockMapping(append(b, '\n'), v, indent+2, false)
	case v.Kind == yaml.SequenceNode:
		return blockSequence(append(b, '\n'), v, indent)
	}
	return b, false
}

// blockSequence writes a non-empty sequence whose "- " sit at indent.
func blockSequence(b []byte, n *yaml.Node, indent int) ([]byte, bool) {
	var ok bool
	for _, item := range n.Content {
		if item.Style != 0 && item.Kind != yaml.ScalarNode || item.Anchor != "" || hasComment(item) {
			return b, false
		}
		b = append(appendSpaces(b, indent), '-')
		switch {
		case item.Kind == yaml.ScalarNode:
			b = append(b, ' ')
			if b, ok = blockScalar(b, item); !ok {
				return b, false
			}
			b = append(b, '\n')
		case item.Kind == yaml.MappingNode && len(item.Content) == 0:
			b = append(b, " {}\n"...)
		case item.Kind == yaml.MappingNode:
			if b, ok = blockMapping(append(b, ' '), item, indent+2, true); !ok {
				return b, false
			}
		default: // a list of lists: the encoder's own layout
			return b, false
		}
	}
	return b, true
}

// maxSimpleKey is the longest key the encoder writes as a plain "key:" (libyaml's simple-key
// limit).
const maxSimpleKey = 128

// blockScalar writes a scalar as the encoder would: double-quoted when styleScalars (or the
// resolver) asked for quotes, else plain. It refuses text the encoder would escape, fold, or
// write in single quotes or as a literal block.
func blockScalar(b []byte, n *yaml.Node) ([]byte, bool) {
	if n.Kind != yaml.ScalarNode || n.Anchor != "" || hasComment(n) {
		return b, false
	}
	return appendScalar(b, n.Style, n.Tag, n.Value)
}

// appendScalar is blockScalar for a scalar's style, tag and text.
func appendScalar(b []byte, style yaml.Style, tag, s string) ([]byte, bool) {
	switch {
	case style == yaml.DoubleQuotedStyle && tag == "!!str":
		if !quotable(s) {
			return b, false
		}
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"'), true
	case style != 0:
		return b, false
	case tag == "!!str" && retyped(s):
		return b, false // styleScalars quotes these; unstyled, the encoder's resolver decides
	case tag != "!!str" && tag != "!!int" && tag != "!!float" && tag != "!!bool" && tag != "!!null":
		return b, false
	}
	switch {
	case plainSafe(s):
		return append(b, s...), true
	case tag == "!!str" && singleQuoted(s):
		b = append(b, '\'')
		b = append(b, strings.ReplaceAll(s, "'", "''")...)
		return append(b, '\''), true
	}
	return b, false
}

// singleQuoted reports printable ASCII text the encoder cannot write plain in block context —
// an indicator first (`*` of exportTo '*', `#`, `{`...), "- " or ": " where YAML would see
// structure, " #", a leading or trailing space — which it then single-quotes (libyaml's
// analyze_scalar and select_scalar_style). With no line width set it never folds a line.
func singleQuoted(s string) bool {
	if s == "" || !printableASCII(s) {
		return false
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' || strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		return true
	}
	blankAfter := func(i int) bool { return i+1 >= len(s) || s[i+1] == ' ' }
	switch s[0] {
	case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return true
	case '?', ':', '-':
		if blankAfter(0) {
			return true
		}
	}
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == ':' && blankAfter(i), s[i] == '#' && s[i-1] == ' ':
			return true
		}
	}
	return false
}

// printableASCII: no control character, nothing above '~'.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// quotable: printable ASCII without the two characters a double-quoted scalar escapes.
func quotable(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// plainSafe reports text the encoder writes plain in block context: letters, digits, spaces
// and `-_./:+=,()` with no indicator where YAML would see one (a leading "-" or ":" alone,
// "---"/"..." at the start, ": " or a trailing ":", leading or trailing spaces). Anything
// else is left to the encoder.
func plainSafe(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' || s[0] == ':' || s[0] == ',' || s == "-" ||
		strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") || strings.HasPrefix(s, "- ") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-', c == '_', c == '.', c == '/', c == '+', c == '=', c == '(', c == ')', c == ',':
		case c == ':':
			if i+1 == len(s) || s[i+1] == ' ' {
				return false
			}
		case c == ' ':
			if s[i+1] == ' ' {
				return false // keeps the analysis simple; the encoder's rule is longer
			}
		default:
			return false
		}
	}
	return true
}

func hasComment(n *yaml.Node) bool {
	return n.HeadComment != "" || n.LineComment != "" || n.FootComment != ""
}

func appendSpaces(b []byte, n int) []byte {
	for range n {
		b = append(b, ' ')
	}
	return b
}
