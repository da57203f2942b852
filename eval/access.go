package eval

// Identity is the workload identity a request leaves with: a service account of a cluster,
// which Istio presents as the principal <cluster>/ns/<namespace>/sa/<account> (Gloo Mesh's
// trust domain is the cluster name).
type Identity struct {
	Cluster        string
	Namespace      string
	ServiceAccount string
}

// Access is whether a destination's workloads admit the request's client: what the
// AuthorizationPolicies selecting them decide (service isolation, docs/workspaces.md).
type Access struct {
	Allowed   bool   `json:"allowed"`
	Principal string `json:"principal"`
	// Policy is the AuthorizationPolicy (namespace/name) whose rule Rule admitted the request;
	// empty when none applies (every client is admitted) or when the request is refused.
	Policy string `json:"policy,omitempty"`
	Rule   int    `json:"rule"`
	// Reason says in one line why the request is admitted or refused.
	Reason string `json:"reason"`
}
