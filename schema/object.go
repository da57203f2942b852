// Package schema is meshroute's typed input API: the Gloo networking.gloo.solo.io/v2 kinds, the
// inventory kinds, their embedded JSON Schemas, and the loader that reads YAML with positions.
package schema

import (
	"go.yaml.in/yaml/v3"

	"github.com/meshroute/meshroute/diag"
)

// API versions and kinds meshroute reads.
const (
	GlooAPIVersion      = "networking.gloo.solo.io/v2"
	InventoryAPIVersion = "meshroute.dev/v1alpha1"

	KindVirtualGateway     = "VirtualGateway"
	KindVirtualDestination = "VirtualDestination"
	KindRouteTable         = "RouteTable"
	KindCluster            = "Cluster"
	KindService            = "Service"
	// KindRouteTest is meshroute's route unit-test file, read by `meshroute test`, not compiled.
	KindRouteTest = "RouteTest"
)

// Annotations meshroute reads on input objects.
const (
	AnnotationCluster  = "meshroute.dev/cluster"
	AnnotationSuppress = "meshroute.dev/suppress"
	// AnnotationVIP pins a VirtualDestination's ServiceEntry address.
	AnnotationVIP = "meshroute.dev/vip"
)

// Metadata is the part of Kubernetes object metadata meshroute uses.
type Metadata struct {
	Name        string            `json:"name,omitempty"`
	Namespace   string            `json:"namespace,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
	// CreationTimestamp is set on objects exported from a cluster; it settles policy conflicts
	// the way Gloo does (the oldest wins).
	CreationTimestamp string `json:"creationTimestamp,omitempty"`
}

// Object is what every loaded document has: its type, metadata and where it came from. The
// positions of its fields are kept so any field's position can be found later (FieldPos).
type Object struct {
	APIVersion string
	Kind       string
	Metadata   Metadata
	// Pos is the position of the document's first key.
	Pos  diag.Position
	tree *posTree
	// node is the document's YAML while it is being loaded, for what positions do not hold.
	node *yaml.Node
	// namespaceDefaulted: metadata.namespace was left out, and the loader set "default".
	namespaceDefaulted bool
}

// NamespaceDefaulted reports whether metadata.namespace was left out of a namespaced object,
// so that Namespace is "default" only by DESIGN.md §1's fallback.
func (o *Object) NamespaceDefaulted() bool { return o.namespaceDefaulted }

// Name is metadata.name.
func (o *Object) Name() string { return o.Metadata.Name }

// Namespace is metadata.namespace; the loader sets "default" when a namespaced object has none.
func (o *Object) Namespace() string { return o.Metadata.Namespace }

// Ref names the object in diagnostics.
func (o *Object) Ref() diag.ObjectRef {
	ns := o.Metadata.Namespace
	if clusterScoped(o.APIVersion, o.Kind) {
		ns = ""
	}
	return diag.ObjectRef{Kind: o.Kind, Namespace: ns, Name: o.Metadata.Name}
}

// VirtualGateway is a loaded VirtualGateway.
type VirtualGateway struct {
	Object
	Spec VirtualGatewaySpec
}

// VirtualDestination is a loaded VirtualDestination.
type VirtualDestination struct {
	Object
	Spec VirtualDestinationSpec
}

// RouteTable is a loaded RouteTable.
type RouteTable struct {
	Object
	Spec RouteTableSpec
}

// IsRoot reports whether the table has hosts (a root), as opposed to a delegated child.
func (rt *RouteTable) IsRoot() bool { return len(rt.Spec.Hosts) > 0 }

// Cluster is one workload cluster of the inventory.
type Cluster struct {
	Object
	Spec ClusterSpec
}

// Network returns the cluster's Istio network (default: its name).
func (c *Cluster) Network() string {
	if c.Spec.Network != "" {
		return c.Spec.Network
	}
	return c.Name()
}

// Domain returns the cluster's DNS domain (default cluster.local).
func (c *Cluster) Domain() string {
	if c.Spec.ClusterDomain != "" {
		return c.Spec.ClusterDomain
	}
	return "cluster.local"
}

// Service is a Kubernetes Service of one cluster of the inventory.
type Service struct {
	Object
	Spec ServiceSpec
	// Cluster is the cluster the Service belongs to, assigned by the loader.
	Cluster string
}

// Set is everything one load produced, each list sorted by namespace and name (Services by
// cluster first) so nothing downstream depends on file order.
type Set struct {
	VirtualGateways     []*VirtualGateway
	VirtualDestinations []*VirtualDestination
	RouteTables         []*RouteTable
	ExternalServices    []*ExternalService
	ExternalEndpoints   []*ExternalEndpoint
	// Clusters are the workload clusters; ManagementClusters those declared with role
	// management, which get no output.
	Clusters           []*Cluster
	ManagementClusters []*Cluster
	Services           []*Service
	// Policies are the policy objects of every kind, in file order: Gloo settles two policies
	// of one kind on one route by age, and file order is what stands in for it.
	Policies []*Policy
	// Workspaces and WorkspaceSettings are the tenancy objects; none means one implicit
	// workspace holding everything (docs/workspaces.md).
	Workspaces        []*Workspace
	WorkspaceSettings []*WorkspaceSettings
	// Namespaces are the inventory's Namespaces (sorted by name, then cluster), for their labels.
	Namespaces []*Namespace
	// Others are objects of kinds meshroute ignores.
	Others []*Object
}

// Len counts the objects meshroute reads (not Others).
func (s *Set) Len() int {
	return len(s.VirtualGateways) + len(s.VirtualDestinations) + len(s.RouteTables) + len(s.ExternalServices) + len(s.ExternalEndpoints) + len(s.Clusters) + len(s.ManagementClusters) + len(s.Services) + len(s.Policies) +
		len(s.Workspaces) + len(s.WorkspaceSettings) + len(s.Namespaces)
}

// Objects lists every object meshroute reads (not Others), kind by kind in a fixed order, each
// kind's list in its Set order.
func (s *Set) Objects() []*Object {
	out := make([]*Object, 0, s.Len())
	out = appendObjects(out, s.VirtualGateways, func(o *VirtualGateway) *Object { return &o.Object })
	out = appendObjects(out, s.VirtualDestinations, func(o *VirtualDestination) *Object { return &o.Object })
	out = appendObjects(out, s.RouteTables, func(o *RouteTable) *Object { return &o.Object })
	out = appendObjects(out, s.ExternalServices, func(o *ExternalService) *Object { return &o.Object })
	out = appendObjects(out, s.ExternalEndpoints, func(o *ExternalEndpoint) *Object { return &o.Object })
	out = appendObjects(out, s.Clusters, func(o *Cluster) *Object { return &o.Object })
	out = appendObjects(out, s.ManagementClusters, func(o *Cluster) *Object { return &o.Object })
	out = appendObjects(out, s.Services, func(o *Service) *Object { return &o.Object })
	out = appendObjects(out, s.Policies, func(o *Policy) *Object { return &o.Object })
	out = appendObjects(out, s.Workspaces, func(o *Workspace) *Object { return &o.Object })
	out = appendObjects(out, s.WorkspaceSettings, func(o *WorkspaceSettings) *Object { return &o.Object })
	return appendObjects(out, s.Namespaces, func(o *Namespace) *Object { return &o.Object })
}

func appendObjects[T any](out []*Object, list []T, object func(T) *Object) []*Object {
	for _, o := range list {
		out = append(out, object(o))
	}
	return out
}

// clusterScoped reports whether objects of the kind have no namespace.
func clusterScoped(apiVersion, kind string) bool {
	return kind == KindCluster || (apiVersion == "v1" && kind == KindNamespace)
}

// Cluster returns the declared cluster of that name.
func (s *Set) Cluster(name string) *Cluster {
	for _, c := range s.Clusters {
		if c.Name() == name {
			return c
		}
	}
	return nil
}
