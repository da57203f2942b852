package schema

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/internal/goldentest"
)

// TestUnsupportedDocUpToDate keeps docs/unsupported.md (which the MR1006 hint names) generated
// from the loader's own tables: it fails when they drift and rewrites the page with -update.
func TestUnsupportedDocUpToDate(t *testing.T) {
	got, err := FieldsMarkdown()
	if err != nil {
		t.Fatal(err)
	}
	path := goldentest.Path("docs", "unsupported.md")
	if *goldentest.Update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./schema -update generates it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("docs/unsupported.md is out of date (go test ./schema -update regenerates it):\n%s", diff)
	}
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
