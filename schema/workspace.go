package schema

// The admin.gloo.solo.io/v2 tenancy kinds (solo-apis gloo-mesh-v2.6.x, api/gloo.solo.io/admin/v2;
// docs/workspaces.md). The fields typed here are the ones meshroute acts on; the loader reports
// the rest (MR1005, or MR1006 where ignoring them changes traffic).

// AdminAPIVersion is the API of Workspace and WorkspaceSettings.
const AdminAPIVersion = "admin.gloo.solo.io/v2"

// Kinds of the tenancy API and the inventory's Namespace.
const (
	KindWorkspace         = "Workspace"
	KindWorkspaceSettings = "WorkspaceSettings"
	KindNamespace         = "Namespace"
)

// Workspace is a loaded Workspace.
type Workspace struct {
	Object
	Spec WorkspaceSpec
}

// WorkspaceSpec selects the namespaces, per workload cluster, the workspace owns.
type WorkspaceSpec struct {
	WorkloadClusters []WorkspaceClusterSelector `json:"workloadClusters,omitempty"`
}

// WorkspaceClusterSelector selects clusters by name glob and/or labels, and namespaces in them.
type WorkspaceClusterSelector struct {
	Name       string                       `json:"name,omitempty"`
	Selector   map[string]string            `json:"selector,omitempty"`
	Namespaces []WorkspaceNamespaceSelector `json:"namespaces,omitempty"`
	// ConfigEnabled false: Gloo reads no configuration from these namespaces (nil: it does).
	ConfigEnabled *bool `json:"configEnabled,omitempty"`
}

// WorkspaceNamespaceSelector selects namespaces by name glob and/or labels (ANDed).
type WorkspaceNamespaceSelector struct {
	Name          string            `json:"name,omitempty"`
	Labels        map[string]string `json:"labels,omitempty"`
	ConfigEnabled *bool             `json:"configEnabled,omitempty"`
}

// WorkspaceSettings is a loaded WorkspaceSettings.
type WorkspaceSettings struct {
	Object
	Spec WorkspaceSettingsSpec
}

// WorkspaceSettingsSpec is what the workspace shares and uses.
type WorkspaceSettingsSpec struct {
	ImportFrom []WorkspaceObjectSelector `json:"importFrom,omitempty"`
	ExportTo   []WorkspaceObjectSelector `json:"exportTo,omitempty"`
	Options    *WorkspaceOptions         `json:"options,omitempty"`
}

// WorkspaceObjectSelector selects workspaces and, of the objects shared with them, which ones
// (no resources: every object of every kind).
type WorkspaceObjectSelector struct {
	Workspaces []WorkspaceSelector   `json:"workspaces,omitempty"`
	Resources  []TypedObjectSelector `json:"resources,omitempty"`
}

// WorkspaceSelector selects workspaces by name glob and/or labels (ANDed; both empty: none).
type WorkspaceSelector struct {
	Name     string            `json:"name,omitempty"`
	Selector map[string]string `json:"selector,omitempty"`
}

// TypedObjectSelector selects objects of one kind (ALL when left out) by labels, exact name,
// namespace and cluster; every field left out means any.
type TypedObjectSelector struct {
	Kind      string            `json:"kind,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`
	Name      string            `json:"name,omitempty"`
	Namespace string            `json:"namespace,omitempty"`
	Cluster   string            `json:"cluster,omitempty"`
}

// The exportable kinds meshroute reads (TypedObjectSelector.Kind).
const (
	ExportAll                = "ALL"
	ExportRouteTable         = "ROUTE_TABLE"
	ExportService            = "SERVICE"
	ExportVirtualDestination = "VIRTUAL_DESTINATION"
	ExportExternalService    = "EXTERNAL_SERVICE"
)

// WorkspaceOptions are the workspace-wide options; federation, service isolation and the
// east-west gateway selectors are implemented, and the loader reports every other one that is set.
type WorkspaceOptions struct {
	Federation       *WorkspaceFederation `json:"federation,omitempty"`
	ServiceIsolation *ServiceIsolation    `json:"serviceIsolation,omitempty"`
	// EastWestGateways select, per cluster, the inventory Service of the east-west gateway
	// (docs/workspaces.md, "East-west gateways").
	EastWestGateways []EastWestGatewaySelector `json:"eastWestGateways,omitempty"`
	// TrimAllProxyConfig trims every sidecar of the workspace to the hosts it may reach, with or
	// without service isolation.
	TrimAllProxyConfig bool `json:"trimAllProxyConfig,omitempty"`
}

// ServiceIsolation turns the workspace's import list into mTLS and authorization rules for its
// Services (docs/workspaces.md, "Service isolation").
type ServiceIsolation struct {
	Enabled bool `json:"enabled,omitempty"`
	// TrimProxyConfig left out means false: no Sidecar is generated.
	TrimProxyConfig *bool `json:"trimProxyConfig,omitempty"`
}

// WorkspaceFederation decides which Services routes may reach in another cluster.
type WorkspaceFederation struct {
	Enabled bool `json:"enabled,omitempty"`
	// HostSuffix left out means global, the only suffix meshroute emits.
	HostSuffix string `json:"hostSuffix,omitempty"`
	// ServiceSelector left out selects every Service of the workspace and every imported one.
	ServiceSelector []ObjectSelector `json:"serviceSelector,omitempty"`
	// Ports left out exposes every port.
	Ports []PortSelector `json:"ports,omitempty"`
}

// EastWestGatewaySelector selects east-west gateway Services; a left-out selector matches Gloo's
// default label istio: eastwestgateway. The inventory's Cluster.spec.eastWestGateway gives the
// address and port other clusters dial, so the loader refuses the TLS termination port and host
// overrides, and Port must select that port.
type EastWestGatewaySelector struct {
	Selector *ObjectSelector `json:"selector,omitempty"`
	// Port is the gateway Service's passthrough port, by number or name.
	Port *PortSelector `json:"port,omitempty"`
}
