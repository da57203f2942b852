// Package envoy translates the routing model into Envoy v3 bootstraps: for every cluster and every
// gateway (VirtualGateway × gateway Service), one static configuration a plain Envoy can run with
// `envoy -c`. It makes no routing decision of its own: hosts, route order, weights and endpoints
// all come from the model (DESIGN.md §4, docs/envoy.md).
package envoy

import (
	"cmp"
	"fmt"
	"slices"

	bootstrapv3 "github.com/envoyproxy/go-control-plane/envoy/config/bootstrap/v3"
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/naming"
)

// Defaults for the zero Options.
const (
	DefaultAdminPort = 9901
	DefaultCertDir   = "/etc/envoy/certs"
)

// Options tune what does not come from the model.
type Options struct {
	// AdminPort is the admin listener's port on 127.0.0.1; 0 means DefaultAdminPort.
	AdminPort uint32
	// CertDir holds one folder per TLS credential (see docs/envoy.md); "" means DefaultCertDir.
	CertDir string
}

func (o Options) withDefaults() Options {
	if o.AdminPort == 0 {
		o.AdminPort = DefaultAdminPort
	}
	if o.CertDir == "" {
		o.CertDir = DefaultCertDir
	}
	return o
}

// Bootstrap is the Envoy configuration of one gateway.
type Bootstrap struct {
	Gateway *model.Gateway
	Config  *bootstrapv3.Bootstrap
}

// FileName is the bootstrap's file name inside its cluster's folder:
// envoy-<gateway namespace>-<gateway name>.yaml.
func (b Bootstrap) FileName() string {
	return fmt.Sprintf("envoy-%s-%s.yaml", b.Gateway.Namespace, b.Gateway.Name)
}

// Emit returns, for every cluster of m, one bootstrap per gateway, sorted by gateway namespace
// and name. Clusters without gateways are absent from the map.
func Emit(m *model.Model, opts Options) map[string][]Bootstrap {
	opts = opts.withDefaults()
	out := map[string][]Bootstrap{}
	if m == nil {
		return out
	}
	for _, c := range m.Clusters {
		gws := slices.Clone(c.Gateways)
		slices.SortStableFunc(gws, func(a, b *model.Gateway) int {
			return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
		})
		for _, g := range gws {
			out[c.Name] = append(out[c.Name], Bootstrap{Gateway: g, Config: bootstrapFor(c, g, opts)})
		}
	}
	return out
}

func bootstrapFor(c *model.Cluster, g *model.Gateway, opts Options) *bootstrapv3.Bootstrap {
	e := &emitter{cluster: c, gateway: g, opts: opts, clusters: map[string]*destCluster{}}
	listeners := e.listeners()
	return &bootstrapv3.Bootstrap{
		// The node names the gateway in Envoy's admin pages and stats.
		Node: &corev3.Node{Id: naming.EnvoyNode(g.Name, g.Namespace), Cluster: c.Name},
		Admin: &bootstrapv3.Admin{
			Address: socketAddress("127.0.0.1", opts.AdminPort),
		},
		StaticResources: &bootstrapv3.Bootstrap_StaticResources{
			Listeners: listeners,
			Clusters:  e.upstreamClusters(),
		},
		LayeredRuntime: runtime(),
	}
}

// re2ProgramSizeKey is the runtime key bounding how complex a regex Envoy accepts. Its default,
// 100, refuses ordinary path regexes the Istio output runs without trouble, because Istio's own
// bootstrap raises it to re2ProgramSizeLimit; the Envoy output does the same so that both
// targets accept the same routes.
const (
	re2ProgramSizeKey     = "re2.max_program_size.error_level"
	re2ProgramSizeDefault = 100
	re2ProgramSizeLimit   = 32768
)

// runtime is a static runtime layer with the overrides above, plus the admin layer Envoy's
// docs recommend keeping so /runtime_modify still works.
func runtime() *bootstrapv3.LayeredRuntime {
	return &bootstrapv3.LayeredRuntime{Layers: []*bootstrapv3.RuntimeLayer{
		{Name: "static", LayerSpecifier: &bootstrapv3.RuntimeLayer_StaticLayer{StaticLayer: &structpb.Struct{Fields: map[string]*structpb.Value{
			re2ProgramSizeKey: structpb.NewNumberValue(re2ProgramSizeLimit),
		}}}},
		{Name: "admin", LayerSpecifier: &bootstrapv3.RuntimeLayer_AdminLayer_{AdminLayer: &bootstrapv3.RuntimeLayer_AdminLayer{}}},
	}}
}

// emitter holds what one bootstrap collects while its routes are translated: the upstream
// clusters the routes name.
type emitter struct {
	cluster  *model.Cluster
	gateway  *model.Gateway
	opts     Options
	clusters map[string]*destCluster
}

func socketAddress(ip string, port uint32) *corev3.Address {
	return &corev3.Address{Address: &corev3.Address_SocketAddress{SocketAddress: &corev3.SocketAddress{
		Address:       ip,
		PortSpecifier: &corev3.SocketAddress_PortValue{PortValue: port},
	}}}
}
