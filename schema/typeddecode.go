package schema

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
)

// decodeTyped fills dst (a pointer to a zero value) from v, a JSON-shaped value of toValue,
// exactly as json.Unmarshal(json.Marshal(v)) would. The plain cases — every key the JSON name of
// a field, every value of its field's type — are copied directly: that round trip was a tenth of
// loading at fleet scale and most of its garbage. Whatever needs encoding/json's finer rules (a
// type mismatch, a key matched only case-insensitively, a custom unmarshaler, a float into an
// integer, a string JSON would have to repair) takes the round trip for the smallest field that
// holds it, so the result never differs.
//
// A field whose round trip fails sends the whole value through it: encoding/json stops at an
// error a custom unmarshaler returns, leaving every field after it (in sorted key order) unset,
// and only the whole decoding reproduces that.
func decodeTyped(v any, dst any) {
	rv := reflect.ValueOf(dst).Elem()
	var f filler
	if !f.fill(rv, v) {
		rv.SetZero()
		_ = roundTrip(v, dst) // type mismatches were reported by the schema; this fills what it can
	}
}

// roundTrip is the reference decoding: encoding/json's, through the JSON text of v.
func roundTrip(v any, dst any) error {
	b, _ := json.Marshal(v) // values of toValue always marshal: no Inf, NaN or non-string key
	return json.Unmarshal(b, dst)
}

// filler is one decodeTyped; failed is set once a field's round trip failed.
type filler struct{ failed bool }

// fill decodes v into dst, which holds its zero value; false leaves dst half-filled for the
// caller to reset and hand to roundTrip.
func (d *filler) fill(dst reflect.Value, v any) bool {
	t := dst.Type()
	info := typeInfoOf(t)
	if info.custom {
		return false
	}
	switch t.Kind() {
	case reflect.String:
		s, ok := v.(string)
		if !ok || !utf8.ValidString(s) { // json.Marshal would replace the invalid bytes
			return false
		}
		dst.SetString(s)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			return false
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, ok := v.(int64)
		if !ok || dst.OverflowInt(i) {
			return false
		}
		dst.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		i, ok := v.(int64)
		if !ok || i < 0 || dst.OverflowUint(uint64(i)) {
			return false
		}
		dst.SetUint(uint64(i))
	case reflect.Pointer:
		if v == nil {
			return true // null leaves a nil pointer nil
		}
		elem := reflect.New(t.Elem())
		if !d.fill(elem.Elem(), v) {
			return false
		}
		dst.Set(elem)
	case reflect.Slice:
		if v == nil {
			return true
		}
		items, ok := v.([]any)
		if !ok {
			return false
		}
		s := reflect.MakeSlice(t, len(items), len(items))
		for i, item := range items {
			if !d.fill(s.Index(i), item) {
				return false
			}
		}
		dst.Set(s)
	case reflect.Map:
		if v == nil {
			return true
		}
		m, ok := v.(map[string]any)
		if !ok || t.Key().Kind() != reflect.String {
			return false
		}
		out := reflect.MakeMapWithSize(t, len(m))
		for k, x := range m {
			if !utf8.ValidString(k) {
				return false
			}
			elem := reflect.New(t.Elem()).Elem()
			if !d.fill(elem, x) {
				return false
			}
			out.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), elem)
		}
		dst.Set(out)
	case reflect.Struct:
		if v == nil {
			return true
		}
		m, ok := v.(map[string]any)
		if !ok || info.fields == nil {
			return false
		}
		for k, x := range m {
			i, exact := info.fields[k]
			if !exact {
				if info.foldMatch(k) {
					return false // which of the keys wins is encoding/json's rule
				}
				continue // unknown: the schema reported it if it matters
			}
			f := dst.Field(i)
			if !d.fill(f, x) {
				if d.failed {
					return false
				}
				f.SetZero()
				if roundTrip(x, f.Addr().Interface()) != nil {
					d.failed = true
					return false
				}
			}
		}
	default: // floats, interfaces, arrays: rare in specs, left to encoding/json
		return false
	}
	return true
}

// typeInfo is what fill needs to know of a type, worked out once.
type typeInfo struct {
	// custom: the type decodes itself (json.Unmarshaler or encoding.TextUnmarshaler).
	custom bool
	// fields maps a struct's JSON names to field indices; nil when the struct has fields
	// encoding/json treats specially (embedded, ",string", duplicate names).
	fields map[string]int
}

// foldMatch reports whether key equals a field's JSON name but for case, which encoding/json
// also accepts.
func (ti *typeInfo) foldMatch(key string) bool {
	for name := range ti.fields {
		if strings.EqualFold(key, name) {
			return true
		}
	}
	return false
}

var typeInfos sync.Map // reflect.Type → *typeInfo

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func typeInfoOf(t reflect.Type) *typeInfo {
	if ti, ok := typeInfos.Load(t); ok {
		return ti.(*typeInfo)
	}
	ti := &typeInfo{}
	p := reflect.PointerTo(t)
	ti.custom = p.Implements(jsonUnmarshaler) || p.Implements(textUnmarshaler) ||
		t.Implements(jsonUnmarshaler) || t.Implements(textUnmarshaler)
	if t.Kind() == reflect.Struct {
		ti.fields = plainFields(t)
	}
	typeInfos.Store(t, ti)
	return ti
}

// plainFields maps the JSON names of t's fields to their indices, or returns nil when a field
// is one encoding/json handles by rules fill does not follow.
func plainFields(t reflect.Type) map[string]int {
	fields := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			return nil
		}
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(","+opts+",", ",string,") {
			return nil
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := fields[name]; dup {
			return nil
		}
		fields[name] = i
	}
	return fields
}
