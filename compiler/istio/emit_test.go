package istio

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	networking "istio.io/api/networking/v1"

	"github.com/meshroute/meshroute/compiler/model"
	_ "github.com/meshroute/meshroute/internal/goldentest" // the -update flag
	"github.com/meshroute/meshroute/render"
)

// ids lists objects as kind/namespace/name, the order Emit promises.
func ids(objs []render.Object) []string {
	out := make([]string, len(objs))
	for i, o := range objs {
		out[i] = fmt.Sprintf("%s/%s/%s", o.Kind, o.Namespace, o.Name)
	}
	return out
}

func TestEmitObjectsAndOrder(t *testing.T) {
	got := Emit(fixtureModel())
	want := map[string][]string{"cluster-1": {
		"DestinationRule/global/dr-global-app-example-com",
		"Gateway/gloo-mesh-gateways/virtualgateway-istio-ingressgateway-gloo-mesh",
		"ServiceEntry/global/vd-global-app-example-com",
		"VirtualService/gloo-mesh-gateways/routetable-global-app-routes-global",
		"WorkloadEntry/global/vd-global-app-example-com-cluster-2",
	}}
	gotIDs := map[string][]string{}
	for c, objs := range got {
		gotIDs[c] = ids(objs)
		for _, o := range objs {
			if o.APIVersion != "networking.istio.io/v1" || o.Spec == nil {
				t.Errorf("%s/%s: apiVersion %q, spec %v", o.Kind, o.Name, o.APIVersion, o.Spec)
			}
		}
	}
	if diff := cmp.Diff(want, gotIDs); diff != "" {
		t.Errorf("objects (-want +got):\n%s", diff)
	}
}

func TestEmptyClusterIsListed(t *testing.T) {
	got := Emit(&model.Model{Clusters: []*model.Cluster{{Name: "idle"}}})
	objs, ok := got["idle"]
	if !ok || len(objs) != 0 {
		t.Errorf("Emit = %v, want an empty list for cluster idle", got)
	}
}

func TestLabels(t *testing.T) {
	tests := []struct {
		origin model.Origin
		want   map[string]string
	}{
		{vgOrigin, map[string]string{
			LabelManagedBy: "meshroute", LabelParentKind: "virtualgateway",
			LabelParentName: "istio-ingressgateway", LabelParentNamespace: "gloo-mesh",
		}},
		// Kubernetes names may hold dots; label values are sanitised like generated names.
		{model.Origin{Kind: "Service", Namespace: "shop", Name: "reviews.v2"}, map[string]string{
			LabelManagedBy: "meshroute", LabelParentKind: "service",
			LabelParentName: "reviews-v2", LabelParentNamespace: "shop",
		}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, labels(tt.origin)); diff != "" {
			t.Errorf("labels(%v) (-want +got):\n%s", tt.origin, diff)
		}
	}
}

func TestGateway(t *testing.T) {
	tests := []struct {
		name     string
		listener model.Listener
		want     *networking.Server
	}{
		{
			name:     "plain HTTP on the target port",
			listener: model.Listener{Port: 8080, ServicePort: 80, PortName: "http-8080-all", Protocol: "HTTP", Hosts: []string{"*"}},
			want: &networking.Server{
				Port:  &networking.Port{Number: 8080, Name: "http-8080-all", Protocol: "HTTP"},
				Hosts: []string{"*"},
			},
		},
		{
			name: "terminating TLS",
			listener: model.Listener{Port: 8443, PortName: "https-8443-shop-example-com", Protocol: "HTTPS",
				Hosts: []string{"shop.example.com"}, TLS: &model.TLS{Mode: "MUTUAL", CredentialName: "shop-cert"}},
			want: &networking.Server{
				Port:  &networking.Port{Number: 8443, Name: "https-8443-shop-example-com", Protocol: "HTTPS"},
				Hosts: []string{"shop.example.com"},
				Tls:   &networking.ServerTLSSettings{Mode: networking.ServerTLSSettings_MUTUAL, CredentialName: "shop-cert"},
			},
		},
		{
			name: "mode left empty is SIMPLE, never the enum's zero PASSTHROUGH",
			listener: model.Listener{Port: 8443, PortName: "https-8443-all", Protocol: "HTTPS",
				Hosts: []string{"*"}, TLS: &model.TLS{CredentialName: "c"}},
			want: &networking.Server{
				Port:  &networking.Port{Number: 8443, Name: "https-8443-all", Protocol: "HTTPS"},
				Hosts: []string{"*"},
				Tls:   &networking.ServerTLSSettings{Mode: networking.ServerTLSSettings_SIMPLE, CredentialName: "c"},
			},
		},
		{
			name: "httpsRedirect carries only the flag",
			listener: model.Listener{Port: 8080, PortName: "http-8080-all", Protocol: "HTTP", Hosts: []string{"*"},
				HTTPSRedirect: true, TLS: &model.TLS{Mode: "SIMPLE", CredentialName: "ignored"}},
			want: &networking.Server{
				Port:  &networking.Port{Number: 8080, Name: "http-8080-all", Protocol: "HTTP"},
				Hosts: []string{"*"},
				Tls:   &networking.ServerTLSSettings{HttpsRedirect: true},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := fixtureGateway()
			g.Listeners = []*model.Listener{&tt.listener}
			obj := gateway(g)
			want := &networking.Gateway{Selector: g.Selector, Servers: []*networking.Server{tt.want}}
			if diff := cmp.Diff(want, obj.Spec, protocmp.Transform()); diff != "" {
				t.Errorf("Gateway spec (-want +got):\n%s", diff)
			}
			if obj.Namespace != "gloo-mesh-gateways" || obj.Name != g.Name {
				t.Errorf("Gateway at %s/%s", obj.Namespace, obj.Name)
			}
		})
	}
}

