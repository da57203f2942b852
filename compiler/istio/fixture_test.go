package istio

import "github.com/meshroute/meshroute/compiler/model"

// The hand-built models the unit tests translate: a two-cluster version of the seed scenario
// (an ingress gateway, a VirtualDestination backed in both clusters, a Service pinned to the
// other cluster) plus a mesh table, small enough to read next to the expectations.

var (
	vgOrigin = model.Origin{Kind: "VirtualGateway", Namespace: "gloo-mesh", Name: "istio-ingressgateway"}
	rtOrigin = model.Origin{Kind: "RouteTable", Namespace: "global", Name: "global-app-routes"}
	vdOrigin = model.Origin{Kind: "VirtualDestination", Namespace: "global", Name: "global-app-vd"}
	svOrigin = model.Origin{Kind: "Service", Namespace: "shop", Name: "reviews"}
)

func fixtureGateway() *model.Gateway {
	return &model.Gateway{
		Name: "virtualgateway-istio-ingressgateway-gloo-mesh", Namespace: "gloo-mesh-gateways",
		Origin: vgOrigin, Service: "istio-ingressgateway",
		Selector: map[string]string{"app": "istio-ingressgateway", "istio": "ingressgateway"},
		Listeners: []*model.Listener{
			{Port: 8080, ServicePort: 80, PortName: "http-8080-all", Protocol: model.ProtocolHTTP, Hosts: []string{"*"}},
		},
	}
}

func vdBackend(remotes ...*model.RemoteEndpoint) *model.Backend {
	return &model.Backend{
		Host: "global-app.example.com", Hosts: []string{"global-app.example.com"},
		Kind: model.BackendVirtualDestination, Namespace: "global", Origin: vdOrigin,
		ServiceEntry: "vd-global-app-example-com", DestinationRule: "dr-global-app-example-com",
		VIP:              "240.241.10.20",
		Ports:            []*model.BackendPort{{Number: 8080, Name: "http-8080", Protocol: "HTTP", TargetPort: 9080}},
		MTLS:             true,
		WorkloadSelector: map[string]string{"app": "global-app"},
		Remotes:          remotes,
	}
}

func remote2() *model.RemoteEndpoint {
	return &model.RemoteEndpoint{
		Cluster: "cluster-2", Address: "172.18.0.20", Port: 15443, Network: "network-2",
		Locality: "us-west-2/us-west-2b", WorkloadEntry: "vd-global-app-example-com-cluster-2",
	}
}

func fixtureModel() *model.Model {
	gw := fixtureGateway()
	vd := vdBackend(remote2())
	return &model.Model{Clusters: []*model.Cluster{{
		Name: "cluster-1", Domain: "cluster.local", Network: "network-1", Locality: "us-east-1/us-east-1a",
		Gateways: []*model.Gateway{gw},
		RouteSets: []*model.RouteSet{{
			Name: "routetable-global-app-routes-global", Namespace: "gloo-mesh-gateways", Origin: rtOrigin,
			Hosts: []string{"*"}, Gateways: []*model.Gateway{gw},
			Routes: []*model.Route{{
				RouteID:  &model.RouteID{Name: "global-app.global-app-routes.global"},
				Matchers: []*model.Matcher{{URI: &model.URIMatch{Kind: model.MatchPrefix, Value: "/global-app"}}},
				Forward: &model.Forward{Destinations: []*model.Destination{{
					Host: "global-app.example.com", Port: 8080, Kind: model.DestVirtualDestination,
					Namespace: "global", Name: "global-app-vd", Backend: vd,
				}}},
			}},
		}},
		Backends: []*model.Backend{vd},
	}}}
}
