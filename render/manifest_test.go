package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	bootstrapv3 "github.com/envoyproxy/go-control-plane/envoy/config/bootstrap/v3"
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	listenerv3 "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	routerv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/router/v3"
	hcmv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/wrapperspb"
	networking "istio.io/api/networking/v1alpha3"
	"sigs.k8s.io/yaml"

	"github.com/meshroute/meshroute/internal/goldentest"
)

var labels = map[string]string{
	"meshroute.dev/parent-name":    "global-app-routes",
	"app.kubernetes.io/managed-by": "meshroute",
	"meshroute.dev/parent-kind":    "routetable",
}

func virtualService() Object {
	return Object{
		APIVersion: "networking.istio.io/v1", Kind: "VirtualService",
		Name: "routetable-global-app-routes-global", Namespace: "istio-gateways", Labels: labels,
		Spec: &networking.VirtualService{
			Hosts:    []string{"global-app.example.com"},
			Gateways: []string{"istio-gateways/virtualgateway-north-south-gw-istio-gateways"},
			ExportTo: []string{"."},
			Http: []*networking.HTTPRoute{{
				Name: "canary.global-app-routes.global",
				Match: []*networking.HTTPMatchRequest{{
					Uri: &networking.StringMatch{MatchType: &networking.StringMatch_Prefix{Prefix: "/global-app"}},
					// Presence: the one empty value kept.
					Headers:        map[string]*networking.StringMatch{"x-canary": {}, "x-b": {MatchType: &networking.StringMatch_Exact{Exact: "1"}}},
					WithoutHeaders: map[string]*networking.StringMatch{"x-debug": {}},
					IgnoreUriCase:  true,
				}},
				Route: []*networking.HTTPRouteDestination{
					{Destination: &networking.Destination{Host: "global-app.example.com", Port: &networking.PortSelector{Number: 8080}}, Weight: 90},
					{Destination: &networking.Destination{Host: "global-app.global.svc.cluster-2.global", Subset: "version-v2", Port: &networking.PortSelector{Number: 8080}}, Weight: 10},
				},
				// Empty messages that are not map values are dropped.
				Rewrite: &networking.HTTPRewrite{},
				Retries: &networking.HTTPRetry{},
				// A set Duration is a value, not an empty message: 0s stays.
				Timeout: durationpb.New(0),
			}, {
				Name:           "teapot.global-app-routes.global",
				DirectResponse: &networking.HTTPDirectResponse{Status: 418, Body: &networking.HTTPBody{Specifier: &networking.HTTPBody_String_{String_: "no: tea, here"}}},
			}},
		},
	}
}

func serviceEntry() Object {
	return Object{
		APIVersion: "networking.istio.io/v1", Kind: "ServiceEntry",
		Name: "vd-global-app.example.com", Namespace: "global",
		Labels: map[string]string{"app.kubernetes.io/managed-by": "meshroute"},
		Spec: &networking.ServiceEntry{
			Hosts:            []string{"global-app.example.com"},
			Addresses:        []string{"240.241.12.34"},
			Ports:            []*networking.ServicePort{{Number: 8080, Protocol: "HTTP", Name: "http-8080", TargetPort: 9080}},
			Location:         networking.ServiceEntry_MESH_INTERNAL,
			Resolution:       networking.ServiceEntry_STATIC,
			ExportTo:         []string{"*"},
			WorkloadSelector: &networking.WorkloadSelector{Labels: map[string]string{"app": "global-app", "version": "v1"}},
		},
	}
}

func destinationRule() Object {
	return Object{
		APIVersion: "networking.istio.io/v1", Kind: "DestinationRule",
		Name: "dr-global-app.example.com", Namespace: "global",
		Spec: &networking.DestinationRule{
			Host: "global-app.example.com",
			TrafficPolicy: &networking.TrafficPolicy{
				Tls:            &networking.ClientTLSSettings{Mode: networking.ClientTLSSettings_ISTIO_MUTUAL},
				ConnectionPool: &networking.ConnectionPoolSettings{Http: &networking.ConnectionPoolSettings_HTTPSettings{}},
			},
			Subsets: []*networking.Subset{{Name: "version-v2", Labels: map[string]string{"version": "v2"}}},
		},
	}
}

func gateway() Object {
	return Object{
		APIVersion: "networking.istio.io/v1", Kind: "Gateway",
		Name: "virtualgateway-north-south-gw-istio-gateways", Namespace: "istio-gateways",
		Spec: &networking.Gateway{
			Selector: map[string]string{"istio": "ingressgateway"},
			Servers: []*networking.Server{{
				Port:  &networking.Port{Number: 8443, Name: "https-8443-global-app-example-com", Protocol: "HTTPS"},
				Hosts: []string{"global-app.example.com"},
				Tls:   &networking.ServerTLSSettings{Mode: networking.ServerTLSSettings_SIMPLE, CredentialName: "global-app-cert"},
			}, {
				Port:  &networking.Port{Number: 8080, Name: "http-8080-all", Protocol: "HTTP"},
				Hosts: []string{"*"},
				Tls:   &networking.ServerTLSSettings{HttpsRedirect: true},
			}},
		},
	}
}

