package schema

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// kindSchema ties an input kind to its JSON Schema file under schemas/.
type kindSchema struct {
	APIVersion string
	Kind       string
	File       string
}

// kindSchemas is the registry of input kinds that have a schema. A new kind (e.g. the RouteTest
// of meshroute.dev/v1alpha1) is one line here plus its file under schemas/; policy kinds are
// listed in PolicyKinds (policy.go).
var kindSchemas = append([]kindSchema{
	{GlooAPIVersion, KindVirtualGateway, "virtualgateway.json"},
	{GlooAPIVersion, KindVirtualDestination, "virtualdestination.json"},
	{GlooAPIVersion, KindRouteTable, "routetable.json"},
	{GlooAPIVersion, KindExternalService, "externalservice.json"},
	{GlooAPIVersion, KindExternalEndpoint, "externalendpoint.json"},
	{InventoryAPIVersion, KindCluster, "cluster.json"},
	{"v1", KindService, "service.json"},
	{"v1", KindNamespace, "namespace.json"},
	{AdminAPIVersion, KindWorkspace, "workspace.json"},
	{AdminAPIVersion, KindWorkspaceSettings, "workspacesettings.json"},
	{InventoryAPIVersion, KindConfig, "config.json"},
}, policyKindSchemas()...)

//go:embed schemas/*.json
var schemaFiles embed.FS

const (
	schemaBase  = "https://meshroute.dev/schemas/"
	commonFile  = "common.json"
	commonRefTo = commonFile + "#/$defs/"
)

// compiledSchema is one kind's bundled schema: the bytes `meshroute schema` prints, the parsed
// document (to read property names and messages when explaining an error) and the validator.
type compiledSchema struct {
	url     string
	bundled []byte
	editor  []byte // what `meshroute schema` prints: bundled, rewritten by editorSchema
	doc     any
	schema  *jsonschema.Schema
}

// compiledSchemas compiles every schema once; an error means a broken embedded schema, which
// the package tests catch.
var compiledSchemas = sync.OnceValues(func() (map[string]*compiledSchema, error) {
	out := map[string]*compiledSchema{}
	for _, k := range kindSchemas {
		b, err := bundle(k.File)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", k.File, err)
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		url := schemaBase + k.File
		if err := c.AddResource(url, doc); err != nil {
			return nil, fmt.Errorf("schema %s: %w", k.File, err)
		}
		sch, err := c.Compile(url)
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", k.File, err)
		}
		editor, err := editorSchema(b)
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", k.File, err)
		}
		out[k.APIVersion+"/"+k.Kind] = &compiledSchema{url: url, bundled: b, editor: editor, doc: doc, schema: sch}
	}
	return out, nil
})

func lookupSchema(apiVersion, kind string) (*compiledSchema, error) {
	all, err := compiledSchemas()
	if err != nil {
		return nil, err
	}
	return all[apiVersion+"/"+kind], nil
}

// JSONSchema returns the self-contained JSON Schema (draft 2020-12) of an input kind, named
// case-insensitively ("routetable", "RouteTable"), for `meshroute schema KIND` and editors.
func JSONSchema(kind string) ([]byte, bool) {
	all, err := compiledSchemas()
	if err != nil {
		return nil, false
	}
	for _, k := range kindSchemas {
		if strings.EqualFold(k.Kind, kind) {
			return slices.Clone(all[k.APIVersion+"/"+k.Kind].editor), true
		}
	}
	return nil, false
}

// SchemaKinds lists the kinds JSONSchema knows, in registry order.
func SchemaKinds() []string {
	out := make([]string, len(kindSchemas))
	for i, k := range kindSchemas {
		out[i] = k.Kind
	}
	return out
}

// bundle inlines the common definitions a kind's schema uses, so the result needs no other
// file: editors given one schema by URL or file cannot follow a relative reference.
func bundle(file string) ([]byte, error) {
	var doc, common map[string]any
	if err := readSchemaFile(file, &doc); err != nil {
		return nil, err
	}
	if err := readSchemaFile(commonFile, &common); err != nil {
		return nil, err
	}
	commonDefs, _ := common["$defs"].(map[string]any)
	defs, _ := doc["$defs"].(map[string]any)
	if defs == nil {
		defs = map[string]any{}
	}
	// Follow references transitively: a common definition may use others.
	queue := rewriteRefs(doc)
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if _, done := defs[name]; done {
			if _, own := commonDefs[name]; own && !sameValue(defs[name], commonDefs[name]) {
				return nil, fmt.Errorf("schema %s: definition %s clashes with %s", file, name, commonFile)
			}
			continue
		}
		def, ok := commonDefs[name]
		if !ok {
			return nil, fmt.Errorf("schema %s: %s has no definition %s", file, commonFile, name)
		}
		defs[name] = def
		queue = append(queue, localRefs(def)...)
	}
	if len(defs) > 0 {
		doc["$defs"] = defs
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("schema %s: %w", file, err)
	}
	return buf.Bytes(), nil
}

func readSchemaFile(name string, into any) error {
	b, err := schemaFiles.ReadFile("schemas/" + name)
	if err != nil {
		return fmt.Errorf("schema %s: %w", name, err)
	}
	if err := json.Unmarshal(b, into); err != nil {
		return fmt.Errorf("schema %s: %w", name, err)
	}
	return nil
}

// rewriteRefs turns "common.json#/$defs/X" into "#/$defs/X" throughout v and returns the
// names it rewrote.
func rewriteRefs(v any) []string {
	var names []string
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && k == "$ref" && strings.HasPrefix(s, commonRefTo) {
				v[k] = "#/$defs/" + strings.TrimPrefix(s, commonRefTo)
				names = append(names, strings.TrimPrefix(s, commonRefTo))
				continue
			}
			names = append(names, rewriteRefs(x)...)
		}
	case []any:
		for _, x := range v {
			names = append(names, rewriteRefs(x)...)
		}
	}
	slices.Sort(names)
	return names
}

// localRefs lists the "#/$defs/X" names used inside a common definition.
func localRefs(v any) []string {
	var names []string
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && k == "$ref" && strings.HasPrefix(s, "#/$defs/") {
				names = append(names, strings.TrimPrefix(s, "#/$defs/"))
				continue
			}
			names = append(names, localRefs(x)...)
		}
	case []any:
		for _, x := range v {
			names = append(names, localRefs(x)...)
		}
	}
	slices.Sort(names)
	return names
}

func sameValue(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}
