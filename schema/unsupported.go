package schema

import (
	"cmp"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/meshroute/meshroute/diag"
)

// The Gloo API fields the JSON Schemas accept but the typed specs (gloo.go) do not implement are
// reported by the loader, never dropped silently. routingFields are those whose absence would
// change where traffic goes — or which traffic a gateway accepts — so ignoring them is an error
// (MR1006); every other one is a warning (MR1005). Patterns are JSON pointers with * for an index.
var routingFields = []string{
	// RouteTable: routes and destinations meshroute does not emit.
	"/spec/tls/*/forwardTo/destinations/*/awsLambda",
	"/spec/applyToDestinations",
	"/spec/http/*/graphql",
	"/spec/http/*/forwardTo/destinations/*/awsLambda",
	"/spec/tcp/*/forwardTo/destinations/*/awsLambda",
	"/spec/defaultDestination/awsLambda",
	// A suffix matcher left out would widen the route to every path.
	"/spec/http/*/matchers/*/uri/suffix",
	// VirtualDestination: backends other than Services and ExternalServices.
	"/spec/externalWorkloads",
	// WorkspaceSettings options: each refuses clients, moves hosts or changes which gateway
	// carries cross-cluster traffic (docs/workspaces.md).
	"/spec/options/serviceIsolation/enforcementLayers",
	// The inventory's eastWestGateway is the address and port other clusters dial.
	"/spec/options/eastWestGateways/*/tlsTerminationPort",
	"/spec/options/eastWestGateways/*/hostInfoOverrides",
	"/spec/options/virtualDestClientMode",
}

// routingValues are enum values of implemented fields that select behaviour meshroute does not
// implement; accepting them as if they were the default would send traffic elsewhere.
var routingValues = []struct{ pattern, value, why string }{
	{"/spec/workloads/*/kind", "VM", "gateway workloads of kind VM are not implemented by meshroute: it selects gateway Services"},
}

// notImplemented are fields the typed specs carry (so the API shape stays whole) that meshroute
// does not act on yet: a warning. A selector's workspace is the exception where workspaceRead
// lists it.
var notImplemented = map[reflect.Type][]string{
	reflect.TypeFor[ObjectSelector]():     {"workspace"},
	reflect.TypeFor[RouteLabelSelector](): {"workspace"},
}

// workspaceRead are the selectors whose workspace field meshroute implements (docs/workspaces.md);
// it has an effect only once the input declares Workspaces.
var workspaceRead = []string{
	"/spec/http/*/delegate/routeTables/*/workspace",
	"/spec/services/*/workspace",
	"/spec/externalServices/*/workspace",
	"/spec/workloads/*/selector/workspace",
	"/spec/listeners/*/allowedRouteTables/*/selector/workspace",
	"/spec/options/eastWestGateways/*/selector/workspace",
	// Policy selectors (docs/workspaces.md, "Scope of policies").
	"/spec/applyToRoutes/*/route/workspace",
	"/spec/applyToRoutes/*/withDestinations/selector/workspace",
	"/spec/applyToDestinations/*/selector/workspace",
	"/spec/applyToRouteDestinations/*/route/workspace",
	"/spec/applyToRouteDestinations/*/onDestinations/*/selector/workspace",
}

// unsupportedFields reports every field present in the input that the typed spec has no Go
// field for, except those in skip (already reported as unknown by the schema): what is left is
// known to the API but not implemented by meshroute.
// A workspace field of a routing kind's selector comes back apart (workspace): it has an effect
// exactly when the input declares Workspaces, which only the whole load tells.
// Findings come in the order of a walk over sorted keys (a per-code cap keeps the first ones).
func unsupportedFields(obj *Object, value any, into any, path string, skip map[string]bool) (out, workspace []diag.Diagnostic) {
	w := &unsupportedWalk{root: path}
	w.walk(value, reflect.TypeOf(into))
	slices.SortStableFunc(w.found, func(a, b unsupportedFinding) int { return compareTrails(a.trail, b.trail) })
	for _, f := range w.found {
		p, generic := w.paths(f.trail)
		if f.value != nil {
			for _, r := range routingValues {
				if r.pattern == generic && f.value == r.value {
					out = append(out, diag.UnsupportedRoutingValue(obj.ValuePos(p), r.why).
						WithObject(obj.Ref(), p).
						WithHint("keep this object out of meshroute's input; docs/unsupported.md lists what is implemented"))
				}
			}
			continue
		}
		if skip[p] {
			continue
		}
		field := p[strings.LastIndex(p, "/")+1:]
		if slices.Contains(workspaceRead, generic) {
			workspace = append(workspace, diag.WorkspaceFieldWithoutWorkspaces(obj.FieldPos(p)).
				WithObject(obj.Ref(), p).
				WithHint("declare the Workspace objects (admin.gloo.solo.io/v2), or remove the field"))
			continue
		}
		if slices.Contains(routingFields, generic) {
			out = append(out, diag.UnsupportedRoutingField(obj.FieldPos(p), field).
				WithObject(obj.Ref(), p).
				WithHint("remove the field, or keep this object out of meshroute's input; docs/unsupported.md lists what is implemented"))
			continue
		}
		d := diag.UnsupportedField(obj.FieldPos(p), field).
			WithObject(obj.Ref(), p).
			WithHint("remove the field, or keep it for Gloo with the annotation meshroute.dev/suppress: MR1005; docs/unsupported.md lists every field")
		if field == "workspace" {
			d = d.WithHint("workspace is not implemented on this selector yet: the selector matches objects of every workspace")
		}
		out = append(out, d)
	}
	return out, workspace
}

