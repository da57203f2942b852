package render

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// errProtojson is the walker's way of saying "this message is protojson's to render": a shape
// it does not reproduce (invalid UTF-8, an Any that does not resolve, a proto2 message...),
// where protojson decides the tree or the error.
var errProtojson = errors.New("left to protojson")

// treeBuilder walks a message through protoreflect and builds exactly the node tree
// scanJSON(protojson.Marshal(m)) builds: marshalling to JSON and scanning it back was most of
// compile's rendering time. It follows protojson's rules: fields in declaration order, only
// populated ones (proto3 presence, a set oneof member even when zero), enum names, 64-bit
// integers and bytes (base64) as strings, floats as protojson formats them, map keys in
// protojson's order. Duration, the wrappers and Any are walked too; the other well-known types
// (rare here) are rendered by protojson alone.
//
// With prune, it also applies specNode's pruning during the walk (see prune).
//
// Nodes and content slices come from slabs: one tree is built, encoded and dropped at once,
// and one allocation per node was a fifth of the rendering time.
type treeBuilder struct {
	protoNames bool // Envoy's snake_case names (UseProtoNames) instead of lowerCamel JSON names
	nodes      []yaml.Node
	ptrs       []*yaml.Node
	open       []*yaml.Node // content of the containers being built, innermost last
}

// protoTree is the node tree of m, or errProtojson.
func (b *treeBuilder) protoTree(m proto.Message, prune bool) (*yaml.Node, error) {
	if m == nil || !m.ProtoReflect().IsValid() {
		return b.node(yaml.MappingNode, "!!map", ""), nil
	}
	return b.message(m.ProtoReflect(), prune)
}

// Slabs grow from firstSlab to maxSlab items: small objects waste little, and a slab of nodes
// stays under the runtime's 32 KiB large-object size, whose allocations take the heap lock.
const (
	firstSlab = 32
	maxSlab   = 128
)

func (b *treeBuilder) node(kind yaml.Kind, tag, value string) *yaml.Node {
	if len(b.nodes) == cap(b.nodes) {
		b.nodes = make([]yaml.Node, 0, min(max(2*cap(b.nodes), firstSlab), maxSlab))
	}
	b.nodes = b.nodes[:len(b.nodes)+1]
	n := &b.nodes[len(b.nodes)-1] // zeroed: set field by field, no struct copy
	n.Kind, n.Tag, n.Value = kind, tag, value
	return n
}

// reserve makes room for k more nodes in one slab, when a caller knows how many it builds.
func (b *treeBuilder) reserve(k int) {
	if cap(b.nodes)-len(b.nodes) < k {
		b.nodes = make([]yaml.Node, 0, k)
	}
}

// close gives n the content opened at base, in a slice of its own capacity (appending to it
// never writes over a neighbour's).
func (b *treeBuilder) close(n *yaml.Node, base int) {
	items := b.open[base:]
	if k := len(items); k > 0 {
		if cap(b.ptrs)-len(b.ptrs) < k {
			b.ptrs = make([]*yaml.Node, 0, max(k, min(max(2*cap(b.ptrs), firstSlab), maxSlab)))
		}
		start := len(b.ptrs)
		b.ptrs = append(b.ptrs, items...)
		n.Content = b.ptrs[start:len(b.ptrs):len(b.ptrs)]
	}
	clear(items)
	b.open = b.open[:base]
}

func (b *treeBuilder) str(s string) *yaml.Node { return b.node(yaml.ScalarNode, "!!str", s) }

// message is m's JSON object, or its well-known type's JSON form.
func (b *treeBuilder) message(m protoreflect.Message, prune bool) (*yaml.Node, error) {
	md := m.Descriptor()
	if md.FullName().Parent() == "google.protobuf" {
		if n, err, ok := b.wellKnown(m); ok {
			return n, err
		}
	}
	n := b.node(yaml.MappingNode, "!!map", "")
	base := len(b.open)
	if err := b.fields(m, prune); err != nil {
		return nil, err
	}
	b.close(n, base)
	return n, nil
}

// fields opens the populated fields of m as key/value pairs.
func (b *treeBuilder) fields(m protoreflect.Message, prune bool) error {
	md := m.Descriptor()
	if md.Syntax() != protoreflect.Proto3 || md.ExtensionRanges().Len() > 0 {
		return errProtojson // required fields, extensions: protojson's rules
	}
	if !m.IsValid() {
		return nil
	}
	fds := md.Fields()
	for i := range fds.Len() {
		fd := fds.Get(i)
		if !m.Has(fd) {
			continue
		}
		v, keep, err := b.field(m.Get(fd), fd, prune)
		if err != nil {
			return err
		}
		if !keep {
			continue
		}
		name := fd.JSONName()
		if b.protoNames {
			name = fd.TextName()
		}
		b.open = append(b.open, b.str(name), v)
	}
	return nil
}

