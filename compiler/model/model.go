// Package model is meshroute's intermediate routing model: for every cluster, what each gateway
// listens on, which routes each host has in which order, and which backends each destination
// reaches. It is the single truth about what a request does — the Istio and Envoy emitters only
// translate it, and the validator's rules read it — so nothing downstream makes a routing decision
// of its own. It also carries every generated object name, so name collisions are found once.
package model

import "github.com/meshroute/meshroute/diag"

// Model is the compiled routing of every declared cluster.
type Model struct {
	// Clusters are sorted by name.
	Clusters []*Cluster
}

// Cluster returns the cluster of that name, or nil.
func (m *Model) Cluster(name string) *Cluster {
	for _, c := range m.Clusters {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Cluster is everything emitted for one workload cluster.
type Cluster struct {
	Name     string
	Domain   string // DNS domain, e.g. cluster.local
	Network  string // Istio network
	Locality string // "region/zone", may be empty
	// Gateways are the VirtualGateway × gateway Service pairs of this cluster, sorted by
	// namespace and name.
	Gateways []*Gateway
	// RouteSets are the root RouteTables as served here: one per ingress table and gateway
	// namespace, one per mesh table. Sorted by namespace and name.
	RouteSets []*RouteSet
	// Backends are the destination hosts that need a ServiceEntry and/or DestinationRule here
	// (VirtualDestination hosts, federated .global hosts, local Service hosts with subsets).
	// Sorted by host.
	Backends []*Backend
	// Conflicts are the ownership clashes Build and compiler.Resolve settled here.
	Conflicts Conflicts
	// Policies are the policy objects that select a route or destination here, in input order
	// (policy.go).
	Policies []*Policy
	// Isolated are the Services of this cluster under their workspace's service isolation or
	// proxy trimming (isolation.go), sorted by namespace and name.
	Isolated []*IsolatedService
	// Access are the AccessPolicies' grants here, by namespace and name (isolation.go).
	Access []*AccessGrant
}

// Origin identifies the input object an output object comes from (its labels, its diagnostics).
type Origin struct {
	Kind      string
	Namespace string
	Name      string
	Pos       diag.Position
}

// Field is one field of a source object: its JSON pointer and its position.
type Field struct {
	Path string
	Pos  diag.Position
}

// Ref names the origin in diagnostics.
func (o Origin) Ref() diag.ObjectRef {
	return diag.ObjectRef{Kind: o.Kind, Namespace: o.Namespace, Name: o.Name}
}

// Gateway is one VirtualGateway applied to one gateway Service (an Istio Gateway object, an
// Envoy bootstrap).
type Gateway struct {
	Name      string // generated: virtualgateway-<vg>-<vg ns>[-<service>]
	Namespace string // the gateway Service's namespace
	Origin    Origin // the VirtualGateway
	// Service is the gateway Service's name; Selector its pod selector.
	Service  string
	Selector map[string]string
	// Listeners in VirtualGateway order.
	Listeners []*Listener
}

// Listener protocols.
const (
	ProtocolHTTP  = "HTTP"
	ProtocolHTTPS = "HTTPS"
	ProtocolTCP   = "TCP"
	ProtocolTLS   = "TLS"
)

// Listener is one VirtualGateway listener on one gateway Service.
type Listener struct {
	Port        uint32 // the Service port's numeric targetPort: what the gateway pod listens on
	ServicePort uint32 // the Service port the listener named
	PortName    string // generated: <protocol>-<targetPort>-<first host or all>
	// Protocol is HTTP or HTTPS (an http listener), TCP (a tcp listener) or TLS (a tcp listener
	// with TLS passthrough: TLS.Mode is PASSTHROUGH and the gateway never terminates TLS).
	Protocol string
	// Hosts are the DNS names allowed on the listener ("*" when unrestricted).
	Hosts         []string
	TLS           *TLS
	HTTPSRedirect bool
	Index         int // in the VirtualGateway's spec.listeners
	Pos           diag.Position

	// What the listener serves, decided by compiler.Resolve so no emitter decides it again.
	// VirtualHosts are its domains in match order: on one pod port the plain-HTTP listeners of a
	// Gateway share one domain space and each TLS listener has its own; the first listener
	// claiming a domain keeps it, and every route set served there adds its routes in model
	// order (Cluster.Conflicts records each such sharing). An httpsRedirect listener has one per
	// host, with no set or routes.
	VirtualHosts []*VirtualHost
	// ServerNames are the SNI names selecting a TLS listener (nil: any name): its hosts, partial
	// wildcards widened to the parent's wildcard, less those an earlier TLS listener on the port
	// of the gateway Service took. Shadowed is set when none is left: the listener is not served.
	ServerNames []string
	Shadowed    bool
	// L4 are what a TCP or TLS listener serves: for TCP at most one chain (the first tcp route
	// on its port of the one set owning the port), for TLS one chain per tls route with the SNI
	// names it takes there, each name once on the port of the gateway Service.
	L4 []*L4Chain
}

// IsL4 reports whether the listener forwards connections (TCP, TLS passthrough) rather than
// HTTP requests.
func (l *Listener) IsL4() bool { return l.Protocol == ProtocolTCP || l.Protocol == ProtocolTLS }

// L4Chain is one tcp or tls route as a TCP or TLS listener serves it: connections (with one of
// ServerNames as SNI, for TLS) go to Forward's destinations.
type L4Chain struct {
	ServerNames []string // TLS: the SNI names, never empty; TCP: nil
	Set         string   // the RouteSet's name
	Route       Hop
	Forward     *Forward
}

// VirtualHost is one domain a listener serves, with the routes of the route sets served there.
// Sets are named, not pointed to: a RouteSet already points at its Gateways.
type VirtualHost struct {
	Domain string // a table host bound to a listener host (BindHost), or a redirecting host
	// Sets are the names of the RouteSets whose routes it serves, in model order; empty on an
	// httpsRedirect listener. More than one is a HostConflict in Cluster.Conflicts.
	Sets []string
	// Routes are the sets' routes, one set after the other, as they apply on the listener's
	// port: matchers naming another listener's port are dropped, and so are routes left
	// without any.
	Routes []*Route
}

// TLS is a listener's server-side TLS.
type TLS struct {
	Mode           string // SIMPLE, MUTUAL or ISTIO_MUTUAL
	CredentialName string // from secretName
	// Certificate files on the gateway proxy's file system (tls.files), when no credential is
	// named; CACertificates is only kept where client certificates are verified (MUTUAL).
	ServerCertificate string
	PrivateKey        string
	CACertificates    string
	// SubjectAltNames: a client certificate must carry one of them (MUTUAL, ISTIO_MUTUAL only).
	SubjectAltNames []string
	// MinVersion and MaxVersion bound the TLS version, as Gloo spells it (TLSv1_0 … TLSv1_3);
	// empty is the proxy's default. CipherSuites are the OpenSSL names Gloo supports, in
	// written order without repeats.
	MinVersion   string
	MaxVersion   string
	CipherSuites []string
}

// RouteSet is one root RouteTable as served by a set of gateways in one namespace, or by sidecars:
// an Istio VirtualService, an Envoy route configuration's virtual hosts.
type RouteSet struct {
	Name      string // generated: routetable-<rt>-<rt ns>[-mesh]
	Namespace string // gateway namespace (ingress) or the table's namespace (mesh)
	Origin    Origin // the root RouteTable
	Hosts     []string
	// HostFields are, per host, the spec.hosts entry of the table it comes from (a host narrowed
	// by admission keeps the entry it was narrowed from), so rules point at it without searching.
	HostFields []Field
	// Gateways are the Gateways this set is bound to (ingress); empty for a mesh set.
	Gateways []*Gateway
	// Listeners are the listeners of those Gateways whose allowedRouteTables admit the table:
	// the set is served on these only (Hosts are already cut to what they admit).
	Listeners []*Listener
	// Mesh is set when the set serves sidecars; Sources are its workloadSelectors (OR-ed; none
	// means every sidecar). Build already simplified them: a selector of every sidecar empties
	// the list, so no entry has both Namespace and Labels empty.
	Mesh    bool
	Sources []SourceSelector
	// ExportTo, on a mesh set once Workspaces are declared, are the namespaces whose sidecars
	// use it: those of the table's workspace and of the workspaces importing the table
	// (docs/workspaces.md), sorted; nil means every namespace.
	ExportTo []string
	// Routes in the resolved order: first match wins.
	Routes []*Route
	// TCPRoutes are the table's tcp routes in written order; first match wins. On an ingress set
	// their Ports are gateway pod ports, always listed: a route without ports takes those of the
	// TCP listeners admitting the set.
	TCPRoutes []*TCPRoute
	// TLSRoutes are its tls routes (SNI passthrough), in written order. On an ingress set each
	// matcher names a gateway pod port (one matcher per admitting TLS listener port when the
	// route named none), and an SNI name an earlier route already takes on that port is dropped.
	TLSRoutes []*TLSRoute
	// Annotations are the root table's virtualServiceAnnotations, for the VirtualService.
	Annotations map[string]string
}

// TLSRoute is one tls route: unterminated TLS connections matching one of Matchers go to
// Forward's destinations.
type TLSRoute struct {
	Hop      Hop // the route in the table's tls list; RouteName is tls-<index>
	Matchers []TLSMatcher
	Forward  *Forward
}

// TLSMatcher matches a connection whose SNI is one of SNIHosts (never empty), on Port (any
// when 0).
type TLSMatcher struct {
	SNIHosts []string
	Port     uint32
}

// TCPRoute is one tcp route: connections to one of Ports (any port when empty) go to Forward's
// destinations (no rewrites: a connection has no path or host).
type TCPRoute struct {
	Hop     Hop // the route in the table's tcp list; RouteName is tcp-<index>
	Ports   []uint32
	Forward *Forward
}

// SourceSelector is one workloadSelector of a mesh set: the sidecars in Namespace (any when
// empty) whose pods carry every one of Labels (any pod when empty). Both empty selects every
// sidecar.
type SourceSelector struct {
	Namespace string
	Labels    map[string]string
}

// Route is one flattened route as served in one cluster: the matchers AND-combined along its
// delegation chain, and the action of its leaf route.
type Route struct {
	// RouteID is the same in every cluster, and shared by the route's instances there.
	*RouteID
	// Matchers are OR-ed; empty matches every request.
	Matchers []*Matcher
	// Exactly one action is set.
	Forward        *Forward
	Redirect       *Redirect
	DirectResponse *DirectResponse
	// Policies are what route policies add (routepolicy.go); nil when none applies, which most
	// routes of a large estate are: a million route instances then carry one pointer, not the
	// whole struct.
	Policies *RoutePolicies
}

// RouteID names a flattened route.
type RouteID struct {
	// Name is <route>.<table>.<ns>, or for a delegated route
	// <route>.<child>.<child ns>--<delegating route>.<root>.<root ns> (one "--" segment per level).
	Name string
	// Chain is the path from the root table's route to the leaf route, root first.
	Chain []Hop
}

// Leaf returns the hop of the route that owns the action.
func (r *RouteID) Leaf() Hop { return r.Chain[len(r.Chain)-1] }

// Hop is one route of a delegation chain.
type Hop struct {
	Table     Origin // the RouteTable
	RouteName string // the route's name, or route-<index> when unnamed
	Index     int    // the route's index in the table's http list
	Pos       diag.Position
}

// URI match kinds.
const (
	MatchExact  = "exact"
	MatchPrefix = "prefix"
	MatchRegex  = "regex"
)

// Matcher is one set of conditions, all of which must hold (AND).
type Matcher struct {
	URI     *URIMatch
	Headers []HeaderMatch
	Query   []QueryMatch
	Method  string
	// Port is the gateway pod port (a listener's targetPort) or, on mesh sets, the port as written.
	Port uint32
	// Pos is the position of the leaf matcher (or of the route when it has none).
	Pos diag.Position
}

// URIMatch matches the request path.
type URIMatch struct {
	Kind       string // exact, prefix or regex
	Value      string
	IgnoreCase bool
}

// HeaderMatch: Present with no Value means "the header is there"; Invert negates the whole match
// (Istio's withoutHeaders).
type HeaderMatch struct {
	Name    string
	Value   string
	Regex   bool
	Invert  bool
	Present bool
}

// QueryMatch: Present with no Value means "the parameter is there, any value".
type QueryMatch struct {
	Name    string
	Value   string
	Regex   bool
	Present bool
}

// Forward sends the request to weighted destinations.
type Forward struct {
	// Destinations with weights summing to exactly 100; a single destination has Weight 0.
	Destinations []*Destination
	// At most one of PathRewrite and RegexRewrite.
	PathRewrite  *string
	RegexRewrite *RegexRewrite
	// HostRewrite is the authority to set (autoHostRewrite already resolved to the host).
	HostRewrite string
}

// RegexRewrite rewrites the path: every match of Pattern becomes Substitution.
type RegexRewrite struct {
	Pattern      string
	Substitution string
}

// Destination kinds (where a destination came from, for test/explain back-resolution).
const (
	DestService            = "SERVICE"
	DestVirtualDestination = "VIRTUAL_DESTINATION"
	DestExternalService    = "EXTERNAL_SERVICE"
)

// Destination is one weighted target of a Forward.
type Destination struct {
	// Host is how the mesh addresses it: <svc>.<ns>.svc.<domain>, <svc>.<ns>.svc.<cluster>.global,
	// or a VirtualDestination host.
	Host string
	// Port is the destination port (Service port, or VirtualDestination port number).
	Port uint32
	// Subset is the generated subset name (<key>-<value>…), empty without a subset.
	Subset string
	Weight uint32
	// Kind, Namespace, Name, Cluster identify the source object (Cluster empty = the cluster being
	// compiled).
	Kind      string
	Namespace string
	Name      string
	Cluster   string
	// Backend describes the endpoints behind Host in this cluster.
	Backend *Backend
}

// Redirect answers with a redirect.
type Redirect struct {
	Host string
	Path string
	Code uint32 // 301, 302, 303, 307 or 308
}

// DirectResponse answers directly.
type DirectResponse struct {
	Status uint32
	Body   string
}
