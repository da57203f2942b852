package model

import "github.com/meshroute/meshroute/diag"

// Conflicts are the ownership clashes a cluster's compilation settled: who won, who lost and
// where each came from. Build and compiler.Resolve decide them; the validator's rules only read
// and report them (MR3004, MR3005, MR3010, MR3014), so no rule re-derives listeners or ownership.
type Conflicts struct {
	// Hosts are domains that two route sets claim in one domain space of one gateway Service:
	// a plain-HTTP port (Istio merges the routes of every Gateway of the workload on a port) or
	// one TLS listener. Set by Resolve.
	Hosts []*HostConflict
	// ServerNames are TLS listeners on one port of one gateway Service whose SNI names collide.
	// Set by Resolve.
	ServerNames []*ListenerConflict
	// Listeners are listeners Build refused because an earlier one on the same port cannot
	// coexist with them (a different protocol, or the same protocol and first host); they are
	// not in the model. Each is recorded once, in the first cluster where it was found.
	Listeners []*ListenerConflict
	// MeshHosts are pairs of mesh route sets on the same or overlapping hosts. Set by Resolve,
	// each pair once, in the first cluster serving the Later set.
	MeshHosts []*MeshHostConflict
	// L4 are TCP ports and TLS server names that two route sets claim on one gateway Service:
	// only the first serves them. Set by Resolve.
	L4 []*L4Conflict
	// DelegationTies are the delegate selectors that picked several tables of equal weight, set
	// by Build. They do not depend on the cluster, so every cluster holds the same list.
	DelegationTies []*DelegationTie
}

// DelegationTie is one selector of a TABLE_WEIGHT delegate action that picked several tables of
// the same weight. Gloo orders them by creation time; meshroute by creation time too when every
// one of them carries metadata.creationTimestamp (ByCreation), else by namespace/name. Tables
// are in the order chosen. Whether the order can change what a request does (do routes of two
// of them overlap?) is the validator's question.
type DelegationTie struct {
	Table      Origin // the delegating table
	Route      int    // the delegating route's index in its http list
	Selector   Field  // the routeTables entry that picked them
	Weight     int32
	Tables     []Origin
	ByCreation bool
}

// MeshHostConflict is two mesh tables on the same host, or on hosts one of which covers the
// other (a wildcard). Sidecars take one VirtualService per host (Istio's IST0109), so one
// table's routes there would be ignored. First is the table earlier in namespace/name order;
// each table counts once, as served in the first cluster serving it. Claims carry no Routes.
type MeshHostConflict struct {
	First, Later HostClaim
}

// HostConflict is one domain claimed by two route sets on one listener's domain space. Both
// sets are served: the First set's routes come first, then the Later set's, as Istio merges
// same-host VirtualServices (in creation order, which meshroute does not know — whether that
// order can matter is the validator's question).
type HostConflict struct {
	Gateway  *Gateway  // the gateway of the later claim (its Namespace and Service name the workload)
	Listener *Listener // the listener of the later claim
	Domain   string
	First    HostClaim
	Later    HostClaim
}

// HostClaim is one route set's claim on a domain.
type HostClaim struct {
	Set *RouteSet
	// Host is the set's host (one of Set.Hosts, lower case) that bound to the domain, or for a
	// mesh claim that overlaps the other's; Field its entry in the table's spec.hosts (empty in a
	// model built without sources).
	Host  string
	Field Field
	// Routes are the set's routes as served on the listener's port.
	Routes []*Route
}

// L4Conflict is a TCP port (ServerName empty) or a TLS server name on a port of one gateway
// Service claimed by the Later set where the First set's route already serves it.
type L4Conflict struct {
	Gateway      *Gateway  // the gateway of the later claim
	Listener     *Listener // the listener of the later claim
	ServerName   string
	First, Later L4Claim
}

// L4Claim is one route set's tcp or tls route claiming a port or server name.
type L4Claim struct {
	Set   *RouteSet
	Route Hop
}

// ListenerConflict is a listener that clashes with an earlier one on the same port of a gateway
// Service.
type ListenerConflict struct {
	Cluster          string
	GatewayNamespace string // the gateway Service's namespace
	Service          string // the gateway Service's name
	Port             uint32 // the pod port both listen on
	Later, Earlier   ListenerRef
	// Reason is why they clash: ReasonProtocols, ReasonFirstHost or ReasonServerName.
	Reason string
	// Protocols are the earlier and later protocols; FirstHost the shared first host;
	// ServerName the shared SNI name (after partial-wildcard widening).
	Protocols  [2]string
	FirstHost  string
	ServerName string
}

// Listener conflict reasons.
const (
	ReasonProtocols  = "protocols"
	ReasonFirstHost  = "first-host"
	ReasonServerName = "server-name"
)

// ListenerRef names one VirtualGateway listener.
type ListenerRef struct {
	Gateway Origin        // the VirtualGateway
	Index   int           // in its spec.listeners
	Pos     diag.Position // of the listener
}
