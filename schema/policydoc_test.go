package schema

import (
	"strings"
	"testing"

	"github.com/meshroute/meshroute/internal/goldentest"
)

// TestPoliciesDocUpToDate keeps docs/policies.md generated from PolicyKinds: it fails when they
// drift and rewrites the page with -update.
func TestPoliciesDocUpToDate(t *testing.T) {
	goldentest.CompareGeneratedDoc(t, "policies.md", PoliciesMarkdown())
}

// Every policy kind has a row, and its schema names the selector fields the table says it has.
func TestPolicyKindsMatchSchemas(t *testing.T) {
	page := string(PoliciesMarkdown())
	for _, k := range PolicyKinds {
		if !strings.Contains(page, "| "+k.Kind+" | `"+k.APIVersion+"` |") {
			t.Errorf("%s has no row", k.Kind)
		}
		b, ok := JSONSchema(k.Kind)
		if !ok {
			t.Fatalf("%s has no schema", k.Kind)
		}
		for _, f := range []string{onRoutes, onDestinations, onRouteDests, onListeners, onWorkloads} {
			inSchema := strings.Contains(string(b), `"`+f+`"`)
			if inSchema != k.Attaches(f) {
				t.Errorf("%s: %s in schema %v, in PolicyKinds %v", k.Kind, f, inSchema, !inSchema)
			}
		}
	}
}
