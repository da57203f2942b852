package schema

import (
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/meshroute/meshroute/diag"
)

// posTree is what positions need of a loaded document: where each mapping key, mapping value
// and sequence item sits, aliases resolved. It replaces the YAML node tree, which is several
// times larger and was most of the memory a large input cost. The nodes sit in one slice
// without pointers, which the garbage collector never scans, and each key name is stored once
// per document: at fleet size this table is a large share of what stays live.
type posTree struct {
	names []string  // the document's distinct key names
	nodes []posNode // nodes[0] is the root; a node's children are contiguous
}

type posNode struct {
	line, col       int32 // the node itself
	keyLine, keyCol int32 // the key naming it in its mapping (a sequence item: the item itself)
	name            int32 // index in names of that key; -1 for the root and sequence items
	first, count    int32 // children: nodes[first : first+count], a mapping's values when named
}

// posBuilder fills a posTree from a YAML node tree.
type posBuilder struct {
	t       posTree
	nameIdx map[string]int32
	anchors map[*yaml.Node]posNode // an anchored node as first built, for its aliases
}

// build writes n's children into the slots reserved for them. A node's own slot (at) is
// written by its parent, so each block of children is reserved before any child descends.
// Aliases share the children of their anchor, so a document costs its written size however
// often its anchors are used.
func (b *posBuilder) build(at int, n *yaml.Node) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		b.build(at, n.Alias) // the slot keeps the alias's own position
		return
	}
	if shared, ok := b.anchors[n]; ok {
		b.t.nodes[at].first, b.t.nodes[at].count = shared.first, shared.count
		return
	}
	var kids []*yaml.Node
	step := 1
	switch n.Kind {
	case yaml.MappingNode:
		kids, step = n.Content, 2
	case yaml.SequenceNode:
		kids = n.Content
	}
	first := len(b.t.nodes)
	count := len(kids) / step
	b.t.nodes[at].first, b.t.nodes[at].count = int32(first), int32(count)
	for i := range count {
		v := kids[i*step+step-1]
		pn := posNode{line: int32(v.Line), col: int32(v.Column), keyLine: int32(v.Line), keyCol: int32(v.Column), name: -1}
		if step == 2 {
			k := kids[2*i]
			pn.keyLine, pn.keyCol, pn.name = int32(k.Line), int32(k.Column), b.name(k.Value)
		}
		b.t.nodes = append(b.t.nodes, pn)
	}
	for i := range count {
		b.build(first+i, kids[i*step+step-1])
	}
	if n.Anchor != "" {
		if b.anchors == nil {
			b.anchors = map[*yaml.Node]posNode{}
		}
		b.anchors[n] = b.t.nodes[at]
	}
}

func (b *posBuilder) name(s string) int32 {
	i, ok := b.nameIdx[s]
	if !ok {
		i = int32(len(b.t.names))
		b.t.names = append(b.t.names, s)
		b.nameIdx[s] = i
	}
	return i
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
	b := posBuilder{nameIdx: map[string]int32{}}
	b.t.nodes = append(b.t.nodes, posNode{line: int32(root.Line), col: int32(root.Column), keyLine: int32(root.Line), keyCol: int32(root.Column), name: -1})
	b.build(0, root)
	// Exact-size copies: the slices grown by appending would keep up to twice their size live.
	return &posTree{names: slices.Clone(b.t.names), nodes: slices.Clone(b.t.nodes)}
}

// at is where the node is written; keyAt, where the key naming it is.
func (n *posNode) at(file string) diag.Position {
	return diag.Position{File: file, Line: int(n.line), Col: int(n.col)}
}

func (n *posNode) keyAt(file string) diag.Position {
	return diag.Position{File: file, Line: int(n.keyLine), Col: int(n.keyCol)}
}

// FieldPos returns the position of the field at JSON pointer path ("/spec/http/0/matchers"):
// the key of a mapping entry, the item of a sequence. A path that does not exist (a defaulted
// field) yields the position of its nearest existing ancestor, so a diagnostic always points
// somewhere useful.
func (o *Object) FieldPos(path string) diag.Position {
	found := o.positions().descend(tokens(path))
	if len(found) == 0 {
		return o.Pos
	}
	return found[len(found)-1].keyAt(o.Pos.File)
}

// ValuePos is like FieldPos but points at the value of a mapping entry rather than its key (for
// a wrong value rather than a wrong field).
func (o *Object) ValuePos(path string) diag.Position {
	toks := tokens(path)
	found := o.positions().descend(toks)
	switch {
	case len(toks) > 0 && len(found) == len(toks):
		return found[len(found)-1].at(o.Pos.File)
	case len(found) > 0:
		return found[len(found)-1].keyAt(o.Pos.File)
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

// descend follows toks down from the root as far as they exist and returns the node each
// token found names.
func (t *posTree) descend(toks []string) []*posNode {
	if t == nil || len(t.nodes) == 0 {
		return nil
	}
	var found []*posNode
	n := &t.nodes[0]
	for _, tok := range toks {
		if n = t.child(n, tok); n == nil {
			break
		}
		found = append(found, n)
	}
	return found
}

// child returns n's mapping value or sequence item named tok, or nil.
func (t *posTree) child(n *posNode, tok string) *posNode {
	kids := t.nodes[n.first : n.first+n.count]
	if len(kids) > 0 && kids[0].name >= 0 { // a mapping's values
		for i := range kids {
			if t.names[kids[i].name] == tok {
				return &kids[i]
			}
		}
		return nil
	}
	if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(kids) {
		return &kids[i]
	}
	return nil
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