// unsupportedWalk descends a spec along its Go type. The walk visits every field of every Gloo
// object, so it keeps the way down as a trail of segments and spells a path only for a finding.
type unsupportedWalk struct {
	root  string
	trail []trailSegment
	found []unsupportedFinding
}

// trailSegment is a mapping key or, when index >= 0, a list index.
type trailSegment struct {
	key   string
	index int
}

// unsupportedFinding is a field without a Go field (value nil) or a scalar that may hold a
// routing value meshroute does not implement.
type unsupportedFinding struct {
	trail []trailSegment
	value any
}

// valueKeys are the last keys of routingValues' patterns: only scalars under them are checked.
var valueKeys = func() map[string]bool {
	keys := map[string]bool{}
	for _, r := range routingValues {
		keys[r.pattern[strings.LastIndex(r.pattern, "/")+1:]] = true
	}
	return keys
}()

func (w *unsupportedWalk) walk(value any, t reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch v := value.(type) {
	case map[string]any:
		if t.Kind() != reflect.Struct {
			return // free-form maps (labels, subset) hold data, not fields
		}
		for k, item := range v {
			w.trail = append(w.trail, trailSegment{key: k, index: -1})
			if f, ok := fieldByJSONName(t, k); ok && !slices.Contains(notImplemented[t], k) {
				w.walk(item, f.Type)
			} else {
				w.found = append(w.found, unsupportedFinding{trail: slices.Clone(w.trail)})
			}
			w.trail = w.trail[:len(w.trail)-1]
		}
	case []any:
		if t.Kind() != reflect.Slice {
			return
		}
		for i, item := range v {
			w.trail = append(w.trail, trailSegment{index: i})
			w.walk(item, t.Elem())
			w.trail = w.trail[:len(w.trail)-1]
		}
	case nil:
	default:
		if n := len(w.trail); n > 0 && w.trail[n-1].index < 0 && valueKeys[w.trail[n-1].key] {
			w.found = append(w.found, unsupportedFinding{trail: slices.Clone(w.trail), value: v})
		}
	}
}

// paths spells a trail as a JSON pointer and as the same pointer with every index written as *
// (the form of the pattern lists above).
func (w *unsupportedWalk) paths(trail []trailSegment) (path, generic string) {
	var p, g strings.Builder
	p.WriteString(w.root)
	g.WriteString(w.root)
	for _, s := range trail {
		p.WriteByte('/')
		g.WriteByte('/')
		if s.index >= 0 {
			p.WriteString(strconv.Itoa(s.index))
			g.WriteByte('*')
			continue
		}
		p.WriteString(escape(s.key))
		g.WriteString(escape(s.key))
	}
	return p.String(), g.String()
}

// compareTrails orders trails as a walk over sorted keys and ascending indices meets them.
func compareTrails(a, b []trailSegment) int {
	for i := range min(len(a), len(b)) {
		if c := cmp.Or(cmp.Compare(a[i].index, b[i].index), cmp.Compare(a[i].key, b[i].key)); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

func fieldByJSONName(t reflect.Type, name string) (reflect.StructField, bool) {
	f, ok := jsonFields(t)[name]
	return f, ok
}

// jsonFieldsByType caches each struct type's fields by JSON name; parsing the tags again for
// every field of every object was a large part of the walk.
var jsonFieldsByType sync.Map // reflect.Type → map[string]reflect.StructField

func jsonFields(t reflect.Type) map[string]reflect.StructField {
	if m, ok := jsonFieldsByType.Load(t); ok {
		return m.(map[string]reflect.StructField)
	}
	m := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag != "" {
			if _, dup := m[tag]; !dup {
				m[tag] = f
			}
		}
	}
	jsonFieldsByType.Store(t, m)
	return m
}
