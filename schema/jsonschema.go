package schema

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/meshroute/meshroute/diag"
)

// validateSchema checks a document against the JSON Schema of its kind and explains every
// violation as one diagnostic positioned at the field (unknown fields: MR1001 at the key; any
// other violation: MR1003 at the value).
func validateSchema(obj *Object, doc map[string]any) []diag.Diagnostic {
	cs, err := lookupSchema(obj.APIVersion, obj.Kind)
	if err != nil {
		// A broken embedded schema is a build defect; say so rather than pass the input silently.
		return []diag.Diagnostic{diag.CannotCheck(obj.Pos, obj.Kind, err).WithObject(obj.Ref(), "")}
	}
	if cs == nil {
		return nil
	}
	err = cs.schema.Validate(any(doc))
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return nil
	}
	c := &converter{obj: obj, doc: doc, cs: cs}
	c.walk(verr)
	return c.result()
}

// finding is one explained violation before deduplication.
type finding struct {
	ptr  string // JSON pointer of the instance location
	cls  findingClass
	keys []string // fields the finding asks for (required, oneOf/anyOf groups)
	d    diag.Diagnostic
}

type findingClass int

const (
	clsType    findingClass = iota // wrong type: hides everything else at that place
	clsValue                       // a wrong value (enum, range, pattern, …): one per place
	clsShape                       // required/oneOf/anyOf/not on an object: one per field asked for
	clsUnknown                     // an unknown field
)

type converter struct {
	obj      *Object
	doc      map[string]any
	cs       *compiledSchema
	findings []finding
}

// walk descends the error tree. oneOf/anyOf/not are explained as a whole, never through the
// errors of their branches, which only restate the group.
func (c *converter) walk(e *jsonschema.ValidationError) {
	switch k := e.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		c.unknownFields(e, k)
	case *kind.Required:
		c.required(e, k)
	case *kind.DependentRequired:
		c.dependentRequired(e, k)
	case *kind.OneOf:
		c.group(e, "oneOf", len(k.Subschemas) > 0)
	case *kind.AnyOf:
		c.group(e, "anyOf", false)
	case *kind.Not:
		c.not(e)
	case *kind.Schema, *kind.Reference, *kind.Group, *kind.AllOf:
		for _, cause := range e.Causes {
			if _, ok := cause.ErrorKind.(*kind.PropertyNames); ok {
				// The validator hands a propertyNames error a location slice it reuses
				// afterwards; the enclosing error's location is the map's.
				cause.InstanceLocation = e.InstanceLocation
			}
			c.walk(cause)
		}
	default:
		c.value(e)
	}
}

func (c *converter) add(e *jsonschema.ValidationError, cls findingClass, keys []string, d diag.Diagnostic, path string) {
	c.findings = append(c.findings, finding{ptr: pointer(e.InstanceLocation), cls: cls, keys: keys, d: d.WithObject(c.obj.Ref(), path)})
}

func (c *converter) unknownFields(e *jsonschema.ValidationError, k *kind.AdditionalProperties) {
	allowed := propertyNames(c.schemaNode(e))
	props := slices.Sorted(slices.Values(k.Properties))
	for _, p := range props {
		path := pointer(append(slices.Clone(e.InstanceLocation), p))
		d := diag.UnknownField(c.obj.FieldPos(path), p, c.where(e.InstanceLocation))
		var keys []string
		if s := Suggest(p, allowed); s != "" {
			d = d.WithHint("did you mean `%s`?", s)
			keys = []string{s}
		} else if len(allowed) > 0 {
			d = d.WithHint("allowed fields here: %s", strings.Join(allowed, ", "))
		}
		c.add(e, clsUnknown, keys, d, path)
	}
}

func (c *converter) required(e *jsonschema.ValidationError, k *kind.Required) {
	path := pointer(e.InstanceLocation)
	for _, m := range k.Missing {
		d := diag.SchemaViolation(c.obj.FieldPos(path), c.where(e.InstanceLocation), m+" is required")
		if _, empty := c.nullKey(e.InstanceLocation, []string{m}); empty {
			at := pointer(append(slices.Clone(e.InstanceLocation), m))
			d = diag.SchemaViolation(c.obj.FieldPos(at), c.where(e.InstanceLocation), m+" is required but empty (null)").
				WithHint("give %s a value", m)
		}
		c.add(e, clsShape, []string{m}, d, path)
	}
}

