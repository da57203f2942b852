package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	yamlv2 "go.yaml.in/yaml/v2"

	"github.com/meshroute/meshroute/internal/goldentest"
)

// TestCompileOutputReadsBackUnderYAML11 compiles testdata/yaml11-strings, whose namespace, labels,
// selector, subset, header and query names and values and direct-response body are all strings
// a YAML 1.1 reader would retype if written plain (no, yes, on, y, n, 0x1f, 1:30, 2001-12-14,
// 1_000), and reads both targets' output back with go.yaml.in/yaml/v2, the reader kubectl and
// sigs.k8s.io/yaml use: every one must come back as the same string.
func TestCompileOutputReadsBackUnderYAML11(t *testing.T) {
	istioWant := []struct {
		kind string
		path []any
		want string
	}{
		{"DestinationRule", []any{"metadata", "namespace"}, "no"},
		{"DestinationRule", []any{"metadata", "labels", "meshroute.dev/parent-namespace"}, "no"},
		{"DestinationRule", []any{"spec", "subsets", 0, "labels", "canary"}, "on"},
		{"DestinationRule", []any{"spec", "subsets", 0, "labels", "yes"}, "1_000"},
		{"Gateway", []any{"spec", "selector", "on"}, "off"},
		{"ServiceEntry", []any{"metadata", "namespace"}, "no"},
		{"ServiceEntry", []any{"spec", "workloadSelector", "labels", "enabled"}, "yes"},
		{"VirtualService", []any{"spec", "http", 0, "match", 0, "headers", "x-internal", "exact"}, "no"},
		{"VirtualService", []any{"spec", "http", 0, "match", 0, "headers", "y", "exact"}, "0x1f"},
		{"VirtualService", []any{"spec", "http", 0, "match", 0, "queryParams", "n", "exact"}, "1:30"},
		{"VirtualService", []any{"spec", "http", 0, "match", 0, "queryParams", "on", "exact"}, "2001-12-14"},
		{"VirtualService", []any{"spec", "http", 1, "directResponse", "body", "string"}, "yes"},
	}
	docs := map[string]any{}
	for _, d := range readV2(t, compileStdout(t)) {
		kind, _ := lookup(d, "kind")
		docs[fmt.Sprint(kind)] = d
	}
	for _, w := range istioWant {
		got, err := lookup(docs[w.kind], w.path...)
		if err != nil || got != w.want {
			t.Errorf("istio %s %v: read back %#v (%v), want the string %q", w.kind, w.path, got, err, w.want)
		}
	}

	route := []any{"static_resources", "listeners", 0, "filter_chains", 0, "filters", 0, "typed_config",
		"route_config", "virtual_hosts", 0, "routes"}
	envoyWant := []struct {
		path []any
		want string
	}{
		{[]any{0, "match", "headers", 0, "string_match", "exact"}, "no"},
		{[]any{0, "match", "headers", 1, "name"}, "y"},
		{[]any{0, "match", "headers", 1, "string_match", "exact"}, "0x1f"},
		{[]any{0, "match", "query_parameters", 0, "name"}, "n"},
		{[]any{0, "match", "query_parameters", 0, "string_match", "exact"}, "1:30"},
		{[]any{0, "match", "query_parameters", 1, "name"}, "on"},
		{[]any{0, "match", "query_parameters", 1, "string_match", "exact"}, "2001-12-14"},
		{[]any{1, "direct_response", "body", "inline_string"}, "yes"},
	}
	bootstraps := readV2(t, compileStdout(t, "--target", "envoy"))
	if len(bootstraps) != 1 {
		t.Fatalf("%d Envoy documents, want 1", len(bootstraps))
	}
	for _, w := range envoyWant {
		path := append(append([]any{}, route...), w.path...)
		got, err := lookup(bootstraps[0], path...)
		if err != nil || got != w.want {
			t.Errorf("envoy routes%v: read back %#v (%v), want the string %q", w.path, got, err, w.want)
		}
	}
}

// compileStdout runs `meshroute compile` on the case for cluster-1 and returns standard output.
func compileStdout(t *testing.T, extra ...string) []byte {
	t.Helper()
	args := append([]string{"compile", "-f", goldentest.Path("testdata", "yaml11-strings"), "--cluster", "cluster-1"}, extra...)
	var out, errOut bytes.Buffer
	if code := run(args, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}); code != exitOK {
		t.Fatalf("meshroute %s: exit code %d: %s", strings.Join(args, " "), code, errOut.String())
	}
	return out.Bytes()
}

// readV2 decodes every document of a YAML stream as kubectl would.
func readV2(t *testing.T, data []byte) []any {
	t.Helper()
	var docs []any
	dec := yamlv2.NewDecoder(bytes.NewReader(data))
	for {
		var d any
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("yaml v2 cannot read the output: %v\n%s", err, data)
		}
		docs = append(docs, d)
	}
}

// lookup follows string keys and int indices through what yaml v2 decoded. A key v2 read as
// anything but a string (a YAML 1.1 boolean, say) is not found.
func lookup(v any, path ...any) (any, error) {
	for i, p := range path {
		switch p := p.(type) {
		case string:
			m, ok := v.(map[any]any)
			if !ok {
				return nil, fmt.Errorf("%v is not a mapping", path[:i])
			}
			if v, ok = m[p]; !ok {
				return nil, fmt.Errorf("no string key %q at %v (keys: %#v)", p, path[:i], keys(m))
			}
		case int:
			s, ok := v.([]any)
			if !ok || p >= len(s) {
				return nil, fmt.Errorf("no item %d at %v", p, path[:i])
			}
			v = s[p]
		}
	}
	return v, nil
}

func keys(m map[any]any) []any {
	out := make([]any, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
