package schema

import (
	"encoding/json"
	"strconv"
)

// ClusterSpec is meshroute's inventory of one workload cluster (meshroute.dev/v1alpha1 Cluster).
type ClusterSpec struct {
	// ClusterDomain left out means cluster.local.
	ClusterDomain string `json:"clusterDomain,omitempty"`
	// Network left out means the cluster's name.
	Network         string           `json:"network,omitempty"`
	Locality        *Locality        `json:"locality,omitempty"`
	EastWestGateway *EastWestGateway `json:"eastWestGateway,omitempty"`
	// Role left out means ClusterRoleWorkload.
	Role string `json:"role,omitempty"`
}

// Cluster roles: a workload cluster runs gateways and Services and gets output; the management
// cluster is where Gloo's routing objects are created (Gloo's management-cluster convention) and
// gets none.
const (
	ClusterRoleWorkload   = "workload"
	ClusterRoleManagement = "management"
)

// Locality is where a cluster runs, as Istio names localities.
type Locality struct {
	Region  string `json:"region,omitempty"`
	Zone    string `json:"zone,omitempty"`
	Subzone string `json:"subzone,omitempty"`
}

// String renders Istio's "region/zone/subzone" form, trailing empty parts dropped.
func (l *Locality) String() string {
	if l == nil {
		return ""
	}
	s := l.Region
	if l.Zone != "" || l.Subzone != "" {
		s += "/" + l.Zone
	}
	if l.Subzone != "" {
		s += "/" + l.Subzone
	}
	return s
}

// EastWestGateway is the address other clusters reach this cluster's Services through.
type EastWestGateway struct {
	Address string `json:"address"`
	// Port left out means 15443, Istio's cross-network (SNI passthrough) port.
	Port uint32 `json:"port,omitempty"`
	// Namespace is where the gateway runs; left out, that of the Service a WorkspaceSettings'
	// options.eastWestGateways select, else the ServiceEntries it serves stay exported to every
	// namespace (docs/workspaces.md).
	Namespace string `json:"namespace,omitempty"`
}

// DefaultEastWestPort is the port of Istio's cross-network gateway.
const DefaultEastWestPort = 15443

// PortOrDefault is the port other clusters dial, the default applied.
func (e *EastWestGateway) PortOrDefault() uint32 {
	if e.Port == 0 {
		return DefaultEastWestPort
	}
	return e.Port
}

// ServiceSpec is the part of a Kubernetes v1 Service that routing depends on.
type ServiceSpec struct {
	Selector map[string]string `json:"selector,omitempty"`
	Ports    []ServicePort     `json:"ports,omitempty"`
	Type     string            `json:"type,omitempty"`
}

// AnnotationServiceAccount names the service account a Service's workloads run as (default:
// the namespace's default account): the identity service isolation allows and denies
// (docs/workspaces.md, "Service isolation").
const AnnotationServiceAccount = "meshroute.dev/service-account"

// DefaultServiceAccount is the account Kubernetes gives a pod that names none.
const DefaultServiceAccount = "default"

// ServiceAccount is the account the Service's workloads run as.
func (s *Service) ServiceAccount() string {
	if sa := s.Metadata.Annotations[AnnotationServiceAccount]; sa != "" {
		return sa
	}
	return DefaultServiceAccount
}

// ServicePort is one port of a Service.
type ServicePort struct {
	Name        string `json:"name,omitempty"`
	Port        uint32 `json:"port"`
	Protocol    string `json:"protocol,omitempty"`
	AppProtocol string `json:"appProtocol,omitempty"`
	// TargetPort left out means Port.
	TargetPort *IntOrString `json:"targetPort,omitempty"`
	NodePort   uint32       `json:"nodePort,omitempty"`
}

// Target returns the numeric target port and the target port name (one of them is zero), with the
// "left out means port" default applied.
func (p ServicePort) Target() (number uint32, name string) {
	if p.TargetPort == nil {
		return p.Port, ""
	}
	if p.TargetPort.IsString {
		return 0, p.TargetPort.Str
	}
	return uint32(p.TargetPort.Int), ""
}

// IntOrString is Kubernetes' int-or-string (a Service port's targetPort).
type IntOrString struct {
	IsString bool
	Int      int64
	Str      string
}

// String is the value as written.
func (v IntOrString) String() string {
	if v.IsString {
		return v.Str
	}
	return strconv.FormatInt(v.Int, 10)
}

// MarshalJSON writes a JSON string or number, as it was read.
func (v IntOrString) MarshalJSON() ([]byte, error) {
	if v.IsString {
		return json.Marshal(v.Str)
	}
	return json.Marshal(v.Int)
}

// UnmarshalJSON reads a JSON string or number.
func (v *IntOrString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		v.IsString = true
		return json.Unmarshal(b, &v.Str)
	}
	v.IsString = false
	return json.Unmarshal(b, &v.Int)
}

// Namespace is a Kubernetes Namespace of the inventory: in the cluster its meshroute.dev/cluster
// annotation (or --services CLUSTER) names, else in every cluster.
type Namespace struct {
	Object
	// Cluster is the cluster the Namespace describes; "" means every cluster.
	Cluster string
}
