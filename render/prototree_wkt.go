package render

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// wellKnown is the JSON form of a google.protobuf message protojson writes its own way; ok is
// false for one it writes as a plain message (Empty, the descriptor types).
func (b *treeBuilder) wellKnown(m protoreflect.Message) (n *yaml.Node, err error, ok bool) {
	switch m.Descriptor().Name() {
	case "Any":
		n, err = b.anyValue(m)
	case "Duration":
		text, ok := durationText(m)
		if !ok {
			return nil, errProtojson, true
		}
		n = b.str(text)
	case "BoolValue", "Int32Value", "Int64Value", "UInt32Value", "UInt64Value",
		"FloatValue", "DoubleValue", "StringValue", "BytesValue":
		fd := m.Descriptor().Fields().ByNumber(1)
		n, err = b.singular(m.Get(fd), fd, false)
	case "Timestamp", "Struct", "ListValue", "Value", "FieldMask":
		// Rare in meshroute's output: protojson renders them, for this value only.
		n, err = protoNode(m.Interface(), b.options())
		if err != nil {
			err = errProtojson // the whole message then, for protojson's own error
		}
	default:
		return nil, nil, false
	}
	return n, err, true
}

func (b *treeBuilder) options() protojson.MarshalOptions {
	return protojson.MarshalOptions{UseProtoNames: b.protoNames}
}

// anyValue is an Any as protojson writes it: "@type" first, then the fields of the message it
// holds, resolved through the global registry as protojson resolves it. A held well-known type
// goes under "value".
func (b *treeBuilder) anyValue(m protoreflect.Message) (*yaml.Node, error) {
	fds := m.Descriptor().Fields()
	typeField, valueField := fds.ByNumber(1), fds.ByNumber(2)
	n := b.node(yaml.MappingNode, "!!map", "")
	if !m.Has(typeField) {
		if m.Has(valueField) {
			return nil, errProtojson // protojson's "type_url is not set"
		}
		return n, nil
	}
	url := m.Get(typeField).String()
	if !utf8.ValidString(url) {
		return nil, errProtojson
	}
	mt, err := protoregistry.GlobalTypes.FindMessageByURL(url)
	if err != nil {
		return nil, errProtojson
	}
	held := mt.New()
	if err := (proto.UnmarshalOptions{AllowPartial: true, Resolver: protoregistry.GlobalTypes}).
		Unmarshal(m.Get(valueField).Bytes(), held.Interface()); err != nil {
		return nil, errProtojson
	}
	base := len(b.open)
	b.open = append(b.open, b.str("@type"), b.str(url))
	if held.Descriptor().FullName().Parent() == "google.protobuf" {
		if v, err, ok := b.wellKnown(held); ok {
			if err != nil {
				return nil, err
			}
			b.open = append(b.open, b.str("value"), v)
			b.close(n, base)
			return n, nil
		}
	}
	// The content of a well-known type is never pruned (specNode's rule).
	if err := b.fields(held, false); err != nil {
		return nil, err
	}
	b.close(n, base)
	return n, nil
}

// maxDurationSeconds is protojson's bound: 10,000 years.
const maxDurationSeconds = 315576000000

// durationText is a Duration as protojson writes it: seconds with 0, 3, 6 or 9 fractional
// digits and an "s"; ok is false where protojson fails (out of range, mixed signs).
func durationText(m protoreflect.Message) (string, bool) {
	fds := m.Descriptor().Fields()
	secs, nanos := m.Get(fds.ByNumber(1)).Int(), m.Get(fds.ByNumber(2)).Int()
	if secs < -maxDurationSeconds || secs > maxDurationSeconds || nanos <= -1e9 || nanos >= 1e9 ||
		secs > 0 && nanos < 0 || secs < 0 && nanos > 0 {
		return "", false
	}
	var text strings.Builder
	if secs < 0 || nanos < 0 {
		text.WriteByte('-')
		secs, nanos = -secs, -nanos
	}
	text.WriteString(strconv.FormatInt(secs, 10))
	if nanos != 0 {
		frac := strconv.FormatInt(nanos+1e9, 10)[1:] // nine digits
		switch {
		case nanos%1e6 == 0:
			frac = frac[:3]
		case nanos%1e3 == 0:
			frac = frac[:6]
		}
		text.WriteByte('.')
		text.WriteString(frac)
	}
	text.WriteByte('s')
	return text.String(), true
}
