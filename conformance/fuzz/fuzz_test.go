// Package fuzz holds the compiler's fuzz target. It is its own package so that `go test -fuzz`
// instruments only what compiling and validating need, not the analyzers of the conformance
// tests (a much larger build).
package fuzz

import (
	"bytes"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	envoyc "github.com/meshroute/meshroute/compiler/envoy"
	"github.com/meshroute/meshroute/conformance"
	"github.com/meshroute/meshroute/internal/gen"
)

// FuzzCompile fuzzes the compiler end to end: the fuzzer's seed and bytes drive the input
// generator (internal/gen), the case is validated and compiled to both targets, and every
// emitted Istio object must pass Istio's own validation (conformance.ValidateDocument) and every Envoy
// bootstrap compiler/envoy's Validate. A case with an error diagnostic is refused by compile,
// which is the right answer for bad input, so it is skipped; a panic fails. The seed corpus
// (testdata/fuzz/FuzzCompile and the f.Add calls) runs in every `go test`; `make fuzz-compile`
// fuzzes for real.
func FuzzCompile(f *testing.F) {
	f.Add(int64(1), []byte{}) // the default shape; testdata holds the others
	f.Fuzz(func(t *testing.T, seed int64, knobs []byte) {
		c := gen.GenerateShape(seed, shapeOf(knobs))
		res, err := gen.Compile(c) // a panic comes back as an error
		if err != nil {
			t.Fatalf("%v\ninput:\n%s", err, c.YAML())
		}
		if res.HasErrors() {
			t.Skip("compile refuses the input")
		}
		if errs := checkCompiled(res); len(errs) > 0 {
			t.Fatalf("%s\ninput:\n%s", strings.Join(errs, "\n"), c.YAML())
		}
	})
}

// checkCompiled validates every emitted object of a compiled case.
func checkCompiled(res *gen.Result) []string {
	var errs []string
	files, err := res.Manifests()
	if err != nil {
		return []string{"render: " + err.Error()}
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if _, err := conformance.ValidateDocument(files[name]); err != nil && !errors.Is(err, conformance.ErrNotIstio) {
			errs = append(errs, name+": "+err.Error())
		}
	}
	if res.Envoy == nil {
		return errs
	}
	for _, cluster := range slices.Sorted(maps.Keys(res.Envoy.Envoy)) {
		for _, b := range res.Envoy.Envoy[cluster] {
			if err := envoyc.Validate(b.Config); err != nil {
				errs = append(errs, "envoy/"+cluster+"/"+b.FileName()+": "+err.Error())
			}
		}
	}
	return errs
}

// maxWords bounds the fuzzer's strings per case: more add nothing but slower cases.
const maxWords = 8

// shapeOf turns the fuzzer's bytes into generator knobs: bytes 0–3 size the mesh (clusters,
// VirtualDestinations, root tables, routes per table), byte 4 sets the mistake rate (0–7 %),
// and the rest, split at NUL bytes, are strings the generator uses for paths, header and query
// names and values, and response bodies. Fewer bytes leave the rest at the defaults.
func shapeOf(b []byte) gen.Shape {
	s := gen.DefaultShape()
	knobs := []func(byte){
		func(v byte) { s.Clusters = 1 + int(v)%6 },
		func(v byte) { s.VirtualDestinations = int(v) % 4 },
		func(v byte) { s.RootTables = 1 + int(v)%5 },
		func(v byte) { s.Routes = 1 + int(v)%6 },
		func(v byte) { s.Mistakes = float64(v%8) / 100 },
	}
	for i, set := range knobs {
		if i < len(b) {
			set(b[i])
		}
	}
	if len(b) > len(knobs) {
		for _, w := range bytes.Split(b[len(knobs):], []byte{0}) {
			if len(w) > 0 && len(s.Words) < maxWords {
				s.Words = append(s.Words, strings.ToValidUTF8(string(w), ""))
			}
		}
	}
	return s
}
