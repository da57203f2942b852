package render

import (
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// styleScalars is the one place that decides how emitted scalars are written: every string
// (mapping keys included) that some YAML reader would take for anything but that string is
// double-quoted; everything else is left plain, for readable output. Only the type matters
// here: the encoder still quotes what YAML syntax needs (a leading `*`, a `: ` inside, ...).
// Numbers, booleans and nulls from protojson are not strings and stay plain.
func styleScalars(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && n.Style == 0 {
		n.Style = scalarStyle(n.Tag, n.Value)
	}
	for _, c := range n.Content {
		styleScalars(c)
	}
}

// scalarStyle is styleScalars' decision for one unstyled scalar, which the spec writer (that
// builds no nodes) takes too.
func scalarStyle(tag, value string) yaml.Style {
	if tag == "!!str" && retyped(value) {
		return yaml.DoubleQuotedStyle
	}
	return 0
}

// retyped reports whether a plain scalar s would be read as something other than the string s
// by a YAML 1.2 reader (go.yaml.in/yaml/v3, the core schema) or a YAML 1.1 one (kubectl, Argo CD
// and Flux through go.yaml.in/yaml/v2 and sigs.k8s.io/yaml; PyYAML; SnakeYAML): YAML 1.1
// booleans and nulls in any letter case, ints and floats in every base and notation the two
// versions know (underscores, sexagesimal 1:30, .inf, .NaN), timestamps, the merge key `<<`
// and the value key `=`. It errs towards quoting: a quoted string means the same everywhere.
func retyped(s string) bool {
	if s == "" {
		return true // null
	}
	c := s[0]
	switch {
	case c >= '0' && c <= '9', c == '+', c == '-', c == '.':
		return numberLike(s)
	case len(s) > 5:
		return false // longer than every reserved word below
	}
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", // YAML 1.1 bool
		"~", "null", // null
		"<<", // merge key
		"=":  // YAML 1.1 value key
		return true
	}
	return false
}

// numberLike covers the scalars starting with a digit, a sign or a dot. yaml v2 reads a plain
// scalar with such a start as a number whenever Go's strconv accepts it once underscores are
// removed (0X1F, 0O17 and 0B1 included), so that test comes first; the patterns add what
// only YAML 1.1 schemas know.
func numberLike(s string) bool {
	if strings.Count(s, ".") > 1 {
		// No number of any notation has two dots (an address, a version), so only a date can
		// make it one; this spares the failed parses (and their errors) for every address.
		return yaml11Timestamp.MatchString(s)
	}
	plain := strings.ReplaceAll(s, "_", "")
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return true
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return true
	}
	if _, err := strconv.ParseFloat(plain, 64); err == nil {
		return true
	}
	return yaml11Number.MatchString(s) || yaml11Timestamp.MatchString(s)
}

var (
	// yaml11Number: YAML 1.1 ints and floats (yaml.org/type/int.html, float.html) as PyYAML and
	// SnakeYAML implement them, with big values strconv refuses, and .inf/.nan in any case.
	yaml11Number = regexp.MustCompile(`(?i)^[-+]?(` +
		`0b[01_]+|0o?[0-7_]+|0x[0-9a-f_]+|` + // binary, octal (017 and 0o17), hex
		`[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|` + // sexagesimal: 1:30, 190:20:30.15
		`[0-9][0-9_]*(\.[0-9_]*)?(e[-+]?[0-9]+)?|\.[0-9_]+(e[-+]?[0-9]+)?|` + // 1_000, 1_0.5, 1e3, .5
		`\.(inf|nan))$`)
	// yaml11Timestamp: a scalar that starts with a date (yaml.org/type/timestamp.html); the
	// time part that may follow is never read as a string, so the date alone decides.
	yaml11Timestamp = regexp.MustCompile(`^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt \t]|$)`)
)
