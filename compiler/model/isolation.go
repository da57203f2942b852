package model

// IsolatedService is what a workspace's service isolation generates for one of its Services in
// one cluster (docs/workspaces.md, "Service isolation"): per port an AuthorizationPolicy that
// admits the listed principals and a STRICT PeerAuthentication, and, when the workspace trims
// proxy configuration, a Sidecar. Trim alone (trimAllProxyConfig, or TrimProxyConfigPolicies
// selecting the Service's workloads) leaves Ports empty.
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
	// Narrowed: an AccessPolicy selects this port, so its allow-list replaces the workspace's
	// (Gloo: an access policy admits only the clients it names); the port keeps its STRICT mTLS.
	Narrowed bool
}

// Principals are the identities of one workspace's workloads, sorted.
type Principals struct {
	Workspace  string
	Principals []string
}

// Sidecar trims a proxy's configuration to the hosts its workspace may reach and those the
// TrimProxyConfigPolicies selecting it include.
type Sidecar struct {
	Name string // generated: settings-<svc>-<workspace>, or trim-<svc> when only policies trim it
	// Hosts are Istio egress hosts (namespace/dnsName), sorted.
	Hosts []string
}

// AccessGrant is one AccessPolicy applied to one port of one Service: an ALLOW
// AuthorizationPolicy whose rules add to what else admits clients (Istio unions ALLOW policies).
type AccessGrant struct {
	Name      string // generated: access-<policy>-<policy ns>-<svc>-<port>
	Namespace string // the Service's
	Origin    Origin // the AccessPolicy
	Service   string
	Selector  map[string]string
	// TargetPort is the pod port the rules apply to.
	TargetPort uint32
	Rules      []AccessRule
	// Except, when set, makes this the grant that keeps a Service's other ports open: any
	// client on any pod port but these (which AccessPolicies restrict). An ALLOW policy refuses
	// what no rule of the workload's policies admits, on every port. TargetPort and Rules are
	// then empty, and Origin is the Service.
	Except []uint32
}

// AccessRule is one authorization entry: a request is admitted when it comes from one of
// Principals (any client when empty) and meets every other condition.
type AccessRule struct {
	Principals []string
	Paths      []string // Istio path patterns: exact, "prefix*", "*suffix" or "*"
	Methods    []string
	Headers    []HeaderCondition
}

// HeaderCondition requires a request header to equal one of Values (when set) and none of
// NotValues.
type HeaderCondition struct {
	Name      string
	Values    []string
	NotValues []string
}
