package schema

import (
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/diag"
)

// routingFields are the fields of the Gloo API whose absence would change where traffic goes, so
// leaving them out is an error (MR1006) rather than a warning (MR1005). Patterns are JSON pointers
// with * for an index.
var routingFields = []string{
	"/spec/tcp",
	"/spec/tls",
	"/spec/applyToDestinations",
	"/spec/externalServices",
	"/spec/http/*/graphql",
	"/spec/http/*/delegate/allowedRoutes",
	"/spec/http/*/forwardTo/destinations/*/function",
	"/spec/defaultDestination/function",
	"/spec/listeners/*/allowedRouteTables/*/allowedRoutes",
	"/spec/listeners/*/exposedExternalServices",
}

var index = regexp.MustCompile(`/\d+(/|$)`)

// unsupportedFields reports every field present in the input that the typed spec has no Go field
// for. The JSON Schema has already rejected fields the API does not know, so what is left here is
// known to the API but not implemented by meshroute.
func unsupportedFields(obj *Object, value any, into any, path string) []diag.Diagnostic {
	var out []diag.Diagnostic
	walkUnsupported(value, reflect.TypeOf(into), path, func(p string) {
		generic := index.ReplaceAllString(p, "/*$1")
		generic = index.ReplaceAllString(generic, "/*$1")
		field := p[strings.LastIndex(p, "/")+1:]
		if slices.Contains(routingFields, generic) {
			out = append(out, diag.New("MR1006", obj.FieldPos(p), "%s is not implemented by meshroute, and ignoring it would change where traffic goes", field).
				WithObject(obj.Ref(), p).
				WithHint("remove the field, or keep this object out of meshroute's input; docs/unsupported.md lists what is implemented"))
			return
		}
		out = append(out, diag.New("MR1005", obj.FieldPos(p), "%s is not implemented by meshroute yet and has no effect", field).
			WithObject(obj.Ref(), p).
			WithHint("remove the field, or suppress MR1005 for this object if that is intended"))
	})
	return out
}

func walkUnsupported(value any, t reflect.Type, path string, report func(string)) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch v := value.(type) {
	case map[string]any:
		if t.Kind() == reflect.Map {
			return // free-form maps (labels, subset) hold data, not fields
		}
		if t.Kind() != reflect.Struct {
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			p := path + "/" + escape(k)
			f, ok := fieldByJSONName(t, k)
			if !ok {
				report(p)
				continue
			}
			walkUnsupported(v[k], f.Type, p, report)
		}
	case []any:
		if t.Kind() != reflect.Slice {
			return
		}
		for i, item := range v {
			walkUnsupported(item, t.Elem(), path+"/"+strconv.Itoa(i), report)
		}
	}
}

func fieldByJSONName(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}
