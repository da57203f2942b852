// Package diag defines the one diagnostic type every stage of meshroute reports through, and the
// catalogue of codes it draws from. It sits below every other package so the loader, the validator
// and the compiler speak the same language and the renderers need to know only this.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity orders findings; a higher value is more severe.
type Severity int

// Severities, least severe first.
const (
	Info Severity = iota
	Warning
	Error
)

// String is the severity as text output and the catalogue spell it.
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return "info"
	}
}

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// Position is a place in an input file; Line and Col are 1-based, 0 when unknown.
type Position struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"column,omitempty"`
}

// String is file:line:col, leaving out what is unknown.
func (p Position) String() string {
	switch {
	case p.File == "":
		return "<input>"
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// IsZero reports whether the position carries no information.
func (p Position) IsZero() bool { return p == Position{} }

// ObjectRef names the input object a diagnostic is about.
type ObjectRef struct {
	Kind      string `json:"kind,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name,omitempty"`
}

// String renders "RouteTable global/global-app-routes" (namespace left out for cluster-scoped kinds).
func (o ObjectRef) String() string {
	switch {
	case o.Kind == "":
		return ""
	case o.Name == "":
		return o.Kind // an object without a name (a Kustomization, say)
	}
	if o.Namespace == "" {
		return o.Kind + " " + o.Name
	}
	return o.Kind + " " + o.Namespace + "/" + o.Name
}

// Related is a second position that explains a diagnostic (the route that shadows this one, the
// other table claiming a host).
type Related struct {
	Pos     Position `json:"position"`
	Message string   `json:"message"`
}

// Diagnostic is one finding. Path is the JSON pointer of the field inside the object
// ("/spec/http/0/matchers"), empty when the finding is about a whole file or object.
type Diagnostic struct {
	Code     string    `json:"code"`
	Severity Severity  `json:"-"`
	Pos      Position  `json:"position"`
	Object   ObjectRef `json:"object,omitzero"`
	Path     string    `json:"path,omitempty"`
	Message  string    `json:"message"`
	Hint     string    `json:"hint,omitempty"`
	Related  []Related `json:"related,omitempty"`
	// Omitted is set on an MR1012 entry: the diagnostics of one code it stands for.
	Omitted *Omitted `json:"-"`
}

// New builds a diagnostic whose severity comes from the catalogue entry of code. Rules use the
// generated constructors (codes_gen.go) instead; New is for tests that make up diagnostics. An
// unknown code is reported as an error, not a panic.
func New(code string, pos Position, format string, args ...any) Diagnostic {
	sev := Error
	if e, ok := Lookup(code); ok {
		sev = e.Severity
	}
	return Diagnostic{Code: code, Severity: sev, Pos: pos, Message: sprintf(format, args)}
}

// sprintf formats like fmt.Sprintf but returns a constant message as is: a million findings
// of one kind then share one string instead of holding a copy each.
func sprintf(format string, args []any) string {
	if len(args) == 0 && !strings.Contains(format, "%") {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// WithHint returns d with a hint.
func (d Diagnostic) WithHint(format string, args ...any) Diagnostic {
	d.Hint = sprintf(format, args)
	return d
}

// WithObject returns d naming the object it is about and the field path inside it.
func (d Diagnostic) WithObject(o ObjectRef, path string) Diagnostic {
	d.Object, d.Path = o, path
	return d
}

// WithRelated returns d with one more related position.
func (d Diagnostic) WithRelated(pos Position, format string, args ...any) Diagnostic {
	d.Related = append(slices.Clone(d.Related), Related{Pos: pos, Message: fmt.Sprintf(format, args...)})
	return d
}

// String is the diagnostic on one line, for test failures and logs.
func (d Diagnostic) String() string {
	s := fmt.Sprintf("%s: %s %s: %s", d.Pos, d.Severity, d.Code, d.Message)
	if d.Hint != "" {
		s += " (" + d.Hint + ")"
	}
	return s
}

// Sort orders diagnostics by file, line, column, then code and message, so every output format
// lists them the same way whatever order the checks ran in.
func Sort(ds []Diagnostic) {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			cmp.Compare(a.Code, b.Code),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// Dedup removes diagnostics equal in code, position, object and message (the same finding reached
// along two paths, e.g. a child table compiled once per cluster). ds must be sorted.
func Dedup(ds []Diagnostic) []Diagnostic {
	return slices.CompactFunc(ds, func(a, b Diagnostic) bool {
		return a.Code == b.Code && a.Pos == b.Pos && a.Object == b.Object && a.Message == b.Message
	})
}

// Max returns the highest severity present and false when ds is empty.
func Max(ds []Diagnostic) (Severity, bool) {
	if len(ds) == 0 {
		return Info, false
	}
	m := Info
	for _, d := range ds {
		m = max(m, d.Severity)
	}
	return m, true
}

// HasErrors reports whether any diagnostic is an error.
func HasErrors(ds []Diagnostic) bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Split separates the diagnostics at min severity or above from the rest, each keeping its order
// (validate --show prints the first and only counts the second).
func Split(ds []Diagnostic, min Severity) (atLeast, below []Diagnostic) {
	for _, d := range ds {
		if d.Severity >= min {
			atLeast = append(atLeast, d)
		} else {
			below = append(below, d)
		}
	}
	return atLeast, below
}
