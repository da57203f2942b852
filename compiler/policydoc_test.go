package compiler

import (
	"slices"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/schema"
)

// TestPoliciesDocUpToDate keeps docs/policies.md generated from schema.PolicyKinds and
// compiledPolicies: it fails when they drift and rewrites the page with -update.
func TestPoliciesDocUpToDate(t *testing.T) {
	goldentest.CompareGeneratedDoc(t, "policies.md", PoliciesMarkdown())
}

// Every policy kind has a row, and every compiled kind is a policy kind with a mapping table.
func TestPoliciesDocRows(t *testing.T) {
	page := string(PoliciesMarkdown())
	for _, k := range schema.PolicyKinds {
		if !strings.Contains(page, "| "+k.Kind+" | `"+k.APIVersion+"` |") {
			t.Errorf("%s has no row", k.Kind)
		}
	}
	for _, c := range compiledPolicies {
		if !slices.ContainsFunc(schema.PolicyKinds, func(k schema.PolicyKind) bool { return k.Kind == c.Kind }) {
			t.Errorf("compiled kind %s is not a policy kind", c.Kind)
		}
		if len(c.Fields) == 0 {
			t.Errorf("compiled kind %s has no field mapping", c.Kind)
		}
	}
}
