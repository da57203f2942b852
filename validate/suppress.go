package validate

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// Suppression drops warnings and infos whose code matches Code and, when Kind is set, whose
// object matches Kind/Namespace/Name. Every part may hold '*' wildcards.
type Suppression struct {
	Code                  string
	Kind, Namespace, Name string
}

// String is the suppression as --suppress takes it.
func (s Suppression) String() string {
	if s.Kind == "" {
		return s.Code
	}
	return fmt.Sprintf("%s=%s/%s/%s", s.Code, s.Kind, s.Namespace, s.Name)
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9*]+$`)

// ParseSuppression reads --suppress values: "CODE" or "CODE=Kind/namespace/name", with
// "Kind/name" short for "Kind/*/name" (cluster-scoped kinds, or any namespace). A code that is
// not in the catalogue, or that is an error, is refused: errors always stop compile, so silently
// accepting such a flag would only mislead.
func ParseSuppression(s string) (Suppression, error) {
	code, obj, hasObj := strings.Cut(strings.TrimSpace(s), "=")
	code = strings.ToUpper(strings.TrimSpace(code))
	if err := checkSuppressibleCode(code); err != nil {
		return Suppression{}, fmt.Errorf("--suppress %s: %w", s, err)
	}
	sup := Suppression{Code: code}
	if !hasObj {
		return sup, nil
	}
	parts := strings.Split(strings.TrimSpace(obj), "/")
	switch len(parts) {
	case 2:
		sup.Kind, sup.Namespace, sup.Name = parts[0], "*", parts[1]
	case 3:
		sup.Kind, sup.Namespace, sup.Name = parts[0], parts[1], parts[2]
	default:
		return Suppression{}, fmt.Errorf("--suppress %s: want CODE=Kind/namespace/name or CODE=Kind/name", s)
	}
	if sup.Kind == "" || sup.Namespace == "" || sup.Name == "" {
		return Suppression{}, fmt.Errorf("--suppress %s: empty part in %q (use * for any)", s, obj)
	}
	return sup, nil
}

// checkSuppressibleCode accepts a warning or info code, or a pattern matching at least one.
func checkSuppressibleCode(code string) error {
	if code == "" || !codePattern.MatchString(code) {
		return fmt.Errorf("%q is not a diagnostic code (like MR3002) or a pattern (like MR30*)", code)
	}
	entries, err := diag.Catalogue()
	if err != nil {
		return err
	}
	matched := false
	for _, e := range entries {
		if !glob(code, e.Code) {
			continue
		}
		matched = true
		if e.Severity < diag.Error {
			return nil
		}
	}
	switch {
	case !matched:
		return fmt.Errorf("%s is not a diagnostic code (see docs/diagnostics.md)", code)
	case !strings.Contains(code, "*"):
		return fmt.Errorf("%s is an error; only warnings and infos can be suppressed (errors always stop compile)", code)
	}
	return fmt.Errorf("%s matches only errors; only warnings and infos can be suppressed", code)
}

func (s Suppression) matches(d diag.Diagnostic) bool {
	if !glob(s.Code, d.Code) {
		return false
	}
	if s.Kind == "" {
		return true
	}
	o := d.Object
	return o.Kind != "" && glob(s.Kind, o.Kind) && glob(s.Namespace, o.Namespace) && glob(s.Name, o.Name)
}

// glob matches s against a pattern whose only metacharacter is '*' (any run of characters).
func glob(pattern, s string) bool {
	star := strings.IndexByte(pattern, '*')
	if star < 0 {
		return pattern == s
	}
	if !strings.HasPrefix(s, pattern[:star]) {
		return false
	}
	rest, s := pattern[star+1:], s[star:]
	for i := 0; i <= len(s); i++ {
		if glob(rest, s[i:]) {
			return true
		}
	}
	return false
}

// applySuppressions drops the warnings and infos matched by a flag or by the annotation of the
// object they are about. Errors are kept whatever the suppressions say.
func applySuppressions(ds []diag.Diagnostic, sups []Suppression, src *sources) []diag.Diagnostic {
	annotated := map[diag.ObjectRef][]string{}
	for ref, o := range src.objects {
		if v, ok := o.Metadata.Annotations[schema.AnnotationSuppress]; ok {
			annotated[ref] = annotationCodes(v)
		}
	}
	if len(sups) == 0 && len(annotated) == 0 {
		return ds
	}
	kept := ds[:0]
	for _, d := range ds {
		// An MR1012 entry counting left-out findings goes with the code it counts.
		counted := d
		if d.Omitted != nil {
			counted.Code = d.Omitted.Code
		}
		if d.Severity == diag.Error || !suppressed(d, sups, annotated[d.Object]) && !suppressed(counted, sups, annotated[d.Object]) {
			kept = append(kept, d)
		}
	}
	return kept
}

func suppressed(d diag.Diagnostic, sups []Suppression, codes []string) bool {
	for _, s := range sups {
		if s.matches(d) {
			return true
		}
	}
	for _, c := range codes {
		if glob(c, d.Code) {
			return true
		}
	}
	return false
}

// annotationCodes splits "MR3002, MR1005" into codes.
func annotationCodes(v string) []string {
	var codes []string
	for _, c := range strings.Split(v, ",") {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
			codes = append(codes, c)
		}
	}
	return codes
}

// checkSuppressAnnotations reports annotation entries that name no code or an error code
// (MR1003, at the annotation's value): like the flag, such an entry cannot do what it says.
func checkSuppressAnnotations(src *sources) []diag.Diagnostic {
	var ds []diag.Diagnostic
	path := "/metadata/annotations/" + strings.ReplaceAll(schema.AnnotationSuppress, "/", "~1")
	for _, o := range src.orderedObjects() {
		v, ok := o.Metadata.Annotations[schema.AnnotationSuppress]
		if !ok {
			continue
		}
		for _, c := range annotationCodes(v) {
			if err := checkSuppressibleCode(c); err != nil {
				ds = append(ds, diag.SchemaViolation(o.ValuePos(path), schema.AnnotationSuppress+" annotation", err.Error()).
					WithObject(o.Ref(), path).
					WithHint("list warning or info codes separated by commas, e.g. MR3002,MR1005"))
			}
		}
	}
	return ds
}