// field is the value of a populated field and whether pruning keeps it (prune: specNode's
// rules).
func (b *treeBuilder) field(v protoreflect.Value, fd protoreflect.FieldDescriptor, prune bool) (*yaml.Node, bool, error) {
	var n *yaml.Node
	var err error
	switch {
	case fd.IsList():
		n, err = b.list(v.List(), fd, prune)
	case fd.IsMap():
		n, err = b.mapValue(v.Map(), fd, prune)
	default:
		n, err = b.singular(v, fd, prune)
	}
	if err != nil {
		return nil, false, err
	}
	// A populated list or map is never empty; an empty ListValue is a sequence, kept.
	if !prune || fd.IsList() || fd.IsMap() || n.Kind != yaml.MappingNode || len(n.Content) > 0 {
		return n, true, nil
	}
	if fd.Message().FullName() == serverTLSSettings {
		// A Gateway server's tls set to the zero value is TLS passthrough. Istio refuses a
		// TLS server without tls settings, so the default is spelled out, not dropped.
		base := len(b.open)
		b.open = append(b.open, b.str("mode"), b.str("PASSTHROUGH"))
		b.close(n, base)
		return n, true, nil
	}
	return n, false, nil
}

// list keeps every element, even an empty message: dropping one would shift the others.
func (b *treeBuilder) list(l protoreflect.List, fd protoreflect.FieldDescriptor, prune bool) (*yaml.Node, error) {
	n := b.node(yaml.SequenceNode, "!!seq", "")
	base := len(b.open)
	for i := range l.Len() {
		v, err := b.singular(l.Get(i), fd, prune)
		if err != nil {
			return nil, err
		}
		b.open = append(b.open, v)
	}
	b.close(n, base)
	return n, nil
}

// mapValue keeps every entry, even an empty message: {x-canary: {}} means "present" to Istio.
func (b *treeBuilder) mapValue(mv protoreflect.Map, fd protoreflect.FieldDescriptor, prune bool) (*yaml.Node, error) {
	entries, ok := mapEntries(nil, mv, fd, prune)
	if !ok {
		return nil, errProtojson
	}
	n := b.node(yaml.MappingNode, "!!map", "")
	base := len(b.open)
	for _, e := range entries {
		v, err := b.singular(e.val, fd.MapValue(), prune)
		if err != nil {
			return nil, err
		}
		b.open = append(b.open, b.str(e.text), v)
	}
	b.close(n, base)
	return n, nil
}

type mapEntry struct {
	key  protoreflect.MapKey
	text string
	val  protoreflect.Value
}

// mapEntries appends to dst the entries of a map field in protojson's order (numbers by
// value); pruned (specNode's) maps are sorted by key text, as sortMapping sorts them. ok is
// false for a key protojson refuses (invalid UTF-8).
func mapEntries(dst []mapEntry, mv protoreflect.Map, fd protoreflect.FieldDescriptor, prune bool) ([]mapEntry, bool) {
	base := len(dst)
	dst = slices.Grow(dst, mv.Len())
	ok := true
	mv.Range(func(k protoreflect.MapKey, v protoreflect.Value) bool {
		text := k.String()
		ok = utf8.ValidString(text)
		dst = append(dst, mapEntry{k, text, v})
		return ok
	})
	entries := dst[base:]
	byText := func(x, y mapEntry) int { return strings.Compare(x.text, y.text) }
	switch fd.MapKey().Kind() {
	case protoreflect.StringKind, protoreflect.BoolKind: // false < true either way
		slices.SortFunc(entries, byText)
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		slices.SortFunc(entries, func(x, y mapEntry) int { return cmp.Compare(x.key.Uint(), y.key.Uint()) })
	default:
		slices.SortFunc(entries, func(x, y mapEntry) int { return cmp.Compare(x.key.Int(), y.key.Int()) })
	}
	if prune {
		slices.SortStableFunc(entries, byText)
	}
	return dst, ok
}

// singular is one value of fd's type, as protojson's marshalSingular writes it.
func (b *treeBuilder) singular(v protoreflect.Value, fd protoreflect.FieldDescriptor, prune bool) (*yaml.Node, error) {
	if fd.Kind() == protoreflect.MessageKind {
		return b.message(v.Message(), prune)
	}
	tag, text, ok := scalarText(v, fd)
	if !ok {
		return nil, errProtojson
	}
	return b.node(yaml.ScalarNode, tag, text), nil
}
