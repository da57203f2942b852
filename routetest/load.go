package routetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// UsageError is a test file that cannot be read at all (exit code 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// LoadFiles reads test files (a folder is walked for *.yaml, *.yml and *.json, sorted). Content
// problems are diagnostics; an unreadable path or no test at all is a *UsageError.
func LoadFiles(paths []string) ([]*Test, []diag.Diagnostic, error) {
	var tests []*Test
	var ds []diag.Diagnostic
	for _, p := range paths {
		files, err := expand(p)
		if err != nil {
			return nil, nil, &UsageError{err}
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, nil, &UsageError{err}
			}
			t, d := Parse(f, data)
			tests, ds = append(tests, t...), append(ds, d...)
		}
	}
	if len(tests) == 0 && !diag.HasErrors(ds) {
		return nil, ds, &UsageError{fmt.Errorf("no RouteTest found in %s", strings.Join(paths, ", "))}
	}
	return tests, ds, nil
}

func expand(p string) ([]string, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{p}, nil
	}
	var files []string
	err = filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".yaml", ".yml", ".json":
			if !d.IsDir() {
				files = append(files, path)
			}
		}
		return nil
	})
	slices.Sort(files)
	return files, err
}

// Parse reads the RouteTest documents of one file, checked against the JSON Schema, every test
// with its position. Documents of other kinds are skipped with an info diagnostic (a folder of
// inputs may hold both).
func Parse(file string, data []byte) ([]*Test, []diag.Diagnostic) {
	var tests []*Test
	var ds []diag.Diagnostic
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			ds = append(ds, diag.UnreadableYAMLFile(diag.Position{File: file, Line: 1}, file, err))
			break
		}
		if len(doc.Content) == 0 {
			continue
		}
		t, d := parseDoc(file, doc.Content[0])
		tests, ds = append(tests, t...), append(ds, d...)
	}
	return tests, ds
}

func parseDoc(file string, root *yaml.Node) ([]*Test, []diag.Diagnostic) {
	pos := func(ptr []string) diag.Position { return schema.NodePos(file, root, ptr) }
	if root.Kind != yaml.MappingNode {
		return nil, []diag.Diagnostic{diag.RouteTestNotAMapping(pos(nil))}
	}
	var value any
	if err := root.Decode(&value); err != nil {
		return nil, []diag.Diagnostic{diag.YAMLDecodeError(pos(nil), err)}
	}
	doc, _ := value.(map[string]any)
	if doc["apiVersion"] != APIVersion || doc["kind"] != Kind {
		return nil, []diag.Diagnostic{diag.NotARouteTest(pos(nil), doc["apiVersion"], doc["kind"], APIVersion, Kind)}
	}
	sch, err := compiled()
	if err != nil {
		return nil, []diag.Diagnostic{diag.CannotCheck(pos(nil), "RouteTest", err)}
	}
	var verr *jsonschema.ValidationError
	if errors.As(sch.Validate(value), &verr) {
		return nil, explain(verr, pos)
	}
	raw, err := json.Marshal(value)
	if err != nil {
		return nil, []diag.Diagnostic{diag.SchemaError(pos(nil), err)}
	}
	var spec struct {
		Spec struct {
			Tests []*Test `json:"tests"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, []diag.Diagnostic{diag.SchemaError(pos(nil), err)}
	}
	for i, t := range spec.Spec.Tests {
		t.Pos = pos([]string{"spec", "tests", strconv.Itoa(i)})
	}
	return spec.Spec.Tests, nil
}

var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(jsonSchema))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	const url = "https://meshroute.dev/schemas/routetest.json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
})

var printer = message.NewPrinter(language.English)

// explain turns the leaves of a validation error into one diagnostic per place.
func explain(e *jsonschema.ValidationError, pos func([]string) diag.Position) []diag.Diagnostic {
	var ds []diag.Diagnostic
	seen := map[string]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		ptr := "/" + strings.Join(e.InstanceLocation, "/")
		if seen[ptr] {
			return
		}
		seen[ptr] = true
		ds = append(ds, diag.SchemaViolation(pos(e.InstanceLocation), ptr, e.ErrorKind.LocalizedString(printer)))
	}
	walk(e)
	return ds
}
