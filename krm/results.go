package krm

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/meshroute/meshroute/diag"
)

// result is one entry of the ResourceList's results, as the KRM functions specification
// defines it.
type result struct {
	Message     string            `yaml:"message"`
	Severity    string            `yaml:"severity"`
	ResourceRef *resourceRef      `yaml:"resourceRef,omitempty"`
	Field       *field            `yaml:"field,omitempty"`
	File        *file             `yaml:"file,omitempty"`
	Tags        map[string]string `yaml:"tags,omitempty"`
}

type resourceRef struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Name       string `yaml:"name"`
	Namespace  string `yaml:"namespace,omitempty"`
}

type field struct {
	Path string `yaml:"path"`
}

type file struct {
	Path  string `yaml:"path"`
	Index int    `yaml:"index,omitempty"`
}

// result turns a diagnostic into a result about the item its position falls in: that item's
// identity and the file and index the orchestrator read it from. The code leads the message and
// the hint ends it (orchestrators print only the message), and the code is also a tag.
func (l *resourceList) result(d diag.Diagnostic) result {
	r := result{Message: d.Code + ": " + d.Message, Severity: d.Severity.String(), Tags: map[string]string{"code": d.Code}}
	if d.Hint != "" {
		r.Message += " (hint: " + d.Hint + ")"
	}
	if d.Path != "" {
		r.Field = &field{Path: fieldPath(d.Path)}
	}
	if i := l.itemAt(d.Pos); i >= 0 {
		item := l.items[i]
		r.ResourceRef = refOf(item)
		annotations := get(get(item, "metadata"), "annotations")
		path := first(get(annotations, pathAnnotation).Value, get(annotations, legacyPathAnnotation).Value)
		if path != "" {
			index, _ := strconv.Atoi(first(get(annotations, indexAnnotation).Value, get(annotations, legacyIndex).Value))
			r.File = &file{Path: path, Index: index}
		}
	}
	return r
}

// refOf names an object node; nil when it has no kind.
func refOf(n *yaml.Node) *resourceRef {
	meta := get(n, "metadata")
	ref := &resourceRef{APIVersion: get(n, "apiVersion").Value, Kind: get(n, "kind").Value,
		Name: get(meta, "name").Value, Namespace: get(meta, "namespace").Value}
	if ref.Kind == "" {
		return nil
	}
	return ref
}

// fieldPath turns a JSON pointer into the dotted form KRM tools print: /spec/http/0/matchers →
// spec.http[0].matchers; a key holding a dot or a slash is bracketed ([meshroute.dev/cluster]).
func fieldPath(pointer string) string {
	var b strings.Builder
	for seg := range strings.SplitSeq(strings.TrimPrefix(pointer, "/"), "/") {
		seg = strings.NewReplacer("~1", "/", "~0", "~").Replace(seg)
		_, err := strconv.Atoi(seg)
		switch {
		case err == nil, strings.ContainsAny(seg, "./"):
			b.WriteString("[" + seg + "]")
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(seg)
		}
	}
	return b.String()
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
