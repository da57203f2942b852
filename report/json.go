package report

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
	Summary     jsonSummary      `json:"summary"`
}

// jsonSummary counts every finding, listed or not; Omitted has, per capped code, how many were
// left out of the list (each stands in it as one MR1012 entry, which is not counted).
type jsonSummary struct {
	counts
	Omitted map[string]int `json:"omitted,omitempty"`
}

// JSON writes {"diagnostics": [...], "summary": {"errors": n, "warnings": n, "infos": n}}, with
// "omitted": {"CODE": n} in the summary when some code had more than MaxPerCode findings.
func JSON(w io.Writer, ds []diag.Diagnostic) error {
	shown, omitted := listed(ds)
	doc := jsonDocument{Diagnostics: make([]jsonDiagnostic, 0, len(shown)), Summary: jsonSummary{count(ds), omittedCounts(omitted)}}
	for _, d := range shown {
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
