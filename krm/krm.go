// Package krm runs meshroute as a KRM function (the Kubernetes Resource Model functions
// specification that kpt and kustomize implement): a config.kubernetes.io/v1 ResourceList in,
// one out, with the compiled Istio objects as items and the diagnostics as results.
package krm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/render"
	"github.com/meshroute/meshroute/schema"
)

// APIVersion and Kind of the ResourceList read and written.
const (
	APIVersion = "config.kubernetes.io/v1"
	Kind       = "ResourceList"
)

// The annotations the orchestrator sets on each item: the file it came from and its index
// there (internal.… in the v1 wire format; the legacy names as a fallback), and the one set on
// each compiled object: "<cluster>/<file>", the --out-dir layout.
const (
	pathAnnotation       = "internal.config.kubernetes.io/path"
	indexAnnotation      = "internal.config.kubernetes.io/index"
	legacyPathAnnotation = "config.kubernetes.io/path"
	legacyIndex          = "config.kubernetes.io/index"
)

// ConfigCluster is the functionConfig's data key naming the clusters to emit (comma-separated);
// without it every declared cluster is emitted.
const ConfigCluster = "cluster"

// Options are the caller's limits.
type Options struct {
	// MaxFileSize bounds the ResourceList as the loader bounds an input file; 0: the default.
	MaxFileSize int64
}

// Run compiles the ResourceList in and returns the ResourceList to print; failed is true when a
// result is an error (the function's exit code 1). The error is for input that is not a
// ResourceList at all, which has no list to answer in.
func Run(in []byte, opts Options) (out []byte, failed bool, err error) {
	list, err := parseList(in)
	if err != nil {
		return nil, false, err
	}
	items, rs := compile(in, list, opts)
	outList := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	add := func(key string, v *yaml.Node) {
		outList.Content = append(outList.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
	}
	add("apiVersion", scalar(APIVersion))
	add("kind", scalar(Kind))
	add("items", &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items})
	if len(rs) > 0 {
		var n yaml.Node
		if err := n.Encode(rs); err != nil {
			return nil, false, err
		}
		add("results", &n)
	}
	out, err = render.NodeYAML(outList)
	return out, slices.ContainsFunc(rs, func(r result) bool { return r.Severity == "error" }), err
}

// resourceList is the parsed input: its items and functionConfig as nodes.
type resourceList struct {
	items  []*yaml.Node
	config *yaml.Node // nil when absent
}