func TestManifestsGolden(t *testing.T) {
	objs := []Object{gateway(), virtualService(), serviceEntry(), destinationRule()}
	for _, o := range objs {
		t.Run(o.Kind, func(t *testing.T) {
			got, err := ObjectYAML(o)
			if err != nil {
				t.Fatal(err)
			}
			goldentest.CompareFile(t, "render/manifests/"+ManifestFileName(o), got)
		})
	}
	stream, err := StreamYAML(objs)
	if err != nil {
		t.Fatal(err)
	}
	goldentest.CompareFile(t, "render/manifests/stream.yaml", stream)
	list, err := ListJSON(objs)
	if err != nil {
		t.Fatal(err)
	}
	goldentest.CompareFile(t, "render/manifests/list.json", list)
}

func TestObjectYAMLKeepsHeaderPresence(t *testing.T) {
	got, err := ObjectYAML(virtualService())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"x-canary: {}", "x-debug: {}", "x-b:\n", "timeout: 0s"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	for _, unwanted := range []string{"rewrite", "retries", "\nstatus:", "null"} {
		if strings.Contains(string(got), unwanted) {
			t.Errorf("unexpected %q in\n%s", unwanted, got)
		}
	}
}

// TestObjectYAMLRoundTrip reads the YAML back into the istio.io/api type with strict JSON
// parsing: every name written must be a real field, every enum a real value.
func TestObjectYAMLRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		obj  Object
		into interface{ Reset() }
	}{
		{virtualService(), &networking.VirtualService{}},
		{serviceEntry(), &networking.ServiceEntry{}},
		{destinationRule(), &networking.DestinationRule{}},
		{gateway(), &networking.Gateway{}},
	} {
		t.Run(tc.obj.Kind, func(t *testing.T) {
			y, err := ObjectYAML(tc.obj)
			if err != nil {
				t.Fatal(err)
			}
			j, err := yaml.YAMLToJSON(y)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Spec json.RawMessage `json:"spec"`
			}
			if err := json.Unmarshal(j, &doc); err != nil {
				t.Fatal(err)
			}
			if err := unmarshalStrict(doc.Spec, tc.into); err != nil {
				t.Fatalf("spec does not parse back: %v\n%s", err, y)
			}
		})
	}
}

func TestObjectYAMLDeterministic(t *testing.T) {
	first, err := ObjectYAML(virtualService())
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		again, _ := ObjectYAML(virtualService())
		if !bytes.Equal(first, again) {
			t.Fatalf("output changed between runs:\n%s\n---\n%s", first, again)
		}
	}
}

func TestObjectYAMLRejectsIncompleteObjects(t *testing.T) {
	for _, o := range []Object{{}, {APIVersion: "v1", Kind: "X"}, {Kind: "X", Name: "n"}} {
		if _, err := ObjectYAML(o); err == nil {
			t.Errorf("ObjectYAML(%+v) succeeded", o)
		}
	}
	// No spec at all is fine (and writes none).
	got, err := ObjectYAML(Object{APIVersion: "v1", Kind: "Namespace", Name: "global"})
	if err != nil || string(got) != "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: global\n" {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestManifestFileName(t *testing.T) {
	for _, tc := range []struct {
		o    Object
		want string
	}{
		{Object{Kind: "VirtualService", Namespace: "global", Name: "rt"}, "virtualservice-global-rt.yaml"},
		{Object{Kind: "ServiceEntry", Namespace: "ns", Name: "vd-a.b.com"}, "serviceentry-ns-vd-a.b.com.yaml"},
		{Object{Kind: "Gateway", Namespace: "../x", Name: "a/b"}, "gateway-..-x-a-b.yaml"},
	} {
		if got := ManifestFileName(tc.o); got != tc.want {
			t.Errorf("ManifestFileName(%v) = %q, want %q", tc.o, got, tc.want)
		}
	}
}

func TestProtoYAMLEnvoyBootstrap(t *testing.T) {
	router, err := anypb.New(&routerv3.Router{})
	if err != nil {
		t.Fatal(err)
	}
	hcm, err := anypb.New(&hcmv3.HttpConnectionManager{
		StatPrefix:  "ingress_http",
		HttpFilters: []*hcmv3.HttpFilter{{Name: "envoy.filters.http.router", ConfigType: &hcmv3.HttpFilter_TypedConfig{TypedConfig: router}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	b := &bootstrapv3.Bootstrap{
		Admin: &bootstrapv3.Admin{Address: socket("127.0.0.1", 9901)},
		StaticResources: &bootstrapv3.Bootstrap_StaticResources{
			Listeners: []*listenerv3.Listener{{
				Name:    "listener-8080",
				Address: socket("0.0.0.0", 8080),
				FilterChains: []*listenerv3.FilterChain{{Filters: []*listenerv3.Filter{{
					Name: "envoy.filters.network.http_connection_manager", ConfigType: &listenerv3.Filter_TypedConfig{TypedConfig: hcm},
				}}}},
				PerConnectionBufferLimitBytes: wrapperspb.UInt32(32768),
			}},
		},
	}
	got, err := ProtoYAML(b)
	if err != nil {
		t.Fatal(err)
	}
	goldentest.CompareFile(t, "render/envoy/bootstrap.yaml", got)
}

func socket(addr string, port uint32) *corev3.Address {
	return &corev3.Address{Address: &corev3.Address_SocketAddress{SocketAddress: &corev3.SocketAddress{
		Address: addr, PortSpecifier: &corev3.SocketAddress_PortValue{PortValue: port},
	}}}
}
