package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"
)

// editorValidators compiles, per kind, the schema the loader uses and the one editors get.
func editorValidators(t *testing.T) map[string][2]*jsonschema.Schema {
	t.Helper()
	all, err := compiledSchemas()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][2]*jsonschema.Schema{}
	for key, cs := range all {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(cs.editor))
		if err != nil {
			t.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		if err := c.AddResource("editor.json", doc); err != nil {
			t.Fatal(err)
		}
		ed, err := c.Compile("editor.json")
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		out[key] = [2]*jsonschema.Schema{cs.schema, ed}
	}
	return out
}

func instance(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// typoCases are documents with one misspelt field: at is the JSON pointer of the object
// holding it.
var typoCases = func() []typoCase {
	rt := func(route string) string {
		return `{"apiVersion":"networking.gloo.solo.io/v2","kind":"RouteTable","metadata":{"name":"r","namespace":"n"},"spec":{"hosts":["a.com"],"http":[` + route + `]}}`
	}
	vd := `{"apiVersion":"networking.gloo.solo.io/v2","kind":"VirtualDestination","metadata":{"name":"v","namespace":"n"},"spec":{"host":["a.com"],"ports":[{"number":80,"protocol":"HTTP"}]}}`
	return []typoCase{
		{"route action", GlooAPIVersion + "/" + KindRouteTable, rt(`{"name":"web","forwardto":{}}`), "/spec/http/0", "forwardto"},
		{"route matchers", GlooAPIVersion + "/" + KindRouteTable, rt(`{"name":"web","matcher":[{"uri":{"prefix":"/"}}],"forwardTo":{}}`), "/spec/http/0", "matcher"},
		{"string match", GlooAPIVersion + "/" + KindRouteTable, rt(`{"matchers":[{"uri":{"prefx":"/"}}],"forwardTo":{}}`), "/spec/http/0/matchers/0/uri", "prefx"},
		{"redirect", GlooAPIVersion + "/" + KindRouteTable, rt(`{"redirect":{"hostRedirekt":"b.com"}}`), "/spec/http/0/redirect", "hostRedirekt"},
		{"destination port", GlooAPIVersion + "/" + KindRouteTable, rt(`{"forwardTo":{"destinations":[{"ref":{"name":"s"},"port":{"numbr":80}}]}}`), "/spec/http/0/forwardTo/destinations/0/port", "numbr"},
		{"spec routes", GlooAPIVersion + "/" + KindRouteTable, `{"apiVersion":"networking.gloo.solo.io/v2","kind":"RouteTable","metadata":{"name":"r"},"spec":{"htp":[]}}`, "/spec", "htp"},
		{"virtual destination hosts", GlooAPIVersion + "/" + KindVirtualDestination, vd, "/spec", "host"},
	}
}()

type typoCase struct{ name, key, doc, at, field string }

// TestEditorSchemaTypos: in the schema editors get, a misspelt field fails only
// additionalProperties, at the object holding the typo, with no oneOf/anyOf restating branches.
func TestEditorSchemaTypos(t *testing.T) {
	v := editorValidators(t)
	for _, tc := range typoCases {
		t.Run(tc.name, func(t *testing.T) {
			var doc any
			if err := json.Unmarshal([]byte(tc.doc), &doc); err != nil {
				t.Fatal(err)
			}
			err := v[tc.key][1].Validate(instance(t, doc))
			var verr *jsonschema.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("the typo passed: %v", err)
			}
			var leaves []*jsonschema.ValidationError
			var walk func(*jsonschema.ValidationError)
			walk = func(e *jsonschema.ValidationError) {
				if len(e.Causes) == 0 {
					leaves = append(leaves, e)
				}
				for _, c := range e.Causes {
					walk(c)
				}
			}
			walk(verr)
			for _, l := range leaves {
				ap, ok := l.ErrorKind.(*kind.AdditionalProperties)
				if !ok || "/"+strings.Join(l.InstanceLocation, "/") != tc.at || !slices.Equal(ap.Properties, []string{tc.field}) {
					t.Errorf("error %v at /%s; want only additionalProperties %q at %s", l, strings.Join(l.InstanceLocation, "/"), tc.field, tc.at)
				}
			}
		})
	}
}

// TestEditorSchemaSameDocuments: every document of every input case is valid for the editor
// schema exactly when it is valid for the loader's.
func TestEditorSchemaSameDocuments(t *testing.T) {
	v := editorValidators(t)
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "*", "*.yaml"))
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var doc map[string]any
			if err := dec.Decode(&doc); err != nil {
				break // end of file, or a case of invalid YAML: nothing a schema sees
			}
			api, _ := doc["apiVersion"].(string)
			k, _ := doc["kind"].(string)
			pair, ok := v[api+"/"+k]
			if !ok {
				continue
			}
			in := instance(t, doc)
			loader, editor := pair[0].Validate(in) == nil, pair[1].Validate(in) == nil
			if loader != editor {
				t.Errorf("%s: %s %s valid for the loader: %v, for editors: %v", f, api, k, loader, editor)
			}
			n++
		}
	}
	if n < 100 {
		t.Fatalf("only %d documents checked", n)
	}
}
