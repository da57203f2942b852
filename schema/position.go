package schema

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/meshroute/meshroute/diag"
)

// posTree is what positions need of a loaded document: where each mapping key, mapping value
// and sequence item sits, aliases resolved. It replaces the YAML node tree, which is several
// times larger and was most of the memory a large input cost.
type posTree struct {
	line, col int32
	keys      []posKey  // a mapping's keys, in order
	kids      []posTree // a mapping's values (parallel to keys), or a sequence's items
}

type posKey struct {
	name      string
	line, col int32
}

// compact builds n's posTree; children are stored inline, so a scalar costs no allocation of
// its own. Aliases share the children of their anchor (with the alias's own position), so a
// document costs its written size however often its anchors are used.
func compact(n *yaml.Node, anchors map[*yaml.Node]posTree) posTree {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		t := compact(n.Alias, anchors)
		t.line, t.col = int32(n.Line), int32(n.Column)
		return t
	}
	if t, ok := anchors[n]; ok {
		return t
	}
	t := posTree{line: int32(n.Line), col: int32(n.Column)}
	switch n.Kind {
	case yaml.MappingNode:
		t.keys = make([]posKey, len(n.Content)/2)
		t.kids = make([]posTree, len(n.Content)/2)
		for i := range t.keys {
			k := n.Content[2*i]
			t.keys[i] = posKey{k.Value, int32(k.Line), int32(k.Column)}
			t.kids[i] = compact(n.Content[2*i+1], anchors)
		}
	case yaml.SequenceNode:
		t.kids = make([]posTree, len(n.Content))
		for i, c := range n.Content {
			t.kids[i] = compact(c, anchors)
		}
	}
	if n.Anchor != "" {
		anchors[n] = t
	}
	return t
}

// positions returns the object's posTree, built from its YAML on first use while it is being
// loaded (a loaded object has its tree, or none); nil when neither is kept.
func (o *Object) positions() *posTree {
	if o.tree == nil && o.node != nil {
		o.tree = newPosTree(o.node)
	}
	return o.tree
}

// newPosTree is the posTree of a document's root.
func newPosTree(root *yaml.Node) *posTree {
	t := compact(root, map[*yaml.Node]posTree{})
	return &t
}

func (t *posTree) pos(file string) diag.Position {
	return diag.Position{File: file, Line: int(t.line), Col: int(t.col)}
}

// FieldPos returns the position of the field at JSON pointer path ("/spec/http/0/matchers"):
// the key of a mapping entry, the item of a sequence. A path that does not exist (a defaulted
// field) yields the position of its nearest existing ancestor, so a diagnostic always points
// somewhere useful.
func (o *Object) FieldPos(path string) diag.Position {
	keys, _ := descend(o.positions(), tokens(path))
	if len(keys) == 0 {
		return o.Pos
	}
	return keys[len(keys)-1].pos(o.Pos.File)
}

// ValuePos is like FieldPos but points at the value of a mapping entry rather than its key (for
// a wrong value rather than a wrong field).
func (o *Object) ValuePos(path string) diag.Position {
	toks := tokens(path)
	keys, values := descend(o.positions(), toks)
	switch {
	case len(toks) > 0 && len(values) == len(toks):
		return values[len(values)-1].pos(o.Pos.File)
	case len(keys) > 0:
		return keys[len(keys)-1].pos(o.Pos.File)
	}
	return o.Pos
}

// NodePos returns the position of the node that the unescaped JSON pointer tokens ptr name below
// n (a mapping entry's value, a sequence's item), or of the deepest of its ancestors that exists.
func NodePos(file string, n *yaml.Node, ptr []string) diag.Position {
	for _, tok := range ptr {
		next := child(deref(n), tok)
		if next == nil {
			break
		}
		n = next
	}
	return position(file, n)
}

// tokens splits a JSON pointer into unescaped tokens; "" and "/" name the document itself.
func tokens(path string) []string {
	if path == "" || path == "/" {
		return nil
	}
	toks := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for i, tok := range toks {
		// "~1" is "/", "~0" is "~".
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
	}
	return toks
}

// descend follows toks down from t as far as they exist. For each token found it returns where
// a position names it (a mapping entry's key; a sequence item is its own key) and the value.
func descend(t *posTree, toks []string) (keys, values []*posTree) {
	for _, tok := range toks {
		k, v := t.entry(tok)
		if v == nil {
			break
		}
		keys, values = append(keys, k), append(values, v)
		t = v
	}
	return keys, values
}

// entry returns where t's child named tok is written (for a mapping entry, its key) and the
// child itself.
func (t *posTree) entry(tok string) (key, value *posTree) {
	if t == nil {
		return nil, nil
	}
	if t.keys != nil {
		for i, k := range t.keys {
			if k.name == tok {
				return &posTree{line: k.line, col: k.col}, &t.kids[i]
			}
		}
		return nil, nil
	}
	if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(t.kids) {
		return &t.kids[i], &t.kids[i]
	}
	return nil, nil
}

// child returns the value of n's mapping entry or sequence item named tok, or nil.
func child(n *yaml.Node, tok string) *yaml.Node {
	switch {
	case n == nil:
	case n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == tok {
				return n.Content[i+1]
			}
		}
	case n.Kind == yaml.SequenceNode:
		if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i]
		}
	}
	return nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func position(file string, n *yaml.Node) diag.Position {
	return diag.Position{File: file, Line: n.Line, Col: n.Column}
}