func (c *converter) dependentRequired(e *jsonschema.ValidationError, k *kind.DependentRequired) {
	at := pointer(append(slices.Clone(e.InstanceLocation), k.Prop))
	d := diag.SchemaViolation(c.obj.FieldPos(at), c.where(e.InstanceLocation), k.Prop+" needs "+strings.Join(k.Missing, " and ")+" to be set")
	if k.Prop == "virtualGateways" || k.Prop == "applyToDestinations" || k.Prop == "failureMode" {
		d = d.WithHint("a RouteTable without hosts is a delegated child: its parent's gateways and settings apply")
	}
	c.add(e, clsShape, k.Missing, d, at)
}

// group explains a oneOf/anyOf whose branches each require fields: "exactly one of" / "at
// least one of", naming what is set.
func (c *converter) group(e *jsonschema.ValidationError, keyword string, tooMany bool) {
	node := c.schemaNode(e)
	keys := branchKeys(node, keyword)
	path := pointer(e.InstanceLocation)
	lead := c.errorMessage(node)
	if keys == nil {
		if lead == "" {
			lead = "matches none of the allowed shapes"
		}
		c.add(e, clsShape, nil, diag.SchemaViolation(c.obj.FieldPos(path), c.where(e.InstanceLocation), lead), path)
		return
	}
	set := c.presentKeys(e.InstanceLocation, keys)
	if tooMany && len(set) > 1 {
		if lead == "" {
			lead = "set exactly one of " + orList(keys)
		}
		at := c.latest(e.InstanceLocation, set)
		d := diag.SchemaViolation(c.obj.FieldPos(at), c.where(e.InstanceLocation), lead+", but it sets "+andList(set)).
			WithHint("keep one of %s", andList(set))
		c.add(e, clsShape, nil, d, at)
		return
	}
	if k, empty := c.nullKey(e.InstanceLocation, keys); empty && len(set) == 0 {
		at := pointer(append(slices.Clone(e.InstanceLocation), k))
		d := diag.SchemaViolation(c.obj.FieldPos(at), c.where(e.InstanceLocation), k+" is empty (null): "+firstLower(cmp.Or(lead, "set one of "+orList(keys)))).
			WithHint("write the fields of %s under it, indented further than the key", k)
		c.add(e, clsShape, keys, d, at)
		return
	}
	var msg string
	switch {
	case lead != "" && keyword == "oneOf":
		msg = lead + ": set one of " + orList(keys)
	case lead != "":
		msg = lead
	case keyword == "oneOf":
		msg = "set exactly one of " + orList(keys)
	default:
		msg = "set at least one of " + orList(keys)
	}
	c.add(e, clsShape, keys, diag.SchemaViolation(c.obj.FieldPos(path), c.where(e.InstanceLocation), msg), path)
}

// not explains `not: {required: [a, b]}` as "a and b cannot both be set"; any other not is a
// value rule explained by the schema's errorMessage.
func (c *converter) not(e *jsonschema.ValidationError) {
	node := c.schemaNode(e)
	sub, _ := node["not"].(map[string]any)
	keys := stringList(sub["required"])
	if len(sub) != 1 || len(keys) < 2 {
		c.value(e)
		return
	}
	at := c.latest(e.InstanceLocation, keys)
	d := diag.SchemaViolation(c.obj.FieldPos(at), c.where(e.InstanceLocation), andList(keys)+" cannot be set together").
		WithHint("keep one of %s", andList(keys))
	c.add(e, clsShape, nil, d, at)
}

// result drops findings that restate another, then sorts.
func (c *converter) result() []diag.Diagnostic {
	typed := map[string]bool{}
	suggested := map[string][]string{}
	for _, f := range c.findings {
		switch f.cls {
		case clsType:
			typed[f.ptr] = true
		case clsUnknown:
			suggested[f.ptr] = append(suggested[f.ptr], f.keys...)
		}
	}
	slices.SortStableFunc(c.findings, func(a, b finding) int {
		return cmp.Or(cmp.Compare(a.ptr, b.ptr), cmp.Compare(a.cls, b.cls), cmp.Compare(a.d.Message, b.d.Message))
	})
	var out []diag.Diagnostic
	valueSeen := map[string]bool{}
	for _, f := range c.findings {
		switch {
		case f.cls != clsType && typed[f.ptr]:
			continue // a mapping given as a string: its shape rules mean nothing yet
		case f.cls == clsShape && overlaps(f.keys, suggested[f.ptr]):
			continue // "forwardto" misspelt: the MR1001 hint already says it, not "no action"
		case f.cls == clsType || f.cls == clsValue:
			if valueSeen[f.ptr] {
				continue // one problem per value, however many rules it breaks
			}
			valueSeen[f.ptr] = true
		}
		out = append(out, f.d)
	}
	return slices.CompactFunc(out, func(a, b diag.Diagnostic) bool { return a.Pos == b.Pos && a.Message == b.Message })
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

func firstLower(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
