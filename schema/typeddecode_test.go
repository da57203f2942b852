package schema

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// specDoc is one document of a typed kind, as the loader converts it.
type specDoc struct {
	where string
	obj   Object
	value map[string]any
}

// specDocs reads every document of a typed kind in the repository's YAML inputs.
func specDocs(t *testing.T) []specDoc {
	t.Helper()
	var docs []specDoc
	for _, root := range []string{"../testdata", "../examples", "testdata"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			dec := yaml.NewDecoder(bytes.NewReader(data))
			for i := 0; ; i++ {
				var n yaml.Node
				if err := dec.Decode(&n); err != nil {
					if !errors.Is(err, io.EOF) {
						t.Logf("%s: %v (skipped)", path, err)
					}
					return nil
				}
				v, err := toValue(&n)
				m, ok := v.(map[string]any)
				if err != nil || !ok {
					continue
				}
				apiVersion, _ := m["apiVersion"].(string)
				kind, _ := m["kind"].(string)
				obj := Object{APIVersion: apiVersion, Kind: kind}
				if newLoadState().newTyped(&obj, "") != nil {
					docs = append(docs, specDoc{where: fmt.Sprintf("%s document %d", path, i+1), obj: obj, value: m})
				}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return docs
}

// checkSameDecoding decodes the metadata and spec of v both ways and compares.
func checkSameDecoding(t *testing.T, where string, obj Object, v map[string]any) {
	t.Helper()
	var fast, ref Metadata
	decodeTyped(v["metadata"], &fast)
	_ = roundTrip(v["metadata"], &ref)
	if diff := cmp.Diff(ref, fast); diff != "" {
		t.Fatalf("%s: metadata decodes differently (-encoding/json +decodeTyped):\n%s", where, diff)
	}
	fastSpec := newLoadState().newTyped(&obj, "").spec
	refSpec := newLoadState().newTyped(&obj, "").spec
	decodeTyped(v["spec"], fastSpec)
	_ = roundTrip(v["spec"], refSpec)
	if !reflect.DeepEqual(refSpec, fastSpec) {
		t.Fatalf("%s: spec decodes differently (-encoding/json +decodeTyped):\n%s", where, cmp.Diff(refSpec, fastSpec))
	}
}

func TestDecodeTypedAsEncodingJSON(t *testing.T) {
	docs := specDocs(t)
	if len(docs) < 200 {
		t.Fatalf("only %d documents found: the inputs moved?", len(docs))
	}
	for _, d := range docs {
		checkSameDecoding(t, d.where, d.obj, d.value)
	}
}

// TestDecodeTypedMutated breaks real documents in the ways input breaks — a value of another
// type, a key in other case, null, a float, an out-of-range number, invalid UTF-8 — and wants
// encoding/json's result for every one.
func TestDecodeTypedMutated(t *testing.T) {
	docs := specDocs(t)
	rng := rand.New(rand.NewPCG(14, 2026))
	rounds := 20
	if testing.Short() {
		rounds = 3
	}
	for _, d := range docs {
		for r := range rounds {
			v := deepCopy(d.value).(map[string]any)
			for range 1 + rng.IntN(3) {
				mutate(rng, v)
			}
			checkSameDecoding(t, fmt.Sprintf("%s, mutation %d", d.where, r+1), d.obj, v)
		}
	}
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

var oddValues = []any{
	nil, true, false, int64(0), int64(-1), int64(7), int64(1) << 40, float64(3), 2.5, 1e21,
	"", "x", "Bad\xffUTF-8", "<&>", []any{}, []any{"a", int64(1)}, map[string]any{},
	map[string]any{"Name": "upper", "name": "lower"}, map[string]any{"NAME": int64(3)},
}

// mutate changes one randomly chosen place inside v (a mapping).
func mutate(rng *rand.Rand, v map[string]any) {
	var at any = v
	for depth := 0; depth < 12; depth++ {
		switch x := at.(type) {
		case map[string]any:
			if len(x) == 0 {
				x["unknownField"] = oddValues[rng.IntN(len(oddValues))]
				return
			}
			keys := slices.Sorted(func(yield func(string) bool) {
				for k := range x {
					if !yield(k) {
						return
					}
				}
			})
			k := keys[rng.IntN(len(keys))]
			switch rng.IntN(4) {
			case 0:
				x[k] = deepCopy(oddValues[rng.IntN(len(oddValues))])
				return
			case 1: // the same key in other case, next to it or instead of it
				other := strings.ToUpper(k[:1]) + k[1:]
				if other == k {
					other = strings.ToLower(k)
				}
				x[other] = deepCopy(x[k])
				if rng.IntN(2) == 0 {
					delete(x, k)
				}
				return
			}
			at = x[k]
		case []any:
			if len(x) == 0 {
				return
			}
			i := rng.IntN(len(x))
			if rng.IntN(3) == 0 {
				x[i] = deepCopy(oddValues[rng.IntN(len(oddValues))])
				return
			}
			at = x[i]
		default:
			return
		}
	}
}
