package render

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// scalarPool mixes what the emitters write with every kind of text the encoder treats
// specially (indicators, quotes, breaks, non-ASCII, YAML 1.1 words, long keys).
var scalarPool = []string{
	"", "-", "a", "a b", "a: b", "a:b", "x:", ":x", " x", "x ", "a  b", "#x", "a #b", "a#b", "é",
	`a"b`, `a\b`, "a\nb", "a\n", "*x", "&x", "!x", "%x", "@x", "`x", "[x", "x]", "{", "a,b", ",a",
	"?x", "? x", "|", ">", "'x", "x'", "---x", "...", "- x", "-x", "yes", "no", "on", "true", "null",
	"~", "<<", "=", "a=b", "(x)", "a/b.c_d-e+f", "0x1F", "1e3", "1_000", "1:30", "2001-12-14",
	"networking.istio.io/v1", "routetable-app-00001-team-01", "/part-01/r-02", "x\ty",
	strings.Repeat("k", 128), strings.Repeat("k", 129), "\u2028", "a\u00a0b", "\ufeffx",
	"*", "#", "@", "%", "`", "'", "a'b", "'a'", "? ", ":", "-", "- ", ": x", "a: ", "x #", "x #y", " ",
	"  ", " a", "--- x", "... x", "{a: b}", "[a, b]", "*.example.com", "a ' b", "~x", "a\x7fb",
}

// pick draws mostly from the first, plain-looking part of the pool, so that many trees stay
// within what the writer takes while each special string still turns up in some.
func pick(r *rand.Rand) string {
	if r.IntN(8) == 0 {
		return scalarPool[r.IntN(len(scalarPool))]
	}
	return plainPool[r.IntN(len(plainPool))]
}

var plainPool = []string{"a", "*", "a b", "a:b", "-x", "yes", "true", "", "1", "=", "a=b", "(x)", "a,b",
	"a/b.c_d-e+f", "networking.istio.io/v1", "/part-01/r-02", strings.Repeat("k", 128)}

var numberPool = []string{"0", "1", "-1", "80", "1.5", "1e+06", "true", "false", "null"}

func randomNode(r *rand.Rand, depth int) *yaml.Node {
	switch k := r.IntN(10); {
	case depth > 3 || k < 4:
		if r.IntN(4) == 0 {
			return resolvedScalar(numberPool[r.IntN(len(numberPool))])
		}
		return str(pick(r))
	case k < 7:
		n := mapping()
		for range r.IntN(4) {
			n.Content = append(n.Content, str(pick(r)), randomNode(r, depth+1))
		}
		return n
	default:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for range r.IntN(4) {
			n.Content = append(n.Content, randomNode(r, depth+1))
		}
		return n
	}
}

// The direct writer must produce the encoder's exact bytes whenever it writes a tree at all,
// and must write the common shapes itself.
func TestBlockYAMLMatchesEncoder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	written := 0
	const trees = 20000
	for i := range trees {
		n := mapping()
		for range 1 + r.IntN(4) {
			n.Content = append(n.Content, str(pick(r)), randomNode(r, 0))
		}
		styleScalars(n)
		got, ok := writeBlockYAML(nil, n)
		if !ok {
			continue
		}
		written++
		var want bytes.Buffer
		enc := yaml.NewEncoder(&want)
		enc.SetIndent(2)
		enc.CompactSeqIndent()
		if err := enc.Encode(n); err != nil {
			t.Fatal(err)
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("tree %d:\nwriter:\n%s\nencoder:\n%s", i, got, want.Bytes())
		}
	}
	if written < trees/4 {
		t.Errorf("the writer took only %d of %d trees", written, trees)
	}
	t.Logf("writer took %d of %d trees", written, trees)
}

func TestBlockYAMLWritesObjects(t *testing.T) {
	for _, o := range estate()[:3] {
		n, err := objectNode(o)
		if err != nil {
			t.Fatal(err)
		}
		styleScalars(n)
		if _, ok := writeBlockYAML(nil, n); !ok {
			t.Errorf("%s %s: left to the encoder", o.Kind, o.Name)
		}
	}
}
