package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
	"google.golang.org/protobuf/proto"

	"github.com/meshroute/meshroute/internal/parallel"
)

// ManifestFileName is the --out-dir file name of o: <kind>-<namespace>-<name>.yaml with a
// lower-case kind. Object names are DNS labels already, so the name needs no escaping; a path
// separator is replaced all the same so a bad name can never leave the cluster folder.
func ManifestFileName(o Object) string {
	name := strings.ToLower(o.Kind) + "-" + o.Namespace + "-" + o.Name + ".yaml"
	return strings.NewReplacer("/", "-", `\`, "-").Replace(name)
}

// ObjectYAML renders o as a Kubernetes manifest: apiVersion, kind, metadata (name, namespace,
// labels in sorted order) and spec, with no empty fields and no status.
func ObjectYAML(o Object) ([]byte, error) {
	if out, ok := objectYAMLDirect(o); ok {
		return out, nil
	}
	n, err := objectNode(o)
	if err != nil {
		return nil, err
	}
	return encodeYAML(n)
}

// StreamYAML renders objects as one multi-document stream ("---" between documents), the form
// `kubectl apply -f -` reads.
func StreamYAML(objs []Object) ([]byte, error) {
	docs, err := ObjectsYAML(objs)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for i, y := range docs {
		if i > 0 {
			b.WriteString("---\n")
		}
		b.Write(y)
	}
	return b.Bytes(), nil
}

// ListJSON renders objects as a kubectl-style v1 List, indented, with the same key order as the
// YAML.
func ListJSON(objs []Object) ([]byte, error) {
	items := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	for _, o := range objs {
		n, err := objectNode(o)
		if err != nil {
			return nil, err
		}
		items.Content = append(items.Content, n)
	}
	list := mapping("apiVersion", str("v1"), "kind", str("List"), "items", items)
	var compact bytes.Buffer
	if err := writeNodeJSON(&compact, list); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// ProtoYAML renders any proto message (an Envoy bootstrap) as YAML with Envoy's own snake_case
// field names, Any resolved through the global type registry. Nothing is pruned: an empty
// message is meaningful in Envoy config (http2_protocol_options: {} turns HTTP/2 on).
func ProtoYAML(m proto.Message) ([]byte, error) {
	n, err := envoyNode(m)
	if err != nil {
		return nil, err
	}
	return encodeYAML(n)
}

// envoyNode is ProtoYAML's tree: the walker's, or protojson's for what the walker leaves to it.
func envoyNode(m proto.Message) (*yaml.Node, error) {
	b := &treeBuilder{protoNames: true}
	if n, err := b.protoTree(m, false); err != errProtojson {
		return n, err
	}
	return protoNode(m, b.options())
}

func objectNode(o Object) (*yaml.Node, error) {
	n, err := objectHead(o)
	if err != nil {
		return nil, err
	}
	if o.Spec != nil {
		spec, err := specNode(o.Spec)
		if err != nil {
			return nil, fmt.Errorf("%s %s/%s: %w", o.Kind, o.Namespace, o.Name, err)
		}
		if len(spec.Content) > 0 {
			n.Content = append(n.Content, str("spec"), spec)
		}
	}
	return n, nil
}

// ObjectNode is o as the YAML node ObjectYAML encodes, for callers that place objects inside a
// larger document (a KRM ResourceList); NodeYAML encodes such a document.
func ObjectNode(o Object) (*yaml.Node, error) { return objectNode(o) }

// NodeYAML encodes a document built from ObjectNode nodes, with the same layout and scalar
// styles as every other YAML meshroute writes.
func NodeYAML(n *yaml.Node) ([]byte, error) { return encodeYAML(n) }

// mapping builds a mapping node from alternating string keys and value nodes.
func mapping(kv ...any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for i := 0; i+1 < len(kv); i += 2 {
		n.Content = append(n.Content, str(kv[i].(string)), kv[i+1].(*yaml.Node))
	}
	return n
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// encodeYAML writes n in the layout kubectl uses: two-space indent, list items flush with
// their key. It is the only way out for YAML, so every scalar of both targets gets its style
// from styleScalars.
func encodeYAML(n *yaml.Node) ([]byte, error) {
	styleScalars(n)
	if out, ok := writeBlockYAML(nil, n); ok {
		return out, nil
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	enc.CompactSeqIndent()
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ObjectsYAML renders every object as ObjectYAML does, in parallel, in the order given.
func ObjectsYAML(objs []Object) ([][]byte, error) {
	out := make([][]byte, len(objs))
	err := parallel.ForEach(len(objs), func(i int) error {
		var err error
		out[i], err = ObjectYAML(objs[i])
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
