package render

import (
	"fmt"
	"reflect"

	"go.yaml.in/yaml/v3"
	"google.golang.org/protobuf/proto"
)

// ErrProtojson, WalkedTree and OracleTree let the external differential test (which compiles
// the golden cases through pipeline, a package that imports render) compare the walker with
// protojson.

var ErrProtojson = errProtojson

// WalkedTree is the walker's tree of m for specNode (envoy false) or ProtoYAML (envoy true),
// with no fallback: errProtojson when it leaves m to protojson.
func WalkedTree(m proto.Message, envoy bool) (*yaml.Node, error) {
	return (&treeBuilder{protoNames: envoy}).protoTree(m, !envoy)
}

// OracleTree is the same tree through protojson and scanJSON (and prune for specNode).
func OracleTree(m proto.Message, envoy bool) (*yaml.Node, error) {
	if envoy {
		return protoNode(m, (&treeBuilder{protoNames: true}).options())
	}
	return prunedProtoNode(m)
}

// TreeDiff describes the first difference between two node trees, "" when they are equal
// (go-cmp's diff of large trees is too slow to run on thousands of them).
func TreeDiff(want, got *yaml.Node) string { return treeDiff("", want, got) }

func treeDiff(path string, want, got *yaml.Node) string {
	w, g := *want, *got
	w.Content, g.Content = nil, nil
	if !reflect.DeepEqual(w, g) {
		return fmt.Sprintf("at %s: protojson %+v, walker %+v", path, w, g)
	}
	if len(want.Content) != len(got.Content) {
		return fmt.Sprintf("at %s: protojson has %d items, walker %d", path, len(want.Content), len(got.Content))
	}
	for i := range want.Content {
		p := fmt.Sprintf("%s/%d", path, i)
		if want.Kind == yaml.MappingNode && i%2 == 1 {
			p = path + "/" + want.Content[i-1].Value
		}
		if d := treeDiff(p, want.Content[i], got.Content[i]); d != "" {
			return d
		}
	}
	return ""
}

// DirectYAML is ObjectYAML's direct path alone (ok false: left to the tree); TreeYAML its tree
// path alone.
func DirectYAML(o Object) ([]byte, bool) { return objectYAMLDirect(o) }

func TreeYAML(o Object) ([]byte, error) {
	n, err := objectNode(o)
	if err != nil {
		return nil, err
	}
	return encodeYAML(n)
}
