package model

import "strconv"

// Policy is one Gloo policy object as it applies in one cluster: what its selectors chose among
// the flattened routes and destination hosts of the cluster (compiler/policies.go). Stages that
// compile a kind read Routes and Destinations instead of selecting again.
type Policy struct {
	Origin     Origin // the policy object
	APIVersion string
	// Routes are the flattened routes it selects, in model order (route sets by name, then
	// route order). A child route reached through two parents appears once per parent.
	Routes []PolicyRoute
	// Destinations are the destination hosts it selects, sorted by host and port.
	Destinations []PolicyDestination
	// Workloads are the Services whose pods it selects (applyToWorkloads), sorted by namespace
	// and name: meshroute knows workloads through the Services' pod selectors.
	Workloads []PolicyWorkload
}

// PolicyWorkload is the workloads of one Service a policy selects.
type PolicyWorkload struct {
	Namespace, Service string
}

// PolicyRoute is one flattened route of one route set a policy selects.
type PolicyRoute struct {
	Set   string // the RouteSet's name
	Route *Route
	// Destinations are the indexes into Route.Forward.Destinations the policy is limited to
	// (HeaderManipulationPolicy applyToRouteDestinations); nil means the whole route.
	Destinations []int
}

// PolicyDestination is one destination host (and port) a policy selects.
type PolicyDestination struct {
	Host string
	// Port is the selected port number; 0 means every port of the host.
	Port uint32
	// Kind is SERVICE or VIRTUAL_DESTINATION; Namespace, Name and Cluster name the selected
	// object (Cluster is empty for a VirtualDestination).
	Kind      string
	Namespace string
	Name      string
	Cluster   string
}

// String is host:port, or the host alone for every port.
func (d PolicyDestination) String() string {
	if d.Port == 0 {
		return d.Host
	}
	return d.Host + ":" + strconv.Itoa(int(d.Port))
}
