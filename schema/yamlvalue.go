package schema

import (
	"fmt"
	"math"

	"go.yaml.in/yaml/v3"

	"github.com/meshroute/meshroute/diag"
)

// A document may expand through aliases to at most its own size plus aliasFactor times that,
// or plus aliasFloor when that is more, so small files use anchors freely while a "billion
// laughs" document — or one long string aliased thousands of times — is refused before it
// costs more memory than a small multiple of the input. Sizes count the text of every scalar
// visited (keys included) plus nodeCost per node, what a converted value roughly holds.
const (
	aliasFactor = 4
	aliasFloor  = 1 << 20
	nodeCost    = 16
)

// maxDepth bounds how deeply mappings and lists may nest. Real routing config is a dozen levels
// deep; the bound keeps conversion, validation and encoding far from any stack limit.
const maxDepth = 128

// valueError is a document that cannot become a value: too large, too deep, or a mapping key
// that JSON cannot hold. It points at the node where the problem was found.
type valueError struct {
	diag diag.Diagnostic // its position is the node's, filled in by at
	hint string
	node *yaml.Node
}

// at is the diagnostic of e at pos.
func (e *valueError) at(pos diag.Position) diag.Diagnostic {
	d := e.diag
	d.Pos = pos
	return d.WithHint("%s", e.hint)
}

// nodeConverter turns nodes into JSON-shaped Go values (map[string]any, []any, string, float64,
// int64, bool, nil), following aliases. The budget is paid for every node visited, so an alias
// expanded a thousand times costs a thousand times what it names, however small the file.
type nodeConverter struct {
	budget, limit int
	depth         int
}

// toValue converts one document within its expansion budget.
func toValue(n *yaml.Node) (any, error) {
	own := ownSize(n, 0)
	limit := own + max(aliasFactor*own, aliasFloor)
	return (&nodeConverter{budget: limit, limit: limit}).value(n)
}

// ownSize is the size of n as written, aliases not followed. Past maxDepth the conversion
// refuses the document anyway, so the walk stops there.
func ownSize(n *yaml.Node, depth int) int {
	size := nodeCost + len(n.Value)
	if depth <= maxDepth {
		for _, c := range n.Content {
			size += ownSize(c, depth+1)
		}
	}
	return size
}

// pay charges the budget for one node and reports whether it is exhausted.
func (c *nodeConverter) pay(n *yaml.Node) error {
	c.budget -= nodeCost + len(n.Value)
	if c.budget >= 0 {
		return nil
	}
	return &valueError{diag.AliasExpansionTooLarge(diag.Position{}, c.limit),
		fmt.Sprintf("aliases may add at most %d times a document's own size (or %d MiB, if more); write the repeated parts out", aliasFactor, aliasFloor>>20), n}
}

func (e *valueError) Error() string { return e.diag.Message }

func (c *nodeConverter) value(n *yaml.Node) (any, error) {
	if err := c.pay(n); err != nil {
		return nil, err
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0])
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, nil
		}
		return c.value(n.Alias)
	case yaml.MappingNode, yaml.SequenceNode:
		c.depth++
		defer func() { c.depth-- }()
		if c.depth > maxDepth {
			return nil, &valueError{diag.NestingTooDeep(diag.Position{}, maxDepth),
				"no meshroute input nests this deeply; check for a runaway structure", n}
		}
		if n.Kind == yaml.SequenceNode {
			return c.sequence(n)
		}
		return c.mapping(n)
	}
	return scalar(n), nil
}

func (c *nodeConverter) sequence(n *yaml.Node) (any, error) {
	s := make([]any, 0, len(n.Content))
	for _, item := range n.Content {
		val, err := c.value(item)
		if err != nil {
			return nil, err
		}
		s = append(s, val)
	}
	return s, nil
}

func (c *nodeConverter) mapping(n *yaml.Node) (any, error) {
	m := make(map[string]any, len(n.Content)/2)
	explicit := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, &valueError{diag.MappingKeyNotString(diag.Position{}, nodeKind(k)),
				"keys of Kubernetes objects are plain names", n.Content[i]}
		}
		if k.Tag == "!!merge" {
			if err := c.mergeInto(m, v); err != nil {
				return nil, err
			}
			continue
		}
		if first, dup := explicit[k.Value]; dup {
			return nil, &valueError{diag.DuplicateMappingKey(diag.Position{}, k.Value, first.Line),
				"remove one of them; YAML keeps only one and tools disagree on which", n.Content[i]}
		}
		explicit[k.Value] = k
		if err := c.pay(k); err != nil {
			return nil, err
		}
		val, err := c.value(v)
		if err != nil {
			return nil, err
		}
		if val == nil {
			// The API server prunes a null field of a structural schema before validating, so
			// `labels: null` or a Helm-rendered empty `hosts:` means the field is absent.
			continue
		}
		m[k.Value] = val
	}
	return m, nil
}

// mergeInto applies a YAML merge key ("<<: *base"): keys already set win.
func (c *nodeConverter) mergeInto(m map[string]any, v *yaml.Node) error {
	val, err := c.value(v)
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

// nodeKind names a node's kind for a message.
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
