package schema

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/meshroute/meshroute/diag"
)

const clusterYAML = "apiVersion: meshroute.dev/v1alpha1\nkind: Cluster\nmetadata:\n  name: c1\n"

func TestLoadEdgeCases(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		max   int64
		code  string // "" means no diagnostic
		line  int
		objs  int // objects loaded (Len)
	}{
		{"empty file beside an object", map[string]string{"a.yaml": "", "b.yaml": clusterYAML}, 0, "", 0, 1},
		{"dashes only", map[string]string{"a.yaml": "---\n---\n", "b.yaml": clusterYAML}, 0, "", 0, 1},
		{"comments only", map[string]string{"a.yaml": "# nothing here\n", "b.yaml": clusterYAML}, 0, "", 0, 1},
		{"multi-document with comments", map[string]string{"a.yaml": "# one\n" + clusterYAML + "---\n# two\n" + strings.Replace(clusterYAML, "c1", "c2", 1) + "...\n"}, 0, "", 0, 2},
		{"malformed", map[string]string{"a.yaml": clusterYAML + "spec: {network: [}\n"}, 0, "MR1002", 4, 0},
		{"tab indentation", map[string]string{"a.yaml": "apiVersion: v1\nkind: Cluster\n\tmetadata: x\n"}, 0, "MR1002", 2, 0},
		{"binary", map[string]string{"a.yaml": "\x7fELF\x02\x01\x01\x00\x00"}, 0, "MR1009", 0, 0},
		{"invalid UTF-8", map[string]string{"a.yaml": "kind: \xff\xfe\n"}, 0, "MR1009", 0, 0},
		{"a list", map[string]string{"a.yaml": "- " + strings.ReplaceAll(clusterYAML, "\n", "\n  ")}, 0, "MR1008", 1, 0},
		{"a scalar", map[string]string{"a.yaml": "just text\n"}, 0, "MR1008", 1, 0},
		{"no kind", map[string]string{"a.yaml": "metadata: {name: x}\n"}, 0, "MR1008", 1, 0},
		{"kind not a string", map[string]string{"a.yaml": "apiVersion: v1\nkind: [Service]\n"}, 0, "MR1008", 1, 0},
		{"over the size cap", map[string]string{"a.yaml": clusterYAML}, 10, "MR1007", 0, 0},
		{"alias bomb", map[string]string{"a.yaml": laughs()}, 0, "MR1007", 1, 0},
		{"deep nesting", map[string]string{"a.yaml": clusterYAML + "spec: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n"}, 0, "MR1007", 1, 0},
		{"deep block nesting", map[string]string{"a.yaml": clusterYAML + "spec:\n" + deepBlock(300)}, 0, "MR1007", 1, 0},
		{"non-string key", map[string]string{"a.yaml": clusterYAML + "? [a, b]\n: c\n"}, 0, "MR1002", 5, 0},
		{"duplicate key", map[string]string{"a.yaml": clusterYAML + "metadata: {name: c2}\n"}, 0, "MR1002", 5, 0},
		{"duplicate nested key", map[string]string{"a.yaml": clusterYAML + "spec:\n  network: a\n  network: b\n"}, 0, "MR1002", 7, 0},
		{"merge keys are not duplicates", map[string]string{"a.yaml": "base: &b {network: n}\n---\n" + clusterYAML + "spec:\n  <<: {network: x}\n  clusterDomain: c.local\n"}, 0, "MR1004", 1, 1},
		// A Helm values file in a GitOps folder is not a Kubernetes object: ignored with an info;
		// a document with metadata but no kind is a broken object: an error.
		{"helm values ignored", map[string]string{"values.yaml": "replicaCount: 2\nimage: {repository: shop}\n", "b.yaml": clusterYAML}, 0, "MR1004", 1, 1},
		{"metadata without kind", map[string]string{"a.yaml": "metadata: {name: x}\nspec: {}\n", "b.yaml": clusterYAML}, 0, "MR1008", 1, 1},
		{"numeric keys are strings", map[string]string{"a.yaml": clusterYAML + "  labels: {1: one}\n"}, 0, "", 0, 1},
		{"JSON", map[string]string{"a.json": `{"apiVersion": "meshroute.dev/v1alpha1", "kind": "Cluster",` + "\n\t" + `"metadata": {"name": "c1"}, "spec": {"network": "n1"}}`}, 0, "", 0, 1},
		{"Windows line endings", map[string]string{"a.yaml": strings.ReplaceAll(clusterYAML+"spec:\n  network: n1\n", "\n", "\r\n")}, 0, "", 0, 1},
		// YAML directives: the parser itself knows only %YAML 1.1; positions stay exact.
		{"YAML 1.2 directive", map[string]string{"a.yaml": "%YAML 1.2\n---\n" + clusterYAML + "spec: {netwrk: n}\n"}, 0, "MR1001", 7, 1},
		{"YAML 1.2 directive after a byte order mark", map[string]string{"a.yaml": "\ufeff%YAML 1.2\r\n---\r\n" + clusterYAML}, 0, "", 0, 1},
		{"YAML 1.1 and TAG directives", map[string]string{"a.yaml": "%YAML 1.1\n%TAG !e! tag:example.com,2000:\n---\n" + clusterYAML}, 0, "", 0, 1},
		{"YAML 1.2 directive on a later document", map[string]string{"a.yaml": "%YAML 1.2 # comment\n---\n" + clusterYAML + "...\n%YAML 1.2\n---\n" + strings.Replace(clusterYAML, "c1", "c2", 1)}, 0, "", 0, 2},
		{"byte order mark", map[string]string{"a.yaml": "\ufeff" + clusterYAML}, 0, "", 0, 1},
		{"unknown kind kept aside", map[string]string{"a.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n", "b.yaml": clusterYAML}, 0, "MR1004", 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, content := range tc.files {
				fsys["in/"+name] = &fstest.MapFile{Data: []byte(content)}
			}
			set, ds, err := (&Loader{FS: fsys, MaxFileSize: tc.max}).Load([]Input{{Path: "in"}})
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if tc.code == "" && len(ds) > 0 || tc.code != "" && (len(ds) != 1 || ds[0].Code != tc.code || ds[0].Pos.Line != tc.line) {
				t.Fatalf("got\n%swant %q at line %d", dump(ds), tc.code, tc.line)
			}
			if set.Len() != tc.objs {
				t.Errorf("loaded %d objects, want %d", set.Len(), tc.objs)
			}
		})
	}
}

