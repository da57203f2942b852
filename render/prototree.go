package render

import (
	"cmp"
	"encoding/base64"
	"errors"
	"math"
	"slices"
	"strconv"
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
// Keys are in protojson's order (numbers by value); pruned (specNode's) maps are sorted by key
// text, as sortMapping sorts them.
func (b *treeBuilder) mapValue(mv protoreflect.Map, fd protoreflect.FieldDescriptor, prune bool) (*yaml.Node, error) {
	type entry struct {
		key  protoreflect.MapKey
		text string
		val  protoreflect.Value
	}
	entries := make([]entry, 0, mv.Len())
	var err error
	mv.Range(func(k protoreflect.MapKey, v protoreflect.Value) bool {
		text := k.String()
		if !utf8.ValidString(text) {
			err = errProtojson
			return false
		}
		entries = append(entries, entry{k, text, v})
		return true
	})
	if err != nil {
		return nil, err
	}
	byText := func(x, y entry) int { return strings.Compare(x.text, y.text) }
	switch fd.MapKey().Kind() {
	case protoreflect.StringKind, protoreflect.BoolKind: // false < true either way
		slices.SortFunc(entries, byText)
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		slices.SortFunc(entries, func(x, y entry) int { return cmp.Compare(x.key.Uint(), y.key.Uint()) })
	default:
		slices.SortFunc(entries, func(x, y entry) int { return cmp.Compare(x.key.Int(), y.key.Int()) })
	}
	if prune {
		slices.SortStableFunc(entries, byText)
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

// singular is one value of fd's type, as protojson's marshalSingular writes it.
func (b *treeBuilder) singular(v protoreflect.Value, fd protoreflect.FieldDescriptor, prune bool) (*yaml.Node, error) {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		if v.Bool() {
			return b.node(yaml.ScalarNode, "!!bool", "true"), nil
		}
		return b.node(yaml.ScalarNode, "!!bool", "false"), nil
	case protoreflect.StringKind:
		if s := v.String(); utf8.ValidString(s) {
			return b.str(s), nil
		}
		return nil, errProtojson // protojson's invalid UTF-8 error
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return b.node(yaml.ScalarNode, "!!int", strconv.FormatInt(v.Int(), 10)), nil
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return b.node(yaml.ScalarNode, "!!int", strconv.FormatUint(v.Uint(), 10)), nil
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return b.str(strconv.FormatInt(v.Int(), 10)), nil // a JSON string: JavaScript's numbers lose 64-bit precision
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return b.str(strconv.FormatUint(v.Uint(), 10)), nil
	case protoreflect.FloatKind:
		return b.float(v.Float(), 32), nil
	case protoreflect.DoubleKind:
		return b.float(v.Float(), 64), nil
	case protoreflect.BytesKind:
		return b.str(base64.StdEncoding.EncodeToString(v.Bytes())), nil
	case protoreflect.EnumKind:
		if fd.Enum().FullName() == "google.protobuf.NullValue" {
			return b.node(yaml.ScalarNode, "!!null", "null"), nil
		}
		if ev := fd.Enum().Values().ByNumber(v.Enum()); ev != nil {
			return b.str(string(ev.Name())), nil
		}
		return b.node(yaml.ScalarNode, "!!int", strconv.FormatInt(int64(v.Enum()), 10)), nil
	case protoreflect.MessageKind:
		return b.message(v.Message(), prune)
	}
	return nil, errProtojson // groups: proto2
}

// float is protojson's number form (encoding/json's: exponent form outside [1e-6, 1e21), and
// e-07 written e-7), or its string for NaN and the infinities; tagged as YAML reads the text.
func (b *treeBuilder) float(f float64, bits int) *yaml.Node {
	switch {
	case math.IsNaN(f):
		return b.str("NaN")
	case math.IsInf(f, 1):
		return b.str("Infinity")
	case math.IsInf(f, -1):
		return b.str("-Infinity")
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	text := strconv.FormatFloat(f, format, -1, bits)
	if k := len(text); format == 'e' && k >= 4 && text[k-4] == 'e' && text[k-3] == '-' && text[k-2] == '0' {
		text = text[:k-2] + text[k-1:]
	}
	n := b.node(yaml.ScalarNode, "", text)
	n.Tag = n.ShortTag()
	return n
}
