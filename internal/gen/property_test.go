package gen_test

import (
	"bytes"
	"flag"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/gen"
	_ "github.com/meshroute/meshroute/internal/goldentest" // every test binary accepts -update
)

// A fixed, small set of seeds runs in `go test` (fast, deterministic), fewer with -short;
// -seeds N -seed-base B runs more, e.g. `go test ./internal/gen -run Properties -seeds 5000`.
var (
	seedCount = flag.Int("seeds", 120, "number of generated cases to check (-short: 20, unless given)")
	seedBase  = flag.Int64("seed-base", 1, "first seed")
)

// seeds is how many cases TestProperties checks.
func seeds() int {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "seeds" })
	if testing.Short() && !given {
		return min(*seedCount, 20)
	}
	return *seedCount
}

// outcome is what checkCase found for one seed.
type outcome struct {
	errs  []string
	codes map[string]int
	valid int
}

// TestProperties checks, for every generated case: no panic; the same bytes twice and under a
// shuffled document order; strict protojson round trips of every Istio spec and envoy.Validate
// of every bootstrap when validate reports no error; compile refusing exactly when validate
// reports an error; and the Istio and Envoy evaluators agreeing on derived requests. Cases are
// independent, so they are checked on every core; failures are reported in seed order.
func TestProperties(t *testing.T) {
	n := seeds()
	results := make([]outcome, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				o := &results[i]
				o.codes = map[string]int{}
				o.errs = checkCase(gen.Generate(*seedBase+int64(i)), o.codes, &o.valid)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()

	failed, valid, codes := 0, 0, map[string]int{}
	for i, o := range results {
		valid += o.valid
		for code, k := range o.codes {
			codes[code] += k
		}
		if len(o.errs) == 0 {
			continue
		}
		seed := *seedBase + int64(i)
		failed++
		if failed <= 5 {
			t.Errorf("seed %d:\n  %s\ninput:\n%s", seed, strings.Join(o.errs, "\n  "), gen.Generate(seed).YAML())
		} else {
			t.Errorf("seed %d: %s", seed, o.errs[0])
		}
	}
	// The mix shows whether the generator still mostly produces valid input.
	t.Logf("%d cases, %d compiled; error codes: %v", n, valid, codes)
}

func checkCase(c *gen.Case, codes map[string]int, valid *int) []string {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	res, err := gen.Compile(c)
	if err != nil {
		return []string{err.Error()}
	}
	again, err := gen.Compile(gen.Generate(c.Seed))
	if err != nil {
		return []string{"second run: " + err.Error()}
	}
	shuffled, err := gen.Compile(c.Shuffled(c.Seed))
	if err != nil {
		return []string{"shuffled: " + err.Error()}
	}
	// (e) compile refuses exactly when validate reports an error.
	if res.HasErrors() != (res.Istio == nil) || res.HasErrors() != (res.Envoy == nil) {
		fail("validate errors %v but compile emitted istio=%v envoy=%v", res.HasErrors(), res.Istio != nil, res.Envoy != nil)
	}
	// (b) determinism: identical diagnostics across runs; across document orders the same
	// findings (positions differ: the objects sit in other files) and identical bytes.
	if a, b := diagText(res.Diagnostics, true), diagText(again.Diagnostics, true); a != b {
		fail("diagnostics differ between two runs:\n%s\nvs\n%s", a, b)
	}
	if a, b := diagText(res.Diagnostics, false), diagText(shuffled.Diagnostics, false); a != b {
		fail("diagnostics differ under shuffled documents:\n%s\nvs\n%s", a, b)
	}
	out1, err1 := res.Manifests()
	out2, err2 := again.Manifests()
	out3, err3 := shuffled.Manifests()
	for _, err := range []error{err1, err2, err3} {
		if err != nil {
			fail("render: %v", err)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	for name, other := range map[string]map[string][]byte{"second run": out2, "shuffled documents": out3} {
		if !maps.EqualFunc(out1, other, bytes.Equal) {
			fail("output differs on %s: %s", name, firstDiff(out1, other))
		}
	}
	if res.HasErrors() {
		for _, d := range res.Diagnostics {
			if d.Severity == diag.Error {
				codes[d.Code]++
			}
		}
		return errs
	}
	*valid++
	// (c) every Istio spec round-trips strictly (every bootstrap passed envoy.Validate: the
	// pipeline's Envoy target checks its own output, and gen.Compile fails otherwise).
	for _, cluster := range slices.Sorted(maps.Keys(res.Istio.Istio)) {
		for _, o := range res.Istio.Istio[cluster] {
			if err := roundTrip(o.Spec); err != nil {
				fail("%s: %s %s/%s: %v", cluster, o.Kind, o.Namespace, o.Name, err)
			}
		}
	}
	// (d) the two data planes route alike.
	errs = append(errs, crossCheck(res)...)
	return errs
}

// roundTrip marshals a spec with protojson and decodes it strictly into a fresh message of
// the same istio.io/api type: what `kubectl apply` and istiod's decoding do.
func roundTrip(m proto.Message) error {
	data, err := protojson.Marshal(m)
	if err != nil {
		return fmt.Errorf("marshal: %w", err)
	}
	back := m.ProtoReflect().New().Interface()
	if err := (protojson.UnmarshalOptions{}).Unmarshal(data, back); err != nil {
		return fmt.Errorf("strict unmarshal: %w", err)
	}
	if !proto.Equal(m, back) {
		return fmt.Errorf("round trip changed the spec: %s", data)
	}
	return nil
}

// diagText is the findings, one a line; without positions it is sorted, for comparing inputs
// whose documents moved.
func diagText(ds []diag.Diagnostic, positions bool) string {
	var lines []string
	for _, d := range ds {
		if positions {
			lines = append(lines, d.String())
		} else {
			lines = append(lines, fmt.Sprintf("%s %s %s %s", d.Code, d.Severity, d.Object, d.Path))
		}
	}
	if !positions {
		slices.Sort(lines)
	}
	return strings.Join(lines, "\n")
}

func firstDiff(a, b map[string][]byte) string {
	for _, k := range slices.Sorted(maps.Keys(a)) {
		if bv, ok := b[k]; !ok {
			return k + " missing"
		} else if !bytes.Equal(a[k], bv) {
			return fmt.Sprintf("%s:\n%s\nvs\n%s", k, a[k], bv)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			return k + " extra"
		}
	}
	return ""
}