func TestVirtualServiceBinding(t *testing.T) {
	ingress := fixtureModel().Clusters[0].RouteSets[0]
	mesh := &model.RouteSet{
		Name: "routetable-reviews-shop", Namespace: "shop", Origin: rtOrigin,
		Hosts: []string{"reviews.shop.svc.cluster.local"}, Mesh: true,
		Routes: []*model.Route{{RouteID: &model.RouteID{Name: "all.reviews.shop"}, DirectResponse: &model.DirectResponse{Status: 204}}},
	}
	tests := []struct {
		name         string
		rs           *model.RouteSet
		wantGateways []string
		wantExport   []string
	}{
		{"ingress: namespaced gateways, private to the namespace", ingress,
			[]string{"gloo-mesh-gateways/virtualgateway-istio-ingressgateway-gloo-mesh"}, []string{"."}},
		{"mesh: every sidecar, default export", mesh, []string{"mesh"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs := virtualService(tt.rs).Spec.(*networking.VirtualService)
			if diff := cmp.Diff(tt.wantGateways, vs.Gateways); diff != "" {
				t.Errorf("gateways (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantExport, vs.ExportTo); diff != "" {
				t.Errorf("exportTo (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.rs.Hosts, vs.Hosts); diff != "" {
				t.Errorf("hosts (-want +got):\n%s", diff)
			}
			if len(vs.Http) != len(tt.rs.Routes) || vs.Http[0].Name != tt.rs.Routes[0].Name {
				t.Errorf("http routes %v do not follow the model's %d routes", vs.Http, len(tt.rs.Routes))
			}
		})
	}
}

// TestVirtualServiceHosts: Istio refuses overlapping hosts in one VirtualService, which a set's
// per-listener narrowing can produce; the covering host alone is kept.
func TestVirtualServiceHosts(t *testing.T) {
	tests := []struct {
		name        string
		hosts, want []string
	}{
		{"disjoint hosts kept in order", []string{"b.example.com", "a.example.com"}, []string{"b.example.com", "a.example.com"}},
		{"* covers a narrowed wildcard", []string{"*", "*.example.com"}, []string{"*"}},
		{"wildcard covers a narrowed name", []string{"a.example.com", "*.example.com"}, []string{"*.example.com"}},
		{"wider wildcard covers a narrower one", []string{"*.a.example.com", "*.example.com", "b.org"}, []string{"*.example.com", "b.org"}},
		{"case-insensitive duplicates once", []string{"A.example.com", "a.example.com"}, []string{"A.example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := &model.RouteSet{Name: "rt", Namespace: "ns", Hosts: tt.hosts, Mesh: true,
				Routes: []*model.Route{{RouteID: &model.RouteID{Name: "r"}, DirectResponse: &model.DirectResponse{Status: 204}}}}
			vs := virtualService(rs).Spec.(*networking.VirtualService)
			if diff := cmp.Diff(tt.want, vs.Hosts); diff != "" {
				t.Errorf("hosts (-want +got):\n%s", diff)
			}
		})
	}
}
