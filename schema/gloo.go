package schema

// The typed specs of the networking.gloo.solo.io/v2 kinds meshroute compiles, with the proto's
// JSON field names. Fields of the API that meshroute does not implement are known to the JSON
// Schemas (so they are not "unknown") and reported as MR1005/MR1006 by the loader; they have no
// Go field here, so nothing downstream can silently half-use them.

// ObjectReference names one object; empty Namespace/Cluster take the defaults of DESIGN.md §1.
type ObjectReference struct {
	Name      string `json:"name,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Cluster   string `json:"cluster,omitempty"`
}

// ObjectSelector matches many objects; every empty field means "any".
type ObjectSelector struct {
	Labels    map[string]string `json:"labels,omitempty"`
	Name      string            `json:"name,omitempty"`
	Namespace string            `json:"namespace,omitempty"`
	Cluster   string            `json:"cluster,omitempty"`
	Workspace string            `json:"workspace,omitempty"`
}

// PortSelector is a port by number or by name (exactly one is set).
type PortSelector struct {
	Number uint32 `json:"number,omitempty"`
	Name   string `json:"name,omitempty"`
}

// IsSet reports whether a port was chosen at all.
func (p *PortSelector) IsSet() bool { return p != nil && (p.Number != 0 || p.Name != "") }

// WorkloadSelector selects gateway workloads (VirtualGateway) or sidecars (RouteTable).
type WorkloadSelector struct {
	Selector *ObjectSelector `json:"selector,omitempty"`
	Kind     string          `json:"kind,omitempty"`
	Port     *PortSelector   `json:"port,omitempty"`
}

// --- VirtualGateway ------------------------------------------------------------------------

// VirtualGatewaySpec is the spec of a VirtualGateway: the gateway Services it selects and their listeners.
type VirtualGatewaySpec struct {
	// Workloads nil means every Service whose selector has istio: ingressgateway.
	Workloads []WorkloadSelector `json:"workloads,omitempty"`
	Listeners []Listener         `json:"listeners,omitempty"`
}

// Listener is one port of the gateway and the route tables it admits.
type Listener struct {
	Port               PortSelector       `json:"port"`
	TLS                *TLSConfig         `json:"tls,omitempty"`
	HTTPSRedirect      bool               `json:"httpsRedirect,omitempty"`
	HTTP               *struct{}          `json:"http,omitempty"`
	TCP                *struct{}          `json:"tcp,omitempty"`
	AllowedRouteTables []RouteTableFilter `json:"allowedRouteTables,omitempty"`
	AppProtocol        string             `json:"appProtocol,omitempty"`
	// ExposedExternalServices filter the ExternalServices whose egress routes may use the
	// listener; none means every one (docs/istio-output.md, egress gateways).
	ExposedExternalServices []ExternalServiceFilter `json:"exposedExternalServices,omitempty"`
}

// ExternalServiceFilter exposes ExternalServices on an egress listener by host (a DNS name,
// optionally "namespace/"-prefixed, as allowedRouteTables hosts) and, optionally, by selector.
type ExternalServiceFilter struct {
	Host     string          `json:"host"`
	Selector *ObjectSelector `json:"selector,omitempty"`
}

// TLSConfig is a listener's TLS: the certificate (a Secret or files), the TLS mode, the client
// certificate names it accepts and the protocol parameters.
type TLSConfig struct {
	SecretName string    `json:"secretName,omitempty"`
	Files      *TLSFiles `json:"files,omitempty"`
	// VerifySubjectAltName: a client certificate must carry one of these names.
	VerifySubjectAltName []string       `json:"verifySubjectAltName,omitempty"`
	Parameters           *TLSParameters `json:"parameters,omitempty"`
	// Mode is SIMPLE, MUTUAL, ISTIO_MUTUAL, PASSTHROUGH or AUTO_PASSTHROUGH.
	Mode string `json:"mode,omitempty"`
}

// TLSFiles are certificate paths on the gateway proxy's own file system.
type TLSFiles struct {
	ServerCert string `json:"serverCert,omitempty"`
	PrivateKey string `json:"privateKey,omitempty"`
	CACerts    string `json:"caCerts,omitempty"`
}

// TLS protocol versions, as Gloo spells them (TLSAuto is the proxy's default range).
const (
	TLSAuto = "TLS_AUTO"
	TLSv1_0 = "TLSv1_0"
	TLSv1_1 = "TLSv1_1"
	TLSv1_2 = "TLSv1_2"
	TLSv1_3 = "TLSv1_3"
)

// TLSParameters bound the TLS versions and choose the cipher suites (which only apply up to
// TLS 1.2).
type TLSParameters struct {
	MinimumProtocolVersion string   `json:"minimumProtocolVersion,omitempty"`
	MaximumProtocolVersion string   `json:"maximumProtocolVersion,omitempty"`
	CipherSuites           []string `json:"cipherSuites,omitempty"`
}

// RouteTableFilter admits route tables to a listener by host and, optionally, by selector.
type RouteTableFilter struct {
	// Host is a DNS name with an optional "namespace/" prefix ("*/", "./" or a namespace).
	Host          string          `json:"host"`
	Selector      *ObjectSelector `json:"selector,omitempty"`
	AllowedRoutes []RouteFilter   `json:"allowedRoutes,omitempty"`
}

// RouteFilter is an allowedRoutes entry. Its only criterion, cloudProvider, filters out tables
// that use AWS Lambda routes, which meshroute refuses (MR1006): it cannot change what meshroute
// compiles, so it is read and kept as data.
type RouteFilter map[string]any

// --- VirtualDestination --------------------------------------------------------------------

// VirtualDestinationSpec is the spec of a VirtualDestination: a global hostname backed by Services
// in many clusters and by ExternalServices.
type VirtualDestinationSpec struct {
	Hosts            []string         `json:"hosts,omitempty"`
	Services         []ObjectSelector `json:"services,omitempty"`
	ExternalServices []ObjectSelector `json:"externalServices,omitempty"`
	Ports            []PortMapping    `json:"ports,omitempty"`
}

// PortMapping is one port of a VirtualDestination and the pod port it reaches.
type PortMapping struct {
	Number   uint32 `json:"number"`
	Protocol string `json:"protocol,omitempty"`
	// TargetPort left out means Number.
	TargetPort *PortSelector `json:"targetPort,omitempty"`
}

// --- RouteTable ----------------------------------------------------------------------------

// RouteTableSpec is the spec of a RouteTable: hosts, where it is served, and its routes.
type RouteTableSpec struct {
	Hosts              []string              `json:"hosts,omitempty"`
	VirtualGateways    []ObjectReference     `json:"virtualGateways,omitempty"`
	WorkloadSelectors  []WorkloadSelector    `json:"workloadSelectors,omitempty"`
	DefaultDestination *DestinationReference `json:"defaultDestination,omitempty"`
	HTTP               []HTTPRoute           `json:"http,omitempty"`
	TCP                []TCPRoute            `json:"tcp,omitempty"`
	TLS                []TLSRoute            `json:"tls,omitempty"`
	Weight             int32                 `json:"weight,omitempty"`
	// VirtualServiceAnnotations go on the VirtualServices generated from a root table.
	VirtualServiceAnnotations map[string]string `json:"virtualServiceAnnotations,omitempty"`
}

// HTTPRoute is one route: matchers and exactly one action.
type HTTPRoute struct {
	Name           string               `json:"name,omitempty"`
	Labels         map[string]string    `json:"labels,omitempty"`
	Matchers       []HTTPRequestMatcher `json:"matchers,omitempty"`
	ForwardTo      *ForwardToAction     `json:"forwardTo,omitempty"`
	Delegate       *DelegateAction      `json:"delegate,omitempty"`
	Redirect       *RedirectAction      `json:"redirect,omitempty"`
	DirectResponse *DirectResponse      `json:"directResponse,omitempty"`
}

// TCPRoute forwards the connections that match one of its matchers (every connection when
// there are none), on sidecars and on gateway tcp listeners.
type TCPRoute struct {
	Matchers  []TCPRequestMatcher `json:"matchers,omitempty"`
	ForwardTo *ForwardToAction    `json:"forwardTo,omitempty"`
}

// TCPRequestMatcher matches connections to one destination port (any port when 0).
type TCPRequestMatcher struct {
	Port uint32 `json:"port,omitempty"`
}

// TLSRoute forwards unterminated TLS connections by SNI (and port).
type TLSRoute struct {
	Matchers  []TLSRequestMatcher `json:"matchers,omitempty"`
	ForwardTo *TLSForwardToAction `json:"forwardTo,omitempty"`
}

// TLSRequestMatcher matches connections whose SNI is one of SNIHosts, to Port (any when 0).
type TLSRequestMatcher struct {
	SNIHosts []string `json:"sniHosts,omitempty"`
	Port     uint32   `json:"port,omitempty"`
}

// TLSForwardToAction is a forwardTo without rewrites: TLS is not terminated.
type TLSForwardToAction struct {
	Destinations []DestinationReference `json:"destinations,omitempty"`
}

// HTTPRequestMatcher is one matcher; all its conditions must hold (DESIGN.md §2).
type HTTPRequestMatcher struct {
	Name            string                  `json:"name,omitempty"`
	URI             *StringMatch            `json:"uri,omitempty"`
	Headers         []HeaderMatcher         `json:"headers,omitempty"`
	QueryParameters []QueryParameterMatcher `json:"queryParameters,omitempty"`
	Method          string                  `json:"method,omitempty"`
	Port            uint32                  `json:"port,omitempty"`
}

// StringMatch sets exactly one of Exact, Prefix and Regex.
type StringMatch struct {
	Exact      string `json:"exact,omitempty"`
	Prefix     string `json:"prefix,omitempty"`
	Regex      string `json:"regex,omitempty"`
	IgnoreCase bool   `json:"ignoreCase,omitempty"`
}

// HeaderMatcher with an empty Value matches a header that is present.
type HeaderMatcher struct {
	Name        string `json:"name"`
	Value       string `json:"value,omitempty"`
	Regex       bool   `json:"regex,omitempty"`
	InvertMatch bool   `json:"invertMatch,omitempty"`
}

// QueryParameterMatcher with an empty Value matches a parameter that is present.
type QueryParameterMatcher struct {
	Name  string `json:"name"`
	Value string `json:"value,omitempty"`
	Regex bool   `json:"regex,omitempty"`
}

// ForwardToAction forwards to weighted destinations, with optional rewrites.
type ForwardToAction struct {
	Destinations    []DestinationReference   `json:"destinations,omitempty"`
	PathRewrite     *string                  `json:"pathRewrite,omitempty"`
	RegexRewrite    *RegexMatchAndSubstitute `json:"regexRewrite,omitempty"`
	HostRewrite     string                   `json:"hostRewrite,omitempty"`
	AutoHostRewrite bool                     `json:"autoHostRewrite,omitempty"`
}

// RegexMatchAndSubstitute is a regexRewrite: the pattern and its substitution.
type RegexMatchAndSubstitute struct {
	Pattern      RegexMatcher `json:"pattern"`
	Substitution string       `json:"substitution"`
}

// RegexMatcher is a regular expression in RE2 syntax.
type RegexMatcher struct {
	Regex string `json:"regex"`
}

// Destination kinds.
const (
	DestService            = "SERVICE"
	DestVirtualDestination = "VIRTUAL_DESTINATION"
	DestExternalService    = "EXTERNAL_SERVICE"
)

// DestinationReference is one destination of a forwardTo: a Service or a VirtualDestination.
type DestinationReference struct {
	Ref ObjectReference `json:"ref"`
	// Kind left out means SERVICE.
	Kind   string            `json:"kind,omitempty"`
	Port   *PortSelector     `json:"port,omitempty"`
	Subset map[string]string `json:"subset,omitempty"`
	// Weight is a proto3 uint32, as in Gloo: 0 cannot be told from unset and means unweighted
	// (the leftover rule of DESIGN.md §2 applies).
	Weight uint32 `json:"weight,omitempty"`
}

// DestinationKind returns Kind with its default applied.
func (d *DestinationReference) DestinationKind() string {
	if d.Kind == "" {
		return DestService
	}
	return d.Kind
}

// Sort methods of a delegate action.
const (
	SortTableWeight      = "TABLE_WEIGHT"
	SortRouteSpecificity = "ROUTE_SPECIFICITY"
)

// DelegateAction hands a route's traffic to the routes of the selected child tables.
type DelegateAction struct {
	RouteTables []ObjectSelector `json:"routeTables,omitempty"`
	// AllowedRoutes has no effect (see RouteFilter).
	AllowedRoutes []RouteFilter `json:"allowedRoutes,omitempty"`
	// SortMethod left out means TABLE_WEIGHT.
	SortMethod string `json:"sortMethod,omitempty"`
}

// RedirectAction answers with an HTTP redirect.
type RedirectAction struct {
	HostRedirect string `json:"hostRedirect,omitempty"`
	PathRedirect string `json:"pathRedirect,omitempty"`
	// ResponseCode is MOVED_PERMANENTLY (default), FOUND, SEE_OTHER, TEMPORARY_REDIRECT or
	// PERMANENT_REDIRECT.
	ResponseCode string `json:"responseCode,omitempty"`
}

// RedirectStatus maps a responseCode enum to its HTTP status.
func RedirectStatus(responseCode string) uint32 {
	switch responseCode {
	case "FOUND":
		return 302
	case "SEE_OTHER":
		return 303
	case "TEMPORARY_REDIRECT":
		return 307
	case "PERMANENT_REDIRECT":
		return 308
	}
	return 301
}

// DirectResponse answers with a fixed status and body.
type DirectResponse struct {
	Status uint32 `json:"status"`
	Body   string `json:"body,omitempty"`
}
