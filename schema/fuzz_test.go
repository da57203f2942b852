package schema

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/meshroute/meshroute/diag"
)

// FuzzLoad feeds arbitrary bytes to the loader: it must never panic, every diagnostic must carry
// a catalogued code and a position inside the file, and loading twice must give the same result.
// The seed corpus in testdata/fuzz/FuzzLoad runs with every `go test`; `make fuzz` explores.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(clusterYAML))
	f.Add([]byte(kubectlService))
	f.Add([]byte(route(fwd)))
	f.Add([]byte(laughs()))
	f.Add([]byte(fanOut(2000, 3000)))
	f.Add([]byte("%YAML 1.2\n---\n" + clusterYAML + "...\n%YAML 1.1\n%TAG !e! tag:example.com,2000:\n---\n" + clusterYAML))
	f.Add([]byte("apiVersion: networking.gloo.solo.io/v1\nkind: Routetable\nmetadata: {name: r}\n"))
	f.Add([]byte(strings.Repeat("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", 200)))
	f.Fuzz(func(t *testing.T, data []byte) {
		load := func() (*Set, []diag.Diagnostic, error) {
			fsys := fstest.MapFS{"in.yaml": {Data: data}}
			return (&Loader{FS: fsys, MaxFileSize: 1 << 20}).Load([]Input{{Path: "in.yaml"}})
		}
		set, ds, err := load()
		lines := 1
		for _, b := range data {
			if b == '\n' || b == '\r' {
				lines++
			}
		}
		for _, d := range ds {
			if _, ok := diag.Lookup(d.Code); !ok {
				t.Errorf("uncatalogued code in %v", d)
			}
			if d.Pos.File != "in.yaml" || d.Pos.Line < 0 || d.Pos.Line > lines || d.Pos.Col < 0 {
				t.Errorf("position outside the file in %v", d)
			}
			if d.Message == "" {
				t.Errorf("empty message in %v", d)
			}
		}
		set2, ds2, err2 := load()
		if !reflect.DeepEqual(ds, ds2) || (err == nil) != (err2 == nil) || (set == nil) != (set2 == nil) {
			t.Errorf("two loads differ:\n%s\n%s", dump(ds), dump(ds2))
		}
		if set != nil && set2 != nil && set.Len() != set2.Len() {
			t.Errorf("two loads found %d and %d objects", set.Len(), set2.Len())
		}
	})
}
