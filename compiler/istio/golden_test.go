package istio

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/render"
	"github.com/meshroute/meshroute/schema"
	"github.com/meshroute/meshroute/validate"
)

// compiled is what `meshroute compile --out-dir` produces from one set of inputs: the objects
// per cluster and the files it would write, keyed <cluster>/<kind>-<namespace>-<name>.yaml.
type compiled struct {
	objects map[string][]render.Object
	files   map[string][]byte
}

// compile loads, validates, emits and renders; ok is false when validation found an error
// (compile would write nothing).
func compile(t *testing.T, l *schema.Loader, inputs []schema.Input) (out compiled, ds []diag.Diagnostic, ok bool) {
	t.Helper()
	set, ds, err := l.Load(inputs)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	m, vds := validate.Run(set, validate.Options{})
	ds = append(ds, vds...)
	if diag.HasErrors(ds) {
		return out, ds, false
	}
	out = compiled{objects: Emit(m), files: map[string][]byte{}}
	for cluster, objs := range out.objects {
		for _, o := range objs {
			y, err := render.ObjectYAML(o)
			if err != nil {
				t.Fatalf("render %s %s/%s: %v", o.Kind, o.Namespace, o.Name, err)
			}
			out.files[cluster+"/"+render.ManifestFileName(o)] = y
		}
	}
	return out, ds, true
}

// byCluster splits compiled files by their cluster folder.
func byCluster(files map[string][]byte) map[string]map[string][]byte {
	out := map[string]map[string][]byte{}
	for name, data := range files {
		cluster, file, _ := strings.Cut(name, "/")
		if out[cluster] == nil {
			out[cluster] = map[string][]byte{}
		}
		out[cluster][file] = data
	}
	return out
}

// TestGolden compiles every testdata case that validates without errors and compares the Istio
// output with golden/<case>/<cluster>/. Each cluster folder is compared on its own, so -update
// never touches the diagnostics (validate.*) or Envoy (envoy/) goldens next to them.
func TestGolden(t *testing.T) {
	n := 0
	for _, c := range goldentest.Cases(t) {
		t.Run(c, func(t *testing.T) {
			out, ds, ok := compile(t, &schema.Loader{}, []schema.Input{{Path: goldentest.Path("testdata", c)}})
			if !ok {
				t.Skipf("validation reports errors; compile writes nothing:\n%s", errorsOf(ds))
			}
			n++
			clusters := byCluster(out.files)
			if len(clusters) == 0 {
				t.Fatalf("case %s validates but emits no Istio object", c)
			}
			for cluster, files := range clusters {
				goldentest.CompareDir(t, c+"/"+cluster, files)
			}
			for _, objs := range out.objects {
				roundTrip(t, objs)
			}
		})
	}
	if n == 0 {
		t.Error("no testdata case compiled")
	}
}

// TestDeterminism compiles every case again from its documents shuffled across files and
// within them, and expects byte-identical output: nothing may depend on file or document order.
func TestDeterminism(t *testing.T) {
	for _, c := range goldentest.Cases(t) {
		t.Run(c, func(t *testing.T) {
			dir := goldentest.Path("testdata", c)
			want, _, ok := compile(t, &schema.Loader{}, []schema.Input{{Path: dir}})
			if !ok {
				t.Skip("validation reports errors")
			}
			docs := documents(t, dir)
			for seed := range uint64(3) {
				fsys := shuffled(docs, seed)
				got, ds, ok := compile(t, &schema.Loader{FS: fsys}, []schema.Input{{Path: "."}})
				if !ok {
					t.Fatalf("seed %d: shuffled inputs fail validation: %v", seed, ds)
				}
				for _, name := range sortedKeys(want.files, got.files) {
					if !bytes.Equal(want.files[name], got.files[name]) {
						t.Errorf("seed %d: %s differs:\nin order:\n%s\nshuffled:\n%s", seed, name, want.files[name], got.files[name])
					}
				}
			}
		})
	}
}

// documents reads every YAML document of a case folder.
func documents(t *testing.T, dir string) []string {
	t.Helper()
	var docs []string
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (path.Ext(p) != ".yaml" && path.Ext(p) != ".yml") {
			return err
		}
		data, err := os.ReadFile(path.Join(dir, p))
		if err != nil {
			return err
		}
		for _, doc := range strings.Split("\n"+string(data), "\n---") {
			if strings.TrimSpace(doc) != "" {
				docs = append(docs, strings.TrimPrefix(doc, "\n")+"\n")
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

// shuffled deals the documents, in a seeded random order, into a random number of files.
func shuffled(docs []string, seed uint64) fstest.MapFS {
	r := rand.New(rand.NewPCG(seed, 0x6d657368))
	docs = slices.Clone(docs)
	r.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	nfiles := 1 + r.IntN(len(docs))
	contents := make([][]string, nfiles)
	for _, d := range docs {
		i := r.IntN(nfiles)
		contents[i] = append(contents[i], d)
	}
	fsys := fstest.MapFS{}
	for i, c := range contents {
		if len(c) == 0 {
			continue
		}
		fsys[fmt.Sprintf("f%02d.yaml", i)] = &fstest.MapFile{Data: []byte(strings.Join(c, "---\n"))}
	}
	return fsys
}

func sortedKeys(a, b map[string][]byte) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// errorsOf lists the error diagnostics, for the skip message of a case compile refuses.
func errorsOf(ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		if d.Severity == diag.Error {
			b.WriteString(d.String() + "\n")
		}
	}
	return b.String()
}
