package istio_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/meshroute/meshroute/compiler/istio"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/render"
	"github.com/meshroute/meshroute/schema"
)

// compiled is what `meshroute compile --out-dir` produces from one set of inputs: the objects
// per cluster and the files it would write, keyed <cluster>/<kind>-<namespace>-<name>.yaml.
type compiled struct {
	objects map[string][]render.Object
	files   map[string][]byte
}

// compile runs the pipeline for the Istio target; ok is false when validation found an error
// (compile would write nothing).
func compile(t *testing.T, in pipeline.Inputs) (out compiled, ds []diag.Diagnostic, ok bool) {
	t.Helper()
	res, ds, err := pipeline.Compile(context.Background(), in, pipeline.Options{Target: pipeline.TargetIstio})
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	if res == nil {
		return out, ds, false
	}
	out = compiled{objects: res.Istio, files: map[string][]byte{}}
	for _, cluster := range res.Model.ClusterNames() {
		files, err := res.Files(cluster)
		if err != nil {
			t.Fatalf("render %s: %v", cluster, err)
		}
		for _, f := range files {
			out.files[cluster+"/"+f.Name] = f.Data
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
			out, ds, ok := compile(t, pipeline.Inputs{Paths: []schema.Input{{Path: goldentest.Path("testdata", c)}}})
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
				istio.RoundTrip(t, objs)
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
			want, _, ok := compile(t, pipeline.Inputs{Paths: []schema.Input{{Path: dir}}})
			if !ok {
				t.Skip("validation reports errors")
			}
			docs := documents(t, dir)
			for seed := range uint64(3) {
				fsys := shuffled(docs, seed)
				got, ds, ok := compile(t, pipeline.Inputs{FS: fsys, Paths: []schema.Input{{Path: "."}}})
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
