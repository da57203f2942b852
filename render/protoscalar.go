package render

import (
	"encoding/base64"
	"math"
	"strconv"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// scalarText is a non-message value of fd's type as protojson writes it, with the YAML tag
// scanJSON gives it: enum names, 64-bit integers and bytes (base64) as strings, floats in
// protojson's form. ok is false where protojson fails (invalid UTF-8) or for a group (proto2).
func scalarText(v protoreflect.Value, fd protoreflect.FieldDescriptor) (tag, text string, ok bool) {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		if v.Bool() {
			return "!!bool", "true", true
		}
		return "!!bool", "false", true
	case protoreflect.StringKind:
		s := v.String()
		return "!!str", s, utf8.ValidString(s)
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return "!!int", strconv.FormatInt(v.Int(), 10), true
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return "!!int", strconv.FormatUint(v.Uint(), 10), true
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return "!!str", strconv.FormatInt(v.Int(), 10), true // JavaScript's numbers lose 64-bit precision
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return "!!str", strconv.FormatUint(v.Uint(), 10), true
	case protoreflect.FloatKind:
		tag, text = floatText(v.Float(), 32)
		return tag, text, true
	case protoreflect.DoubleKind:
		tag, text = floatText(v.Float(), 64)
		return tag, text, true
	case protoreflect.BytesKind:
		return "!!str", base64.StdEncoding.EncodeToString(v.Bytes()), true
	case protoreflect.EnumKind:
		if fd.Enum().FullName() == "google.protobuf.NullValue" {
			return "!!null", "null", true
		}
		if ev := fd.Enum().Values().ByNumber(v.Enum()); ev != nil {
			return "!!str", string(ev.Name()), true
		}
		return "!!int", strconv.FormatInt(int64(v.Enum()), 10), true
	}
	return "", "", false
}

// floatText is protojson's number form (encoding/json's: exponent form outside [1e-6, 1e21),
// and e-07 written e-7), tagged as YAML reads the text, or its string for NaN and the
// infinities.
func floatText(f float64, bits int) (tag, text string) {
	switch {
	case math.IsNaN(f):
		return "!!str", "NaN"
	case math.IsInf(f, 1):
		return "!!str", "Infinity"
	case math.IsInf(f, -1):
		return "!!str", "-Infinity"
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	text = strconv.FormatFloat(f, format, -1, bits)
	if k := len(text); format == 'e' && k >= 4 && text[k-4] == 'e' && text[k-3] == '-' && text[k-2] == '0' {
		text = text[:k-2] + text[k-1:]
	}
	n := yaml.Node{Kind: yaml.ScalarNode, Value: text}
	return n.ShortTag(), text
}
