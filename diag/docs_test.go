package diag

import (
	"strings"
	"testing"

	"github.com/meshroute/meshroute/internal/goldentest"
)

// TestDiagnosticsDocUpToDate keeps docs/diagnostics.md generated from the catalogue: it fails
// when they drift and rewrites the file with -update.
func TestDiagnosticsDocUpToDate(t *testing.T) {
	got, err := Markdown()
	if err != nil {
		t.Fatal(err)
	}
	goldentest.CompareGeneratedDoc(t, "diagnostics.md", got)
}

func TestMarkdownHasEverySection(t *testing.T) {
	entries, err := Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	md, err := Markdown()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		heading := "\n## " + e.Code + " " + e.Name + "\n"
		if !strings.Contains(string(md), heading) {
			t.Errorf("no section %q", strings.TrimSpace(heading))
		}
		if !strings.Contains(string(md), "(#"+Anchor(e)+")") {
			t.Errorf("index does not link %s", Anchor(e))
		}
	}
}

func TestMarkdownExamples(t *testing.T) {
	for _, tc := range []struct {
		name       string
		entry      Entry
		want, omit []string
	}{
		{"with examples", Entry{Code: "MR9", Name: "X", Summary: "s", Doc: "why", Bad: "a: 1\n", Fixed: "b: 2"},
			[]string{"why\n", "Reported for:\n\n```yaml\na: 1\n```", "Fixed:\n\n```yaml\nb: 2\n```"}, nil},
		{"without examples", Entry{Code: "MR9", Name: "X", Summary: "s"}, nil, []string{"```yaml", "Reported for"}},
		{"retired", Entry{Code: "MR9", Name: "X", Summary: "s", Retired: true}, []string{"**Retired**"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			md := string(section(tc.entry))
			for _, w := range tc.want {
				if !strings.Contains(md, w) {
					t.Errorf("missing %q in\n%s", w, md)
				}
			}
			for _, o := range tc.omit {
				if strings.Contains(md, o) {
					t.Errorf("unexpected %q in\n%s", o, md)
				}
			}
		})
	}
}

func TestAnchor(t *testing.T) {
	if got := Anchor(Entry{Code: "MR1001", Name: "UnknownField"}); got != "mr1001-unknownfield" {
		t.Errorf("Anchor = %q", got)
	}
}