func parseList(in []byte) (l *resourceList, err error) {
	defer func() {
		// The YAML parser has panicked on hostile input in past releases.
		if r := recover(); r != nil {
			err = fmt.Errorf("standard input is not valid YAML: %v", r)
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(in, &doc); err != nil {
		return nil, fmt.Errorf("standard input is not valid YAML: %w", err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("standard input holds no ResourceList: meshroute krm reads a " + APIVersion + " ResourceList")
	}
	root := doc.Content[0]
	if v, k := get(root, "apiVersion").Value, get(root, "kind").Value; v != APIVersion || k != Kind {
		return nil, fmt.Errorf("standard input is %s %s, not a %s %s", v, k, APIVersion, Kind)
	}
	l = &resourceList{config: get(root, "functionConfig")}
	if items := get(root, "items"); items.Kind == yaml.SequenceNode {
		l.items = items.Content
	}
	return l, nil
}

// compile loads the items, runs every check and emits the chosen clusters: the output items
// (the items meshroute does not read, passed through, then the compiled objects) and the
// results. With an error result the items are returned as they came.
func compile(in []byte, l *resourceList, opts Options) ([]*yaml.Node, []result) {
	clusters, rs := l.clusters()
	if len(l.items) == 0 {
		// kustomize gives a generator no items; without items the loader would read the
		// ResourceList itself as an object.
		return nil, append(rs, result{Severity: "error",
			Message: "the ResourceList has no items to compile (in a kustomization, list meshroute under transformers:, not generators:)"})
	}
	// The loader reads a List's items itself, so positions point into the ResourceList.
	inputs := pipeline.Inputs{Paths: []schema.Input{{Path: schema.StdinPath}}, Stdin: bytes.NewReader(in), MaxFileSize: opts.MaxFileSize}
	v, ds, err := pipeline.Validate(context.Background(), inputs, pipeline.Options{})
	if err != nil {
		return l.items, append(rs, result{Message: err.Error(), Severity: "error"})
	}
	passed := l.passedThrough(v.Set)
	for _, d := range ds {
		if i := l.itemAt(d.Pos); d.Code == diag.CodeUnknownKind && i >= 0 && passed[i] {
			continue // not ignored: passed through
		}
		rs = append(rs, l.result(d))
	}
	if slices.ContainsFunc(rs, func(r result) bool { return r.Severity == "error" }) {
		return l.items, rs
	}
	objs, err := emit(v, clusters)
	if err != nil {
		return l.items, append(rs, result{Message: err.Error(), Severity: "error"})
	}
	var out []*yaml.Node
	for i, item := range l.items {
		if passed[i] {
			out = append(out, item)
		}
	}
	return append(out, objs...), rs
}

// clusters reads functionConfig data.cluster; unknown data keys are errors (a typo would
// otherwise emit every cluster).
func (l *resourceList) clusters() ([]string, []result) {
	data := get(l.config, "data")
	var names []string
	var rs []result
	for i := 0; i+1 < len(data.Content); i += 2 {
		key, value := data.Content[i].Value, data.Content[i+1].Value
		if key != ConfigCluster {
			rs = append(rs, result{Message: fmt.Sprintf("functionConfig data.%s: unknown key (meshroute krm reads only data.%s)", key, ConfigCluster),
				Severity: "error", ResourceRef: refOf(l.config), Field: &field{Path: "data." + key}})
			continue
		}
		for n := range strings.SplitSeq(value, ",") {
			if n = strings.TrimSpace(n); n != "" {
				names = append(names, n)
			}
		}
	}
	return names, rs
}

// passedThrough marks the items of kinds meshroute does not read (except its RouteTests, which
// are input too): a function leaves what it does not own in the list.
func (l *resourceList) passedThrough(set *schema.Set) map[int]bool {
	passed := map[int]bool{}
	for _, o := range set.Others {
		if o.APIVersion == schema.InventoryAPIVersion && o.Kind == schema.KindRouteTest {
			continue
		}
		if i := l.itemAt(o.Pos); i >= 0 {
			passed[i] = true
		}
	}
	return passed
}

// itemAt is the index of the item holding pos, -1 for none: the last item starting at or before it.
func (l *resourceList) itemAt(pos diag.Position) int {
	if pos.Line == 0 {
		return -1
	}
	at := -1
	for i, item := range l.items {
		if item.Line < pos.Line || item.Line == pos.Line && item.Column <= max(pos.Col, 1) {
			at = i
		}
	}
	return at
}

// emit renders the chosen clusters' Istio objects, each annotated with its --out-dir path.
func emit(v *pipeline.Validated, clusters []string) ([]*yaml.Node, error) {
	if len(v.Model.ClusterNames()) == 0 {
		return nil, errors.New("no Cluster is declared in the items, so there is nothing to compile (see docs/getting-started.md)")
	}
	opts := pipeline.Options{Target: pipeline.TargetIstio}
	if len(clusters) > 0 {
		opts.Select = func(m *model.Model) (*model.Model, error) {
			only, err := m.Only(clusters)
			if err != nil {
				return nil, fmt.Errorf("functionConfig data.%s: %w", ConfigCluster, err)
			}
			return only, nil
		}
	}
	res, err := pipeline.Emit(context.Background(), v, opts)
	if err != nil {
		return nil, err
	}
	var out []*yaml.Node
	for _, c := range res.Model.ClusterNames() {
		for _, o := range res.Istio[c] {
			// Kept beside the object's own (virtualServiceAnnotations); o is a copy, so the
			// emitted object is unchanged.
			o.Annotations = maps.Clone(o.Annotations)
			if o.Annotations == nil {
				o.Annotations = map[string]string{}
			}
			o.Annotations[pathAnnotation] = c + "/" + render.ManifestFileName(o)
			n, err := render.ObjectNode(o)
			if err != nil {
				return nil, err
			}
			out = append(out, n)
		}
	}
	return out, nil
}

// get is the value of key in mapping n, or an empty node.
func get(n *yaml.Node, key string) *yaml.Node {
	if n != nil && n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i+1]
			}
		}
	}
	return &yaml.Node{}
}

func scalar(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
