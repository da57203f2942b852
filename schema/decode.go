package schema

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/meshroute/meshroute/diag"
)

var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// yaml12Directive is a `%YAML 1.2` directive line. The parser knows only 1.1 and refuses the
// document; meshroute already reads scalars the 1.2 way, so the directive is read as 1.1
// (same length, so every position stays where it was). The parser takes any line starting with
// % at column 0 for a directive, so no scalar content can be rewritten by mistake.
var yaml12Directive = regexp.MustCompile(`(?m)^(\x{FEFF}?%YAML[ \t]+1\.)2([ \t\r]|$)`)

// parseFile splits a file into documents and loads each.
func (st *loadState) parseFile(file string, data []byte, servicesCluster string) {
	if file == StdinPath {
		file = "<stdin>"
	}
	text := string(data)
	if strings.Contains(text, "%YAML") {
		text = yaml12Directive.ReplaceAllString(text, "${1}1$2")
	}
	dec := yaml.NewDecoder(strings.NewReader(text))
	for {
		var doc yaml.Node
		err := decodeNode(dec, &doc)
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

// decodeNode reads the next document. The YAML parser has panicked on hostile input in past
// releases; a diagnostic is the contract, never a stack trace.
func decodeNode(dec *yaml.Decoder, doc *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: the parser failed: %v", r)
		}
	}()
	return dec.Decode(doc)
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
	return diag.InvalidYAML(pos, msg).
		WithHint("check indentation and quoting around this line")
}

// loadDocument turns one document node into a typed object.
func (st *loadState) loadDocument(file string, root *yaml.Node, servicesCluster string) {
	pos := position(file, root)
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return
	}
	if root.Kind != yaml.MappingNode {
		st.report(diag.NotAnObject(pos, nodeKind(root)).
			WithHint("each YAML document (separated by ---) holds one object"))
		return
	}
	if len(root.Content) > 0 {
		pos = position(file, root.Content[0])
	}
	value, err := toValue(root)
	var verr *valueError
	if errors.As(err, &verr) {
		at := position(file, verr.node)
		if verr.diag.Code == diag.CodeInputTooLarge {
			at = pos // the whole document is too large, not the node where the count ran out
		}
		st.report(verr.at(at))
		return
	}
	m := value.(map[string]any)
	apiVersion, _ := m["apiVersion"].(string)
	kind, _ := m["kind"].(string)
	obj := Object{APIVersion: apiVersion, Kind: kind, Pos: pos, node: root}
	_, hasMeta := m["metadata"]
	if kind == "" && apiVersion == "" && !hasMeta {
		// Not a Kubernetes object at all (Helm values, Chart.yaml, tool config): GitOps folders
		// hold such files next to the manifests, and DESIGN §1 lets whole folders be passed.
		st.report(diag.NotKubernetesObject(pos).
			WithHint("if it is meant to be one, add apiVersion: and kind:"))
		return
	}
	if kind == "" || apiVersion == "" {
		st.report(diag.MissingAPIVersionOrKind(pos).
			WithHint("start each object with apiVersion: and kind:, e.g. apiVersion: networking.gloo.solo.io/v2"))
		return
	}
	if items := deref(child(root, "items")); strings.HasSuffix(kind, "List") && items != nil && items.Kind == yaml.SequenceNode {
		// `kubectl get -o yaml` wraps what it prints in a v1 List (the API itself in a
		// RouteTableList); kubectl apply reads the items, and so does meshroute.
		for _, item := range items.Content {
			st.loadDocument(file, deref(item), servicesCluster)
		}
		return
	}
	if meta, ok := m["metadata"].(map[string]any); ok {
		// Metadata shape errors are the schema's to report; decode what is well-formed.
		decodeTyped(meta, &obj.Metadata)
	}
	if obj.Metadata.Namespace == "" && !clusterScoped(apiVersion, kind) {
		obj.Metadata.Namespace = "default"
		obj.namespaceDefaulted = true
	}
	target := st.newTyped(&obj, servicesCluster)
	if target == nil {
		mistyped := mistypedKindDiag(&obj)
		// An ignored object is kept only for its suppress annotation's position; without one,
		// its positions were most of what a folder of foreign objects cost in memory.
		obj.tree = nil
		if _, ok := obj.Metadata.Annotations[AnnotationSuppress]; ok {
			obj.tree = newPosTree(root)
		}
		obj.node = nil
		st.set.Others = append(st.set.Others, &obj)
		if apiVersion == InventoryAPIVersion && (kind == KindRouteTest || kind == KindConfig) {
			// Route tests and meshroute.yaml live next to the routing config; `meshroute test`
			// and the command line read them.
			return
		}
		if mistyped != nil {
			st.report(*mistyped)
			return
		}
		st.report(diag.UnknownKind(pos, apiVersion, kind).
			WithObject(obj.Ref(), ""))
		return
	}
	ds := validateSchema(&obj, m)
	st.report(ds...)
	if cs, _ := lookupSchema(apiVersion, kind); cs != nil {
		if doc, ok := cs.doc.(map[string]any); ok {
			normaliseEnums(doc, m)
		}
	}
	if spec, ok := m["spec"]; ok {
		if _, policy := LookupPolicyKind(apiVersion, kind); apiVersion == GlooAPIVersion || apiVersion == AdminAPIVersion || policy {
			// Only the Gloo API has fields meshroute owes an answer for; a Service's
			// sessionAffinity or clusterIP is simply not routing input.
			unknown := map[string]bool{}
			for _, d := range ds {
				if d.Code == diag.CodeUnknownField {
					unknown[d.Path] = true
				}
			}
			unsupported, workspace := unsupportedFields(&obj, spec, target.spec, "/spec", unknown)
			st.report(unsupported...)
			st.workspaceFields = append(st.workspaceFields, workspace...)
		}
		decodeTyped(spec, target.spec)
	}
	// Positions are all a loaded object needs of its YAML.
	target.obj.tree, target.obj.node = obj.positions(), nil
	target.add()
}

