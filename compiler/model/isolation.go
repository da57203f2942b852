package model

// IsolatedService is what a workspace's service isolation generates for one of its Services in
// one cluster (docs/workspaces.md, "Service isolation"): per port an AuthorizationPolicy that
// admits the listed principals and a STRICT PeerAuthentication, and, when the workspace trims
// proxy configuration, a Sidecar. Trim alone (trimAllProxyConfig) leaves Ports empty.
type IsolatedService struct {
	Origin    Origin // the Service
	Namespace string
	Service   string
	Workspace string
	// Selector is the Service's pod selector: the workloads the objects apply to.
	Selector map[string]string
	Ports    []IsolatedPort
	Sidecar  *Sidecar
}

// IsolatedPort is one Service port under isolation.
type IsolatedPort struct {
	Name       string // generated: settings-<svc>-<port>-<workspace>
	Port       uint32 // the Service port, in the name
	TargetPort uint32 // the pod port the rules apply to
	// Allowed are the clients, one group per workspace: the Service's own first, then every
	// workspace that imports the Service, by name.
	Allowed []Principals
}

// Principals are the identities of one workspace's workloads, sorted.
type Principals struct {
	Workspace  string
	Principals []string
}

// Sidecar trims a proxy's configuration to the hosts its workspace may reach.
type Sidecar struct {
	Name string // generated: settings-<svc>-<workspace>
	// Hosts are Istio egress hosts (namespace/dnsName), sorted.
	Hosts []string
}
