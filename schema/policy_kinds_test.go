package schema

import (
	"strings"
	"testing"
)

// Every policy kind's schema names exactly the selector fields PolicyKinds says it has.
func TestPolicyKindsMatchSchemas(t *testing.T) {
	for _, k := range PolicyKinds {
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
