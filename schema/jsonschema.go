package schema

import "github.com/meshroute/meshroute/diag"

// validateSchema checks a document against the JSON Schema of its kind.
// TODO(schema helper): replace with the embedded santhosh-tekuri/jsonschema validation.
func validateSchema(obj *Object, doc map[string]any) []diag.Diagnostic { return nil }
