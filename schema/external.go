package schema

// The typed specs of ExternalService and ExternalEndpoint (networking.gloo.solo.io/v2): hosts
// outside the mesh that routes may forward to.

const (
	KindExternalService  = "ExternalService"
	KindExternalEndpoint = "ExternalEndpoint"
)

// ExternalService is a loaded ExternalService.
type ExternalService struct {
	Object
	Spec ExternalServiceSpec
}

// ExternalServiceSpec is reached by DNS on its hosts, or at its addresses, or at the addresses
// of the ExternalEndpoints its selector picks (an empty selector picks none).
type ExternalServiceSpec struct {
	Hosts           []string              `json:"hosts,omitempty"`
	Addresses       []string              `json:"addresses,omitempty"`
	Ports           []ExternalServicePort `json:"ports,omitempty"`
	Selector        map[string]string     `json:"selector,omitempty"`
	SubjectAltNames []string              `json:"subjectAltNames,omitempty"`
}

// ExternalServicePort is one port of an ExternalService; TargetPort names the ExternalEndpoints'
// port when it differs from Number.
type ExternalServicePort struct {
	Number        uint32         `json:"number"`
	Name          string         `json:"name,omitempty"`
	Protocol      string         `json:"protocol,omitempty"`
	TargetPort    *PortSelector  `json:"targetPort,omitempty"`
	ClientsideTLS *ClientsideTLS `json:"clientsideTls,omitempty"`
	// EgressGatewayRoutes send the mesh's traffic for the hosts through egress gateways.
	EgressGatewayRoutes *EgressGatewayRoutes `json:"egressGatewayRoutes,omitempty"`
}

// EgressGatewayRoutes: sidecars send requests for the service's hosts on PortMatch (80 when
// left out) to the egress gateways of VirtualGatewayRefs, which forward them to the port.
type EgressGatewayRoutes struct {
	PortMatch          uint32            `json:"portMatch,omitempty"`
	VirtualGatewayRefs []ObjectReference `json:"virtualGatewayRefs,omitempty"`
}

// ClientsideTLS is TLS the client's proxy originates towards the external host; certificate
// fields are file paths on the proxy.
type ClientsideTLS struct {
	SNI string `json:"sni,omitempty"`
	// Mode is SIMPLE (the default), DISABLE, MUTUAL or ISTIO_MUTUAL.
	Mode              string `json:"mode,omitempty"`
	ClientCertificate string `json:"clientCertificate,omitempty"`
	PrivateKey        string `json:"privateKey,omitempty"`
	CACertificates    string `json:"caCertificates,omitempty"`
}

// ExternalEndpoint is a loaded ExternalEndpoint.
type ExternalEndpoint struct {
	Object
	Spec ExternalEndpointSpec
}

// ExternalEndpointSpec is one static address and the ports it listens on.
type ExternalEndpointSpec struct {
	Address string                 `json:"address"`
	Ports   []ExternalEndpointPort `json:"ports,omitempty"`
	// Locality is where the endpoint runs, for locality failover (region, zone, subZone).
	Locality *ExternalLocality `json:"locality,omitempty"`
}

// ExternalLocality is an ExternalEndpoint's failure domain (Gloo's common Locality: subZone).
type ExternalLocality struct {
	Region  string `json:"region,omitempty"`
	Zone    string `json:"zone,omitempty"`
	SubZone string `json:"subZone,omitempty"`
}

// String renders Istio's "region/zone/subzone" form, trailing empty parts dropped.
func (l *ExternalLocality) String() string {
	if l == nil {
		return ""
	}
	return (&Locality{Region: l.Region, Zone: l.Zone, Subzone: l.SubZone}).String()
}

// ExternalEndpointPort is a named port of an ExternalEndpoint.
type ExternalEndpointPort struct {
	Name   string `json:"name,omitempty"`
	Number uint32 `json:"number"`
}