type typedTarget struct {
	obj  *Object // the typed object's own copy
	spec any
	add  func()
}

// newTyped returns where a document of obj's kind decodes to, or nil for kinds meshroute ignores.
func (st *loadState) newTyped(obj *Object, servicesCluster string) *typedTarget {
	s := st.set
	switch {
	case obj.APIVersion == GlooAPIVersion && obj.Kind == KindVirtualGateway:
		o := &VirtualGateway{Object: *obj}
		return &typedTarget{&o.Object, &o.Spec, func() { s.VirtualGateways = append(s.VirtualGateways, o) }}
	case obj.APIVersion == GlooAPIVersion && obj.Kind == KindVirtualDestination:
		o := &VirtualDestination{Object: *obj}
		return &typedTarget{&o.Object, &o.Spec, func() { s.VirtualDestinations = append(s.VirtualDestinations, o) }}
	case obj.APIVersion == GlooAPIVersion && obj.Kind == KindRouteTable:
		o := &RouteTable{Object: *obj}
		return &typedTarget{&o.Object, &o.Spec, func() { s.RouteTables = append(s.RouteTables, o) }}
	case obj.APIVersion == GlooAPIVersion && obj.Kind == KindExternalService:
		o := &ExternalService{Object: *obj}
		return &typedTarget{&o.Object, &o.Spec, func() { s.ExternalServices = append(s.ExternalServices, o) }}
	case obj.APIVersion == GlooAPIVersion && obj.Kind == KindExternalEndpoint:
		o := &ExternalEndpoint{Object: *obj}
		return &typedTarget{&o.Object, &o.Spec, func() { s.ExternalEndpoints = append(s.ExternalEndpoints, o) }}
	case obj.APIVersion == InventoryAPIVersion && obj.Kind == KindCluster:
		o := &Cluster{Object: *obj}
		return &typedTarget{&o.Object, &o.Spec, func() { s.Clusters = append(s.Clusters, o) }}
	case obj.APIVersion == "v1" && obj.Kind == KindService:
		o := &Service{Object: *obj, Cluster: servicesCluster}
		return &typedTarget{&o.Object, &o.Spec, func() { s.Services = append(s.Services, o) }}
	case obj.APIVersion == "v1" && obj.Kind == KindNamespace:
		o := &Namespace{Object: *obj, Cluster: servicesCluster}
		return &typedTarget{&o.Object, &struct{}{}, func() { s.Namespaces = append(s.Namespaces, o) }}
	case obj.APIVersion == AdminAPIVersion && obj.Kind == KindWorkspace:
		o := &Workspace{Object: *obj}
		return &typedTarget{&o.Object, &o.Spec, func() { s.Workspaces = append(s.Workspaces, o) }}
	case obj.APIVersion == AdminAPIVersion && obj.Kind == KindWorkspaceSettings:
		o := &WorkspaceSettings{Object: *obj}
		return &typedTarget{&o.Object, &o.Spec, func() { s.WorkspaceSettings = append(s.WorkspaceSettings, o) }}
	}
	if _, ok := LookupPolicyKind(obj.APIVersion, obj.Kind); ok {
		o := &Policy{Object: *obj}
		return &typedTarget{&o.Object, &o.Spec, func() { s.Policies = append(s.Policies, o) }}
	}
	return nil
}
