package envoy

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/meshroute/meshroute/compiler"
	"github.com/meshroute/meshroute/compiler/model"
	_ "github.com/meshroute/meshroute/internal/goldentest" // registers -update
)

func ptr[T any](v T) *T { return &v }

// fixture is a hand-built two-cluster model, resolved as Build resolves its own: cluster-1's gateway has a plain HTTP port, two TLS
// listeners sharing 8443, and an httpsRedirect listener; one route table serves every host.
func fixture() *model.Model {
	vd := &model.Backend{
		Host: "global-app.example.com", Kind: model.BackendVirtualDestination, Namespace: "global",
		Ports: []*model.BackendPort{{Number: 8080, Name: "http-8080", Protocol: "HTTP", TargetPort: 9080}},
		Local: &model.LocalEndpoint{Service: "global-app", Namespace: "global", FQDN: "global-app.global.svc.cluster.local"},
		Remotes: []*model.RemoteEndpoint{
			{Cluster: "cluster-2", Address: "172.18.0.20", Port: 15443, Locality: "us-west-2/us-west-2b"},
			{Cluster: "cluster-3", Address: "172.18.0.30", Port: 15443, Locality: "us-west-2/us-west-2b"},
		},
	}
	remoteOnly := &model.Backend{
		Host: "db.data.svc.cluster-2.global", Kind: model.BackendFederated,
		Remotes: []*model.RemoteEndpoint{{Cluster: "cluster-2", Address: "172.18.0.20", Port: 15443}},
	}
	gw := &model.Gateway{
		Name: "virtualgateway-ingress-gloo-mesh", Namespace: "gateways", Service: "istio-ingressgateway",
		Listeners: []*model.Listener{
			{Port: 8443, PortName: "https-8443-a-example-com", Protocol: model.ProtocolHTTPS, Hosts: []string{"a.example.com"},
				TLS: &model.TLS{Mode: "SIMPLE", CredentialName: "a-cert"}},
			{Port: 8080, PortName: "http-8080-all", Protocol: model.ProtocolHTTP, Hosts: []string{"*"}},
			{Port: 8443, PortName: "https-8443-b-example-com", Protocol: model.ProtocolHTTPS, Hosts: []string{"b.example.com", "a.example.com"},
				TLS: &model.TLS{Mode: "MUTUAL", CredentialName: "b-cert"}},
			{Port: 8081, PortName: "http-8081-a-example-com", Protocol: model.ProtocolHTTP, Hosts: []string{"a.example.com"}, HTTPSRedirect: true},
		},
	}
	rs := &model.RouteSet{
		Name: "routetable-app-global", Namespace: "gateways", Hosts: []string{"*"}, Gateways: []*model.Gateway{gw},
		Routes: []*model.Route{
			{RouteID: &model.RouteID{Name: "app.app.global"}, Matchers: []*model.Matcher{{URI: &model.URIMatch{Kind: model.MatchPrefix, Value: "/global-app"}}},
				Forward: &model.Forward{PathRewrite: ptr("/"), HostRewrite: "global-app.example.com", Destinations: []*model.Destination{
					{Host: vd.Host, Port: 8080, Weight: 80, Backend: vd},
					{Host: "reviews.global.svc.cluster.local", Port: 9080, Weight: 20},
				}}},
			{RouteID: &model.RouteID{Name: "two.app.global"}, Matchers: []*model.Matcher{
				{URI: &model.URIMatch{Kind: model.MatchExact, Value: "/Exact", IgnoreCase: true}, Method: "GET"},
				{URI: &model.URIMatch{Kind: model.MatchRegex, Value: "/re/[a-z]+", IgnoreCase: true}, Port: 8443},
			}, Redirect: &model.Redirect{Host: "new.example.com", Path: "/moved", Code: 308}},
			{RouteID: &model.RouteID{Name: "db.app.global"}, Matchers: []*model.Matcher{{
				Headers: []model.HeaderMatch{{Name: "X-Env", Value: "prod"}, {Name: "x-debug", Present: true, Invert: true}, {Name: "x-re", Value: "a.*", Regex: true}},
				Query:   []model.QueryMatch{{Name: "q", Present: true}, {Name: "v", Value: "1"}},
			}}, Forward: &model.Forward{Destinations: []*model.Destination{{Host: remoteOnly.Host, Port: 5432, Backend: remoteOnly}}}},
			{RouteID: &model.RouteID{Name: "teapot.app.global"}, DirectResponse: &model.DirectResponse{Status: 418, Body: "short and stout"}},
		},
	}
	rs.Listeners = gw.Listeners
	// A second table claiming "*" again (MR3004 or MR3014 upstream: "*" is emitted once, with
	// this table's routes after the first's) and a mesh table, which has no place on a gateway.
	other := &model.RouteSet{Name: "routetable-other-global", Namespace: "gateways", Hosts: []string{"*", "extra.example.com"},
		Gateways: []*model.Gateway{gw}, Listeners: gw.Listeners, Routes: []*model.Route{{RouteID: &model.RouteID{Name: "other.other.global"}, DirectResponse: &model.DirectResponse{Status: 200}}}}
	mesh := &model.RouteSet{Name: "routetable-mesh-global", Namespace: "global", Hosts: []string{"mesh.example.com"}, Mesh: true,
		Routes: []*model.Route{{RouteID: &model.RouteID{Name: "mesh.mesh.global"}, DirectResponse: &model.DirectResponse{Status: 200}}}}
	c1 := &model.Cluster{Name: "cluster-1", Domain: "cluster.local", Locality: "us-east-1/us-east-1a",
		Gateways: []*model.Gateway{gw}, RouteSets: []*model.RouteSet{rs, other, mesh}, Backends: []*model.Backend{vd, remoteOnly}}
	m := &model.Model{Clusters: []*model.Cluster{c1, {Name: "cluster-2"}}}
	compiler.Resolve(m)
	return m
}

// jsonOf renders m as normalised JSON (protojson's spacing is deliberately unstable).
func jsonOf(t *testing.T, m proto.Message) any {
	t.Helper()
	b, err := protojson.MarshalOptions{UseProtoNames: true}.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// equalJSON compares m with the expected JSON text.
func equalJSON(t *testing.T, m proto.Message, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want: %v", err)
	}
	if diff := cmp.Diff(w, jsonOf(t, m)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
