package render

import (
	"encoding/json"
	"io"

	"github.com/meshroute/meshroute/diag"
)

// jsonDiagnostic fixes the field order and spells the severity out, so the document reads the
// same as the text format and tools need no numeric mapping.
type jsonDiagnostic struct {
	Code     string          `json:"code"`
	Name     string          `json:"name,omitempty"`
	Severity string          `json:"severity"`
	Position diag.Position   `json:"position"`
	Object   *diag.ObjectRef `json:"object,omitempty"`
	Path     string          `json:"path,omitempty"`
	Message  string          `json:"message"`
	Hint     string          `json:"hint,omitempty"`
	Related  []diag.Related  `json:"related,omitempty"`
}

type jsonDocument struct {
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
	Summary     counts           `json:"summary"`
}

// JSON writes {"diagnostics": [...], "summary": {"errors": n, "warnings": n, "infos": n}}.
func JSON(w io.Writer, ds []diag.Diagnostic) error {
	doc := jsonDocument{Diagnostics: make([]jsonDiagnostic, 0, len(ds)), Summary: count(ds)}
	for _, d := range ds {
		jd := jsonDiagnostic{
			Code: d.Code, Severity: d.Severity.String(), Position: d.Pos, Path: d.Path,
			Message: d.Message, Hint: d.Hint, Related: d.Related,
		}
		if e, ok := diag.Lookup(d.Code); ok {
			jd.Name = e.Name
		}
		if d.Object != (diag.ObjectRef{}) {
			obj := d.Object
			jd.Object = &obj
		}
		doc.Diagnostics = append(doc.Diagnostics, jd)
	}
	return writeJSON(w, doc)
}

// writeJSON writes v indented with a final newline, without HTML escaping (messages quote YAML
// such as `a < b` that should stay readable).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
