package render

import (
	"math/rand/v2"
	"testing"
)

// The direct head writer must write the tree path's bytes for any head it takes: names, labels
// and annotations drawn from the block writer's pool of special strings.
func TestHeadYAMLMatchesTree(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	direct := 0
	const heads = 5000
	for range heads {
		o := Object{APIVersion: pick(r), Kind: pick(r), Name: pick(r), Namespace: pick(r)}
		if r.IntN(3) > 0 {
			o.Labels = map[string]string{}
			for range 1 + r.IntN(4) {
				o.Labels[pick(r)] = pick(r)
			}
		}
		if r.IntN(3) == 0 {
			o.Annotations = map[string]string{pick(r): pick(r)}
		}
		want, err := TreeYAML(o)
		got, ok := objectYAMLDirect(o)
		if !ok {
			continue
		}
		direct++
		if err != nil {
			t.Fatalf("%+v: the tree path fails (%v), the direct path does not", o, err)
		}
		if string(got) != string(want) {
			t.Fatalf("%+v:\n--- tree\n%s\n--- direct\n%s", o, want, got)
		}
	}
	if direct < heads/4 {
		t.Errorf("only %d of %d heads written directly", direct, heads)
	}
	t.Logf("%d of %d heads written directly", direct, heads)
}
