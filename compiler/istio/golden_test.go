package istio

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
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

// load is the loader and input of one golden case.
func load(c goldentest.Case) (*schema.Loader, []schema.Input) {
	fsys, input := c.Input()
	return &schema.Loader{FS: fsys}, []schema.Input{{Path: input}}
}

// TestGolden compiles every case that validates without errors and compares each cluster's
// Istio output, the stream `meshroute compile --cluster <c>` prints, with golden/<case>/<c>.yaml.
// A behaviour case keeps every cluster's stream; a diagnostic case only the streams present
// (usually none: its point is the diagnostic). The objects of every case also round-trip.
func TestGolden(t *testing.T) {
	var n atomic.Int32
	t.Cleanup(func() { // after the parallel subtests
		if n.Load() == 0 {
			t.Error("no testdata case compiled")
		}
	})
	for _, c := range goldentest.AllCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			l, inputs := load(c)
			out, ds, ok := compile(t, l, inputs)
			if !ok {
				t.Skipf("validation reports errors; compile writes nothing:\n%s", errorsOf(ds))
			}
			n.Add(1)
			if len(out.objects) == 0 && c.Diag == nil {
				t.Fatalf("case %s validates but emits no Istio object", c.Name)
			}
			streams := map[string][]byte{}
			for cluster, objs := range out.objects {
				if len(objs) == 0 {
					continue // nothing to write, as compile --out-dir writes no folder
				}
				y, err := render.StreamYAML(objs)
				if err != nil {
					t.Fatalf("render %s: %v", cluster, err)
				}
				streams[cluster+".yaml"] = y
				roundTrip(t, objs)
			}
			compareStreams(t, c, streams)
		})
	}
}

// compareStreams compares the cluster streams with golden/<case>/*.yaml, the files this test
// owns there (validate.* and envoy/ belong to other tests). A diagnostic case compares only the
// streams it keeps.
func compareStreams(t *testing.T, c goldentest.Case, streams map[string][]byte) {
	t.Helper()
	dir := goldentest.Path("golden", c.Name)
	kept, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	owned := map[string]bool{}
	for _, p := range kept {
		owned[filepath.Base(p)] = true
	}
	for name, data := range streams {
		if c.Diag == nil || owned[name] {
			goldentest.CompareFile(t, c.Name+"/"+name, data)
		}
	}
	for name := range owned {
		if _, ok := streams[name]; !ok {
			goldentest.CompareOptionalFile(t, c.Name+"/"+name, nil)
		}
	}
	// A folder beside envoy/ is the old one-file-per-object layout (from a merged branch).
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "envoy" {
			continue
		}
		if !*goldentest.Update {
			t.Errorf("golden/%s/%s/ is the old per-object layout (go test ./... -update removes it)", c.Name, e.Name())
		} else if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDeterminism compiles every case again from its documents shuffled across files and
// within them, and expects byte-identical output: nothing may depend on file or document order.
func TestDeterminism(t *testing.T) {
	for _, c := range goldentest.AllCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			l, inputs := load(c)
			want, _, ok := compile(t, l, inputs)
			if !ok {
				t.Skip("validation reports errors")
			}
			docs := documents(t, l.FS, inputs[0].Path)
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

// documents reads every YAML document under root in fsys.
func documents(t *testing.T, fsys fs.FS, root string) []string {
	t.Helper()
	var docs []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (path.Ext(p) != ".yaml" && path.Ext(p) != ".yml") {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
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
