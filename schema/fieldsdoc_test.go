package schema

import (
	"strings"
	"testing"

	"github.com/meshroute/meshroute/internal/goldentest"
)

// TestUnsupportedDocUpToDate keeps docs/unsupported.md (which the MR1006 hint names) generated
// from the loader's own tables: it fails when they drift and rewrites the page with -update.
func TestUnsupportedDocUpToDate(t *testing.T) {
	got, err := FieldsMarkdown()
	if err != nil {
		t.Fatal(err)
	}
	goldentest.CompareGeneratedDoc(t, "unsupported.md", got)
}

// Every refused field and every note names a field the schemas know, so the page and the
// loader cannot silently disagree after a schema edit.
func TestUnsupportedDocCoversTables(t *testing.T) {
	got, err := FieldsMarkdown()
	if err != nil {
		t.Fatal(err)
	}
	page := string(got)
	for _, p := range routingFields {
		row := "| `" + strings.ReplaceAll(strings.ReplaceAll(strings.TrimPrefix(p, "/"), "/*", "[]"), "/", ".") + "` | **refused**"
		if !strings.Contains(page, row) {
			t.Errorf("routing field %s has no refused row", p)
		}
	}
	for p, note := range fieldNotes {
		if !strings.Contains(page, note) {
			t.Errorf("note for %s does not appear: no such field in the schemas", p)
		}
	}
}
