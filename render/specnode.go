package render

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// specNode turns a spec message into a YAML mapping: protojson's JSON form decides the names
// (lowerCamel, as Istio's CRDs use), enum names and well-known types; the keys keep protojson's
// order (fields as declared in the .proto, map keys sorted), which is stable across runs.
// Empty messages are dropped — except as values of a map field, where Istio reads an empty
// StringMatch as "the header is present" (DESIGN.md §3). treeBuilder builds that tree without
// protojson; what it leaves to protojson goes through protoNode and prune, the rules it follows.
//
// protojson leaves proto3 zero values out (an enum's first value, 0, ""), so an emitter cannot
// spell out a default explicitly; Istio applies the same defaults.
func specNode(m proto.Message) (*yaml.Node, error) {
	n, err := new(treeBuilder).protoTree(m, true)
	if err != errProtojson {
		return n, err
	}
	return prunedProtoNode(m)
}

// prunedProtoNode is specNode through protojson, for the messages the walker leaves to it.
func prunedProtoNode(m proto.Message) (*yaml.Node, error) {
	n, err := protoNode(m, protojson.MarshalOptions{})
	if err != nil {
		return nil, err
	}
	prune(n, m.ProtoReflect().Descriptor())
	return n, nil
}

// protoNode marshals m through protojson and builds the YAML node tree straight from the JSON
// bytes (re-parsing the JSON as YAML took a third of the render time).
func protoNode(m proto.Message, opts protojson.MarshalOptions) (*yaml.Node, error) {
	if m == nil || !m.ProtoReflect().IsValid() {
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, nil
	}
	name := m.ProtoReflect().Descriptor().FullName()
	b, err := opts.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	n, err := scanJSON(b)
	if err != nil {
		return nil, fmt.Errorf("%s: reading protojson output: %w", name, err)
	}
	return n, nil
}

// resolvedScalar is a plain scalar tagged as YAML resolves its text (!!int, !!float, !!bool,
// !!null), as the YAML parser tags it.
func resolvedScalar(text string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: text}
	n.Tag = n.ShortTag()
	return n
}

// prune removes empty mappings below the message node n described by md, bottom-up.
func prune(n *yaml.Node, md protoreflect.MessageDescriptor) {
	if n.Kind != yaml.MappingNode || isWellKnown(md) {
		return
	}
	fields := md.Fields()
	kept := n.Content[:0]
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		fd := fields.ByJSONName(key.Value)
		if fd == nil {
			fd = fields.ByTextName(key.Value)
		}
		if fd != nil && !keepField(val, fd) {
			continue
		}
		kept = append(kept, key, val)
	}
	n.Content = kept
}

// keepField prunes inside one field's value and reports whether the field stays.
func keepField(val *yaml.Node, fd protoreflect.FieldDescriptor) bool {
	switch {
	case fd.IsMap():
		if vd := fd.MapValue().Message(); vd != nil {
			// Map values are kept even when empty: {x-canary: {}} means "present".
			for i := 1; i < len(val.Content); i += 2 {
				prune(val.Content[i], vd)
			}
		}
		sortMapping(val)
		return len(val.Content) > 0
	case fd.IsList():
		if md := fd.Message(); md != nil {
			// List elements stay even when empty: dropping one would shift the others.
			for _, el := range val.Content {
				prune(el, md)
			}
		}
		return len(val.Content) > 0
	case fd.Message() != nil:
		prune(val, fd.Message())
		if fd.Message().FullName() == serverTLSSettings && val.Kind == yaml.MappingNode && len(val.Content) == 0 {
			// A Gateway server's tls set to the zero value is TLS passthrough. Istio refuses a
			// TLS server without tls settings, so the default is spelled out, not dropped.
			val.Content = []*yaml.Node{resolvedScalar("mode"), resolvedScalar("PASSTHROUGH")}
			return true
		}
		return !(val.Kind == yaml.MappingNode && len(val.Content) == 0)
	}
	return true
}

// serverTLSSettings is Istio's Gateway server TLS message (networking/v1 aliases it).
const serverTLSSettings = "istio.networking.v1alpha3.ServerTLSSettings"

// isWellKnown reports google.protobuf types, whose JSON form is not their fields (Struct,
// Duration, wrappers); their content is left as protojson wrote it.
func isWellKnown(md protoreflect.MessageDescriptor) bool {
	return strings.HasPrefix(string(md.FullName()), "google.protobuf.")
}

// sortMapping orders a mapping by key; protojson already does, this keeps it true whatever the
// library version.
func sortMapping(n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		return
	}
	type pair struct{ k, v *yaml.Node }
	pairs := make([]pair, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		pairs = append(pairs, pair{n.Content[i], n.Content[i+1]})
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return strings.Compare(a.k.Value, b.k.Value) })
	n.Content = n.Content[:0]
	for _, p := range pairs {
		n.Content = append(n.Content, p.k, p.v)
	}
}
