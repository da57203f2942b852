package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/meshroute/meshroute/diag"
)

// maxNodes bounds how many YAML nodes one document may expand to once aliases are followed, so a
// "billion laughs" document is refused instead of exhausting memory.
const maxNodes = 1_000_000

func utf8Valid(b []byte) bool { return utf8.Valid(b) }

var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// parseFile splits a file into documents and loads each.
func (st *loadState) parseFile(file string, data []byte, servicesCluster string) {
	if file == StdinPath {
		file = "<stdin>"
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			st.report(syntaxError(file, err))
			return
		}
		if len(doc.Content) == 0 {
			continue
		}
		st.loadDocument(file, doc.Content[0], servicesCluster)
	}
}

func syntaxError(file string, err error) diag.Diagnostic {
	pos := diag.Position{File: file}
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if m[1] != "" {
			pos.Line, _ = strconv.Atoi(m[1])
		}
		msg = m[2]
	}
	return diag.New("MR1002", pos, "invalid YAML: %s", msg).
		WithHint("check indentation and quoting around this line")
}

// loadDocument turns one document node into a typed object.
func (st *loadState) loadDocument(file string, root *yaml.Node, servicesCluster string) {
	pos := position(file, root)
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return
	}
	if root.Kind != yaml.MappingNode {
		st.report(diag.New("MR1008", pos, "a document must be a mapping with apiVersion and kind, not a %s", nodeKind(root)).
			WithHint("each YAML document (separated by ---) holds one object"))
		return
	}
	if len(root.Content) > 0 {
		pos = position(file, root.Content[0])
	}
	budget := maxNodes
	value, err := toValue(root, &budget)
	if err != nil {
		st.report(diag.New("MR1007", pos, "%v", err).
			WithHint("YAML aliases may not expand past %d nodes; write the repeated parts out", maxNodes))
		return
	}
	m := value.(map[string]any)
	apiVersion, _ := m["apiVersion"].(string)
	kind, _ := m["kind"].(string)
	obj := Object{APIVersion: apiVersion, Kind: kind, Pos: pos, node: root}
	if kind == "" || apiVersion == "" {
		st.report(diag.New("MR1008", pos, "the document has no apiVersion or kind").
			WithHint("start each object with apiVersion: and kind:, e.g. apiVersion: networking.gloo.solo.io/v2"))
		return
	}
	if meta, ok := m["metadata"].(map[string]any); ok {
		// Metadata shape errors are the schema's to report; decode what is well-formed.
		b, _ := json.Marshal(meta)
		_ = json.Unmarshal(b, &obj.Metadata)
	}
	if obj.Metadata.Namespace == "" && kind != KindCluster {
		obj.Metadata.Namespace = "default"
	}
	target := st.newTyped(&obj, servicesCluster)
	if target == nil {
		st.set.Others = append(st.set.Others, &obj)
		st.report(diag.New("MR1004", pos, "ignoring %s %s: meshroute does not read this kind", apiVersion, kind).
			WithObject(obj.Ref(), ""))
		return
	}
	ds := validateSchema(&obj, m)
	st.diags = append(st.diags, ds...)
	if spec, ok := m["spec"]; ok {
		if apiVersion == GlooAPIVersion {
			// Only the Gloo API has fields meshroute owes an answer for; a Service's
			// sessionAffinity or clusterIP is simply not routing input.
			unknown := map[string]bool{}
			for _, d := range ds {
				if d.Code == "MR1001" {
					unknown[d.Path] = true
				}
			}
			st.diags = append(st.diags, unsupportedFields(&obj, spec, target.spec, "/spec", unknown)...)
		}
		b, _ := json.Marshal(spec)
		// Type mismatches were reported by the schema; decoding fills what it can.
		_ = json.Unmarshal(b, target.spec)
	}
	target.add()
}

type typedTarget struct {
	spec any
	add  func()
}

// newTyped returns where a document of obj's kind decodes to, or nil for kinds meshroute ignores.
func (st *loadState) newTyped(obj *Object, servicesCluster string) *typedTarget {
	s := st.set
	switch {
	case obj.APIVersion == GlooAPIVersion && obj.Kind == KindVirtualGateway:
		o := &VirtualGateway{Object: *obj}
		return &typedTarget{&o.Spec, func() { s.VirtualGateways = append(s.VirtualGateways, o) }}
	case obj.APIVersion == GlooAPIVersion && obj.Kind == KindVirtualDestination:
		o := &VirtualDestination{Object: *obj}
		return &typedTarget{&o.Spec, func() { s.VirtualDestinations = append(s.VirtualDestinations, o) }}
	case obj.APIVersion == GlooAPIVersion && obj.Kind == KindRouteTable:
		o := &RouteTable{Object: *obj}
		return &typedTarget{&o.Spec, func() { s.RouteTables = append(s.RouteTables, o) }}
	case obj.APIVersion == InventoryAPIVersion && obj.Kind == KindCluster:
		o := &Cluster{Object: *obj}
		return &typedTarget{&o.Spec, func() { s.Clusters = append(s.Clusters, o) }}
	case obj.APIVersion == "v1" && obj.Kind == KindService:
		o := &Service{Object: *obj, Cluster: servicesCluster}
		return &typedTarget{&o.Spec, func() { s.Services = append(s.Services, o) }}
	}
	return nil
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "scalar"
	case yaml.AliasNode:
		return "alias"
	}
	return "mapping"
}

// toValue converts a node into JSON-shaped Go values (map[string]any, []any, string, float64,
// int64, bool, nil), following aliases within the node budget.
func toValue(n *yaml.Node, budget *int) (any, error) {
	*budget--
	if *budget < 0 {
		return nil, fmt.Errorf("the document expands to more than %d YAML nodes through aliases", maxNodes)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return toValue(n.Content[0], budget)
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, nil
		}
		return toValue(n.Alias, budget)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				if err := mergeInto(m, v, budget); err != nil {
					return nil, err
				}
				continue
			}
			val, err := toValue(v, budget)
			if err != nil {
				return nil, err
			}
			m[k.Value] = val
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			val, err := toValue(c, budget)
			if err != nil {
				return nil, err
			}
			s = append(s, val)
		}
		return s, nil
	}
	return scalar(n), nil
}

// mergeInto applies a YAML merge key ("<<: *base"): keys already set win.
func mergeInto(m map[string]any, v *yaml.Node, budget *int) error {
	val, err := toValue(v, budget)
	if err != nil {
		return err
	}
	sources := []any{val}
	if s, ok := val.([]any); ok {
		sources = s
	}
	for _, src := range sources {
		if sm, ok := src.(map[string]any); ok {
			for k, x := range sm {
				if _, set := m[k]; !set {
					m[k] = x
				}
			}
		}
	}
	return nil
}

func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			return i
		}
		var f float64
		if n.Decode(&f) == nil {
			return f
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f
		}
	}
	return n.Value
}
