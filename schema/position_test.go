package schema

import (
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/meshroute/meshroute/diag"
)

func TestPositions(t *testing.T) {
	const doc = `base: &base
  x: 1
spec:
  "a/b": 2
  list:
    - one
    - name: two
  alias: *base
`
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
		t.Fatal(err)
	}
	node := root.Content[0]
	obj := &Object{Pos: diag.Position{File: "f", Line: 1, Col: 1}, tree: newPosTree(node)}
	at := func(line, col int) diag.Position { return diag.Position{File: "f", Line: line, Col: col} }
	for _, tc := range []struct {
		path               string
		field, value, node diag.Position
	}{
		{"", at(1, 1), at(1, 1), at(1, 1)},
		{"/spec", at(3, 1), at(4, 3), at(4, 3)},
		{"/spec/a~1b", at(4, 3), at(4, 10), at(4, 10)},
		{"/spec/list/1/name", at(7, 7), at(7, 13), at(7, 13)},
		{"/spec/list/9", at(5, 3), at(5, 3), at(6, 5)},
		{"/spec/alias/x", at(2, 3), at(2, 6), at(2, 6)},
		{"/spec/missing/deeper", at(3, 1), at(3, 1), at(4, 3)},
	} {
		if got := obj.FieldPos(tc.path); got != tc.field {
			t.Errorf("FieldPos(%q) = %v, want %v", tc.path, got, tc.field)
		}
		if got := obj.ValuePos(tc.path); got != tc.value {
			t.Errorf("ValuePos(%q) = %v, want %v", tc.path, got, tc.value)
		}
		if got := NodePos("f", node, tokens(tc.path)); got != tc.node {
			t.Errorf("NodePos(%q) = %v, want %v", tc.path, got, tc.node)
		}
	}
}
