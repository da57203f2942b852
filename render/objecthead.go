package render

import (
	"fmt"
	"maps"
	"slices"

	"go.yaml.in/yaml/v3"
)

// headSink receives an object's head: pairs of strings, and mappings opened under a key.
// headTree builds its nodes (ObjectNode, the tree path), headYAML writes its block YAML
// (objectYAMLDirect): one description of the head serves both.
type headSink interface {
	pair(key, value string)
	begin(key string)
	end()
}

// writeHead hands o's head to s: apiVersion, kind, metadata (name, namespace, labels and
// annotations in key order).
func writeHead(s headSink, o Object) error {
	if o.APIVersion == "" || o.Kind == "" || o.Name == "" {
		return fmt.Errorf("object %q of kind %q: apiVersion, kind and name are required", o.Name, o.Kind)
	}
	s.pair("apiVersion", o.APIVersion)
	s.pair("kind", o.Kind)
	s.begin("metadata")
	s.pair("name", o.Name)
	if o.Namespace != "" {
		s.pair("namespace", o.Namespace)
	}
	for _, field := range []struct {
		key    string
		values map[string]string
	}{{"labels", o.Labels}, {"annotations", o.Annotations}} {
		if len(field.values) > 0 {
			s.begin(field.key)
			for _, k := range slices.Sorted(maps.Keys(field.values)) {
				s.pair(k, field.values[k])
			}
			s.end()
		}
	}
	s.end()
	return nil
}

// headTree builds the head's nodes in a treeBuilder's slabs.
type headTree struct {
	b     *treeBuilder
	open  []*yaml.Node // the mappings begun, innermost last
	bases []int
}

// objectHead is o's node without its spec.
func objectHead(o Object) (*yaml.Node, error) {
	t := &headTree{b: new(treeBuilder)}
	t.b.reserve(15 + 2*len(o.Labels) + 2*len(o.Annotations)) // the most nodes built
	n := t.mapping()
	if err := writeHead(t, o); err != nil {
		return nil, err
	}
	t.end()
	return n, nil
}

func (t *headTree) mapping() *yaml.Node {
	n := t.b.node(yaml.MappingNode, "!!map", "")
	t.open = append(t.open, n)
	t.bases = append(t.bases, len(t.b.open))
	return n
}

func (t *headTree) pair(key, value string) { t.b.open = append(t.b.open, t.b.str(key), t.b.str(value)) }

func (t *headTree) begin(key string) {
	t.b.open = append(t.b.open, t.b.str(key))
	t.mapping()
}

// end closes the innermost mapping and, below the top, adds it as its key's value.
func (t *headTree) end() {
	k := len(t.open) - 1
	n := t.open[k]
	t.b.close(n, t.bases[k])
	t.open, t.bases = t.open[:k], t.bases[:k]
	if k > 0 {
		t.b.open = append(t.b.open, n)
	}
}

// headYAML writes the head as the block YAML encodeYAML writes for headTree's nodes, with the
// same quoting (scalarStyle) and scalar writer; ok turns false at anything writeBlockYAML
// would leave to yaml.v3.
type headYAML struct {
	w      *specWriter
	indent int
	ok     bool
}

func (h *headYAML) pair(key, value string) {
	h.w.b = appendSpaces(h.w.b, h.indent)
	keyOK := h.w.key(key)
	var ok bool
	h.w.b, ok = appendScalar(append(h.w.b, ' '), scalarStyle("!!str", value), "!!str", value)
	h.w.b = append(h.w.b, '\n')
	h.ok = h.ok && keyOK && ok
}

func (h *headYAML) begin(key string) {
	h.w.b = appendSpaces(h.w.b, h.indent)
	h.ok = h.w.key(key) && h.ok
	h.w.b = append(h.w.b, '\n')
	h.indent += 2
}

func (h *headYAML) end() { h.indent -= 2 }
