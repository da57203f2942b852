package render

import (
	"bytes"
	"sync"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// specWriter appends a spec message as the block YAML encodeYAML writes for specNode's tree,
// walking the message as treeBuilder does but building no tree: the nodes were most of what
// rendering allocated. Quoting is scalarStyle's (styleScalars' rule), layout writeBlockYAML's.
// It reports false for anything it does not reproduce — whatever treeBuilder leaves to
// protojson, a well-known type other than Duration and the wrappers, a scalar writeBlockYAML
// leaves to yaml.v3 — and ObjectYAML then renders the tree.
type specWriter struct {
	b       []byte
	entries []mapEntry // the entries of the maps being written, innermost last
}

// mapping writes the pruned fields of m as a block mapping whose keys sit at indent; inline
// continues the current line ("- ") with the first key. It reports how many fields it wrote.
func (w *specWriter) mapping(m protoreflect.Message, indent int, inline bool) (int, bool) {
	md := m.Descriptor()
	if md.Syntax() != protoreflect.Proto3 || md.ExtensionRanges().Len() > 0 || md.FullName().Parent() == "google.protobuf" {
		return 0, false
	}
	if !m.IsValid() {
		return 0, true
	}
	written := 0
	fds := md.Fields()
	for i := range fds.Len() {
		fd := fds.Get(i)
		if !m.Has(fd) {
			continue
		}
		mark := len(w.b)
		if written > 0 || !inline {
			w.b = appendSpaces(w.b, indent)
		}
		if !w.key(fd.JSONName()) {
			return 0, false
		}
		kept, ok := w.field(m.Get(fd), fd, indent)
		if !ok {
			return 0, false
		}
		if !kept {
			w.b = w.b[:mark]
			continue
		}
		written++
	}
	return written, true
}

// key writes a mapping key and its colon.
func (w *specWriter) key(k string) bool {
	if len(k) > maxSimpleKey {
		return false
	}
	var ok bool
	w.b, ok = appendScalar(w.b, scalarStyle("!!str", k), "!!str", k)
	w.b = append(w.b, ':')
	return ok
}

// field writes a populated field's value after its key at indent, and reports whether pruning
// keeps the field (an empty message is dropped, the zero ServerTLSSettings spelled out).
func (w *specWriter) field(v protoreflect.Value, fd protoreflect.FieldDescriptor, indent int) (kept, ok bool) {
	switch {
	case fd.IsList():
		w.b = append(w.b, '\n')
		l := v.List()
		for i := range l.Len() {
			w.b = append(appendSpaces(w.b, indent), '-')
			if !w.item(l.Get(i), fd, indent+2, " ") {
				return false, false
			}
		}
		return true, true
	case fd.IsMap():
		base := len(w.entries)
		all, ok := mapEntries(w.entries, v.Map(), fd, true)
		if !ok {
			return false, false
		}
		w.entries = all
		entries := all[base:] // stays valid while nested maps append to w.entries
		w.b = append(w.b, '\n')
		for _, e := range entries {
			w.b = appendSpaces(w.b, indent+2)
			if !w.key(e.text) || !w.item(e.val, fd.MapValue(), indent+4, "\n") {
				return false, false
			}
		}
		clear(w.entries[base:])
		w.entries = w.entries[:base]
		return true, true
	case fd.Kind() != protoreflect.MessageKind || isScalarWellKnown(fd.Message()):
		w.b = append(w.b, ' ')
		return true, w.scalar(v, fd)
	}
	mark := len(w.b)
	w.b = append(w.b, '\n')
	written, ok := w.mapping(v.Message(), indent+2, false)
	if !ok || written > 0 {
		return ok, ok
	}
	w.b = w.b[:mark]
	if fd.Message().FullName() == serverTLSSettings {
		// As specNode: the zero tls of a Gateway server is TLS passthrough, spelled out.
		w.b = append(w.b, '\n')
		w.b = appendSpaces(w.b, indent+2)
		if !w.key("mode") {
			return false, false
		}
		w.b, ok = appendScalar(append(w.b, ' '), scalarStyle("!!str", "PASSTHROUGH"), "!!str", "PASSTHROUGH")
		w.b = append(w.b, '\n')
		return ok, ok
	}
	return false, true
}

// item writes a list element (after its "-") or a map value (after its "key:"), kept even
// when it is an empty message. A message's first key follows sep: " " on the "- " line of a
// list item, a line break under a map key; its keys sit at indent.
func (w *specWriter) item(v protoreflect.Value, fd protoreflect.FieldDescriptor, indent int, sep string) bool {
	if fd.Kind() != protoreflect.MessageKind || isScalarWellKnown(fd.Message()) {
		w.b = append(w.b, ' ')
		return w.scalar(v, fd)
	}
	mark := len(w.b)
	w.b = append(w.b, sep...)
	written, ok := w.mapping(v.Message(), indent, sep == " ")
	if ok && written == 0 {
		w.b = append(w.b[:mark], " {}\n"...)
	}
	return ok
}

// scalar writes a non-message value, a Duration or a wrapper, and its line break.
func (w *specWriter) scalar(v protoreflect.Value, fd protoreflect.FieldDescriptor) bool {
	var tag, text string
	ok := true
	switch {
	case fd.Kind() != protoreflect.MessageKind:
		tag, text, ok = scalarText(v, fd)
	case fd.Message().Name() == "Duration":
		tag = "!!str"
		text, ok = durationText(v.Message())
	default: // a wrapper: its value field
		inner := fd.Message().Fields().ByNumber(1)
		tag, text, ok = scalarText(v.Message().Get(inner), inner)
	}
	if !ok {
		return false
	}
	w.b, ok = appendScalar(w.b, scalarStyle(tag, text), tag, text)
	w.b = append(w.b, '\n')
	return ok
}

// isScalarWellKnown reports the well-known types protojson writes as one JSON scalar that
// specWriter writes itself: Duration and the wrappers.
func isScalarWellKnown(md protoreflect.MessageDescriptor) bool {
	if md.FullName().Parent() != "google.protobuf" {
		return false
	}
	switch md.Name() {
	case "Duration", "BoolValue", "Int32Value", "Int64Value", "UInt32Value", "UInt64Value",
		"FloatValue", "DoubleValue", "StringValue", "BytesValue":
		return true
	}
	return false
}

// objectYAMLDirect is ObjectYAML without the spec's tree: the head (apiVersion, kind, metadata)
// as a small tree, then the spec written by specWriter. ok is false when either part is left
// to the tree path (which also reports every error).
func objectYAMLDirect(o Object) ([]byte, bool) {
	scratch := scratchBuffers.Get().(*[]byte)
	defer scratchBuffers.Put(scratch)
	w := &specWriter{b: (*scratch)[:0]}
	h := headYAML{w: w, ok: true}
	err := writeHead(&h, o)
	*scratch = w.b
	if err != nil || !h.ok {
		return nil, false
	}
	if o.Spec != nil {
		mark := len(w.b)
		w.b = append(w.b, "spec:\n"...)
		written, ok := w.mapping(o.Spec.ProtoReflect(), 2, false)
		*scratch = w.b
		if !ok {
			return nil, false
		}
		if written == 0 {
			w.b = w.b[:mark] // an empty spec is left out
		}
	}
	return bytes.Clone(w.b), true
}

// scratchBuffers hold documents while they are written: one exact copy per document instead of
// a buffer grown (and cleared) step by step.
var scratchBuffers = sync.Pool{New: func() any { return new([]byte) }}