func deepBlock(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i+1) + "a:\n")
	}
	return b.String()
}

func TestLoadPositionsSurviveCRLFAndBOM(t *testing.T) {
	doc := "\ufeff" + strings.ReplaceAll(clusterYAML+"spec:\n  netwrk: n1\n", "\n", "\r\n")
	ds := loadString(t, doc)
	if len(ds) != 1 || ds[0].Code != "MR1001" || ds[0].Pos.Line != 6 || ds[0].Pos.Col != 3 {
		t.Fatalf("got\n%swant MR1001 at 6:3", dump(ds))
	}
}

func TestLoadUsageErrors(t *testing.T) {
	fsys := fstest.MapFS{
		"docs/readme.md":  {Data: []byte("# hi\n")},
		"empty/a.yaml":    {Data: []byte("")},
		"dashes/a.yaml":   {Data: []byte("---\n")},
		"ok/cluster.yaml": {Data: []byte(clusterYAML)},
	}
	for _, tc := range []struct{ name, path, text string }{
		{"missing path", "nope.yaml", "nope.yaml: no such file or directory"},
		{"folder without YAML", "docs", "docs: no *.yaml, *.yml or *.json files"},
		{"only empty files", "empty", "no input objects found in empty"},
		{"only document markers", "dashes", "no input objects found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := (&Loader{FS: fsys}).Load([]Input{{Path: tc.path}})
			var ue *UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("got error %v, want a UsageError containing %q", err, tc.text)
			}
		})
	}
	if _, _, err := (&Loader{}).Load(nil); err == nil {
		t.Error("no inputs should be a usage error")
	}
}

func TestLoadOSFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.yaml", clusterYAML)
	write("big.yml", clusterYAML+"# "+strings.Repeat("x", 200)+"\n")
	write("notes.txt", "ignored")
	_, ds, err := (&Loader{MaxFileSize: 100}).Load([]Input{{Path: dir}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Code != "MR1007" || !strings.HasSuffix(ds[0].Pos.File, "big.yml") {
		t.Fatalf("got\n%swant one MR1007 on big.yml", dump(ds))
	}
	// Standard input goes through the same checks.
	_, ds, err = (&Loader{Stdin: strings.NewReader("- a\n")}).Load([]Input{{Path: StdinPath}})
	if err != nil || len(ds) != 1 || ds[0].Code != "MR1008" || ds[0].Pos.File != "<stdin>" {
		t.Fatalf("stdin: got %v %v", ds, err)
	}
}

func TestSuggest(t *testing.T) {
	fields := []string{"matchers", "forwardTo", "delegate", "redirect", "directResponse", "name", "labels"}
	for _, tc := range []struct {
		in   string
		cand []string
		want string
	}{
		{"matcher", fields, "matchers"},
		{"forwardto", fields, "forwardTo"},
		{"forward_to", fields, "forwardTo"},
		{"direct_response", fields, "directResponse"},
		{"redirct", fields, "redirect"},
		{"nmae", fields, "name"},
		{"colour", fields, ""},
		{"x", fields, ""},
		{"", fields, ""},
		{"simple", []string{"PASSTHROUGH", "SIMPLE", "MUTUAL"}, "SIMPLE"},
		{"istio-mutual", []string{"ISTIO_MUTUAL", "MUTUAL"}, "ISTIO_MUTUAL"},
		{"clustr-1", []string{"cluster-1", "cluster-2"}, "cluster-1"},
		{"anything", nil, ""},
	} {
		if got := Suggest(tc.in, tc.cand); got != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Diagnostics always name a catalogued code, so renderers and docs never meet an unknown one.
func TestLoaderCodesAreCatalogued(t *testing.T) {
	for _, code := range []string{"MR1001", "MR1002", "MR1003", "MR1004", "MR1005", "MR1006", "MR1007", "MR1008", "MR1009", "MR1010"} {
		if _, ok := diag.Lookup(code); !ok {
			t.Errorf("%s is not in the catalogue", code)
		}
	}
}

// fanOut is an alias bomb of the kind a node budget misses: one long string, anchored once and
// aliased thousands of times, so few nodes expand to many bytes.
func fanOut(size, aliases int) string {
	var b strings.Builder
	b.WriteString("apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata: {name: r, namespace: ns}\nspec:\n")
	b.WriteString("  hosts: [&a '" + strings.Repeat("x", size) + "']\n  http:\n")
	for range aliases {
		b.WriteString("  - {name: *a}\n")
	}
	return b.String()
}

// An alias bomb is refused at the document, before its expansion costs memory: what the load
// allocates stays a small multiple of the input (the bomb expands to 60 MB).
func TestAliasBombBoundedBySize(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  string
	}{
		{"fan-out of a long string", fanOut(20000, 3000)},
		{"billion laughs", laughs()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			ds := loadString(t, tc.doc)
			runtime.ReadMemStats(&after)
			if len(ds) != 1 || ds[0].Code != "MR1007" || ds[0].Pos.Line != 1 {
				t.Fatalf("got\n%swant one MR1007 at line 1", dump(ds))
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32*uint64(len(tc.doc))+16<<20 {
				t.Errorf("the load allocated %d bytes for a %d-byte input", alloc, len(tc.doc))
			}
		})
	}
}

// Aliases within the budget still work, in a small file and in a large one.
func TestAliasesWithinBudget(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  string
	}{
		{"small file, 1 MiB of expansion", fanOut(900, 1000)},
		{"large file, 4 times its size", fanOut(200000, 4)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, d := range loadString(t, tc.doc) {
				if d.Code == "MR1007" {
					t.Errorf("refused: %v", d)
				}
			}
		})
	}
}

// The total limit stops reading at the file that crosses it: that file and the later ones are
// not read, the earlier ones are.
func TestLoadTotalSizeLimit(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, name := range []string{"a", "b", "c"} {
		fsys["in/"+name+".yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(clusterYAML, "c1", name, 1))}
	}
	set, ds, err := (&Loader{FS: fsys, MaxTotalSize: int64(len(clusterYAML)) + 10}).Load([]Input{{Path: "in"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Code != "MR1007" || ds[0].Pos.File != "in/b.yaml" {
		t.Fatalf("got\n%swant one MR1007 on in/b.yaml", dump(ds))
	}
	if set.Len() != 1 {
		t.Errorf("loaded %d objects, want only a.yaml's", set.Len())
	}
}

// A folder of many small objects meshroute ignores costs little memory once loaded: their YAML
// trees are not kept (only for a suppress annotation), identical findings share their text, and
// past maxDiagnosticsPerCode findings of a code are only counted.
func TestManyIgnoredDocumentsStaySmall(t *testing.T) {
	const n = 20000
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c%d, labels: {app: web}}\ndata: {a: b, c: d}\n---\nx: %d\n", i, i)
	}
	fsys := fstest.MapFS{"in.yaml": {Data: []byte(b.String())}}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	set, ds, err := (&Loader{FS: fsys}).Load([]Input{{Path: "in.yaml"}})
	runtime.GC()
	runtime.ReadMemStats(&after)
	// Both kinds of document are MR1004: the loader keeps the first ones and counts the rest.
	if err != nil || len(set.Others) != n || len(ds) != maxDiagnosticsPerCode+1 {
		t.Fatalf("%d others, %d diagnostics, %v", len(set.Others), len(ds), err)
	}
	if o := ds[len(ds)-1].Omitted; o == nil || o.Code != "MR1004" || o.Count != 2*n-maxDiagnosticsPerCode {
		t.Errorf("last diagnostic %v, want MR1012 for %d MR1004", ds[len(ds)-1], 2*n-maxDiagnosticsPerCode)
	}
	if perDoc := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / (2 * n); perDoc > 350 {
		t.Errorf("%d bytes kept per document", perDoc)
	}
	runtime.KeepAlive(set)
	runtime.KeepAlive(ds)
}
