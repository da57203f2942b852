package schema

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/meshroute/meshroute/diag"
)

// FieldPos returns the position of the field at JSON pointer path ("/spec/http/0/matchers"):
// the key of a mapping entry, the item of a sequence. A path that does not exist (a defaulted
// field) yields the position of its nearest existing ancestor, so a diagnostic always points
// somewhere useful.
func (o *Object) FieldPos(path string) diag.Position {
	keys, _ := descend(o.node, tokens(path))
	if len(keys) == 0 {
		return o.Pos
	}
	return position(o.Pos.File, keys[len(keys)-1])
}

// ValuePos is like FieldPos but points at the value of a mapping entry rather than its key (for
// a wrong value rather than a wrong field).
func (o *Object) ValuePos(path string) diag.Position {
	toks := tokens(path)
	keys, values := descend(o.node, toks)
	switch {
	case len(toks) > 0 && len(values) == len(toks):
		return position(o.Pos.File, values[len(values)-1])
	case len(keys) > 0:
		return position(o.Pos.File, keys[len(keys)-1])
	}
	return o.Pos
}

// NodePos returns the position of the node that the unescaped JSON pointer tokens ptr name below
// n (a mapping entry's value, a sequence's item), or of the deepest of its ancestors that exists.
func NodePos(file string, n *yaml.Node, ptr []string) diag.Position {
	_, values := descend(n, ptr)
	if len(values) == 0 {
		return position(file, n)
	}
	return position(file, values[len(values)-1])
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

// descend follows toks down from n, through aliases, as far as they exist. For each token found
// it returns the node a position names (a mapping entry's key; a sequence item is its own key)
// and the value.
func descend(n *yaml.Node, toks []string) (keys, values []*yaml.Node) {
	for _, tok := range toks {
		k, v := entry(deref(n), tok)
		if v == nil {
			break
		}
		keys, values = append(keys, k), append(values, v)
		n = v
	}
	return keys, values
}

// entry returns the key and value of n's child named tok (for a sequence item, the item twice).
func entry(n *yaml.Node, tok string) (key, value *yaml.Node) {
	if n == nil {
		return nil, nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == tok {
				return n.Content[i], n.Content[i+1]
			}
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i], n.Content[i]
		}
	}
	return nil, nil
}

// child returns the value of n's child named tok, or nil.
func child(n *yaml.Node, tok string) *yaml.Node {
	_, v := entry(n, tok)
	return v
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
