package istio

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	networking "istio.io/api/networking/v1"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/naming"
)

func remote3() *model.RemoteEndpoint {
	return &model.RemoteEndpoint{
		Cluster: "cluster-3", Address: "172.18.0.30", Port: 16443, Network: "network-3",
		Locality: "eu-west-1", WorkloadEntry: "vd-global-app-example-com-cluster-3",
	}
}

// federated is reviews.shop pinned to cluster-2, as seen from cluster-1 (inline endpoints) or from
// cluster-2 itself (its own pods, selected).
func federated(owner bool) *model.Backend {
	b := &model.Backend{
		Host: "reviews.shop.svc.cluster-2.global", Hosts: []string{"reviews.shop.svc.cluster-2.global"},
		Kind: model.BackendFederated, Namespace: "shop", Origin: svOrigin,
		ServiceEntry: "fed-reviews-shop-cluster-2", DestinationRule: "dr-reviews-shop-svc-cluster-2-global",
		VIP:     "240.241.3.4",
		Ports:   []*model.BackendPort{{Number: 9080, Name: "http-9080", Protocol: "HTTP", TargetPort: 9080}},
		MTLS:    true,
		Subsets: []*model.Subset{{Name: "version-v2", Labels: map[string]string{"version": "v2"}}},
	}
	if owner {
		b.WorkloadSelector = map[string]string{"app": "reviews"}
	} else {
		b.Remotes = []*model.RemoteEndpoint{{Cluster: "cluster-2", Address: "172.18.0.20", Port: 15443,
			Network: "network-2", Locality: "us-west-2/us-west-2b"}}
	}
	return b
}

func TestBackendObjects(t *testing.T) {
	vdPorts := []*networking.ServicePort{{Number: 8080, Name: "http-8080", Protocol: "HTTP", TargetPort: 9080}}
	vdSE := func() *networking.ServiceEntry {
		return &networking.ServiceEntry{
			Hosts: []string{"global-app.example.com"}, Addresses: []string{"240.241.10.20"}, Ports: vdPorts,
			Location: networking.ServiceEntry_MESH_INTERNAL, Resolution: networking.ServiceEntry_STATIC,
			ExportTo: []string{"*"}, WorkloadSelector: &networking.WorkloadSelector{Labels: map[string]string{"app": "global-app"}},
		}
	}
	mtls := &networking.TrafficPolicy{Tls: &networking.ClientTLSSettings{Mode: networking.ClientTLSSettings_ISTIO_MUTUAL}}
	vdDR := &networking.DestinationRule{Host: "global-app.example.com", TrafficPolicy: mtls}
	// Every remote endpoint is marked as speaking Istio mTLS: istiod's split-horizon EDS drops a
	// cross-network endpoint without the label.
	we := func(addr string, port uint32, network, locality string) *networking.WorkloadEntry {
		return &networking.WorkloadEntry{Address: addr, Ports: map[string]uint32{"http-8080": port},
			Labels: map[string]string{"app": "global-app", "security.istio.io/tlsMode": "istio"}, Network: network, Locality: locality}
	}
	// Not backed here: the ServiceEntry selects meshroute's WorkloadEntries by their own label.
	vdRemoteOnly := vdBackend(remote2())
	vdRemoteOnly.WorkloadSelector = map[string]string{model.LabelVirtualDestination: "vd-global-app-example-com"}
	vdRemoteOnlySE := vdSE()
	vdRemoteOnlySE.WorkloadSelector = &networking.WorkloadSelector{Labels: map[string]string{model.LabelVirtualDestination: "vd-global-app-example-com"}}
	vdRemoteOnlyWE := &networking.WorkloadEntry{Address: "172.18.0.20", Ports: map[string]uint32{"http-8080": 15443},
		Labels:  map[string]string{model.LabelVirtualDestination: "vd-global-app-example-com", "security.istio.io/tlsMode": "istio"},
		Network: "network-2", Locality: "us-west-2/us-west-2b"}
	fedPorts := []*networking.ServicePort{{Number: 9080, Name: "http-9080", Protocol: "HTTP", TargetPort: 9080}}
	fedSE := func() *networking.ServiceEntry {
		return &networking.ServiceEntry{
			Hosts: []string{"reviews.shop.svc.cluster-2.global"}, Addresses: []string{"240.241.3.4"}, Ports: fedPorts,
			Location: networking.ServiceEntry_MESH_INTERNAL, Resolution: networking.ServiceEntry_STATIC, ExportTo: []string{"*"},
		}
	}
	fedDR := &networking.DestinationRule{Host: "reviews.shop.svc.cluster-2.global", TrafficPolicy: mtls,
		Subsets: []*networking.Subset{{Name: "version-v2", Labels: map[string]string{"version": "v2"}}}}
	fedRemote := fedSE()
	// The subset's labels on the gateway endpoint let the DestinationRule's subset find it.
	fedRemote.Endpoints = []*networking.WorkloadEntry{{Address: "172.18.0.20", Ports: map[string]uint32{"http-9080": 15443},
		Labels: map[string]string{"version": "v2", "security.istio.io/tlsMode": "istio"}, Network: "network-2", Locality: "us-west-2/us-west-2b"}}
	vdTwoHosts := vdBackend()
	vdTwoHosts.Hosts = []string{"global-app.example.com", "global-app.example.org"}
	vdTwoHosts.ExportTo = []string{"gloo-mesh-gateways", "global"}
	vdTwoHostsSE := vdSE()
	vdTwoHostsSE.Hosts = vdTwoHosts.Hosts
	vdTwoHostsDR := func(host string) *networking.DestinationRule {
		return &networking.DestinationRule{Host: host, TrafficPolicy: mtls, ExportTo: []string{"gloo-mesh-gateways", "global"}}
	}
	fedNoSubsets := federated(false)
	fedNoSubsets.Subsets = nil
	fedRemoteNoSubsets := fedSE()
	fedRemoteNoSubsets.Endpoints = []*networking.WorkloadEntry{{Address: "172.18.0.20", Ports: map[string]uint32{"http-9080": 15443},
		Labels: map[string]string{"security.istio.io/tlsMode": "istio"}, Network: "network-2", Locality: "us-west-2/us-west-2b"}}
	fedOwner := fedSE()
	fedOwner.WorkloadSelector = &networking.WorkloadSelector{Labels: map[string]string{"app": "reviews"}}

	type obj struct {
		kind, name string
		spec       proto.Message
	}
	tests := []struct {
		name    string
		backend *model.Backend
		want    []obj
	}{
		{"VD backed only here", vdBackend(), []obj{
			{"ServiceEntry", "vd-global-app-example-com", vdSE()},
			{"DestinationRule", "dr-global-app-example-com", vdDR},
		}},
		{"VD backed in three clusters: one WorkloadEntry per remote east-west gateway", vdBackend(remote2(), remote3()), []obj{
			{"ServiceEntry", "vd-global-app-example-com", vdSE()},
			{"WorkloadEntry", "vd-global-app-example-com-cluster-2", we("172.18.0.20", 15443, "network-2", "us-west-2/us-west-2b")},
			{"WorkloadEntry", "vd-global-app-example-com-cluster-3", we("172.18.0.30", 16443, "network-3", "eu-west-1")},
			{"DestinationRule", "dr-global-app-example-com", vdDR},
		}},
		{"VD backed only elsewhere: its WorkloadEntries, selected by meshroute's label", vdRemoteOnly, []obj{
			{"ServiceEntry", "vd-global-app-example-com", vdRemoteOnlySE},
			{"WorkloadEntry", "vd-global-app-example-com-cluster-2", vdRemoteOnlyWE},
			{"DestinationRule", "dr-global-app-example-com", vdDR},
		}},
		{"VD with two hosts: each DestinationRule exported where the model says", vdTwoHosts, []obj{
			{"ServiceEntry", "vd-global-app-example-com", vdTwoHostsSE},
			{"DestinationRule", "dr-global-app-example-com", vdTwoHostsDR("global-app.example.com")},
			{"DestinationRule", "dr-global-app-example-org", vdTwoHostsDR("global-app.example.org")},
		}},
		{"federated host outside its cluster, no subsets: one endpoint, marked mTLS", fedNoSubsets, []obj{
			{"ServiceEntry", "fed-reviews-shop-cluster-2", fedRemoteNoSubsets},
			{"DestinationRule", "dr-reviews-shop-svc-cluster-2-global", &networking.DestinationRule{Host: "reviews.shop.svc.cluster-2.global", TrafficPolicy: mtls}},
		}},
		{"federated host outside its cluster: inline endpoints", federated(false), []obj{
			{"ServiceEntry", "fed-reviews-shop-cluster-2", fedRemote},
			{"DestinationRule", "dr-reviews-shop-svc-cluster-2-global", fedDR},
		}},
		{"federated host in its own cluster: its pods, selected", federated(true), []obj{
			{"ServiceEntry", "fed-reviews-shop-cluster-2", fedOwner},
			{"DestinationRule", "dr-reviews-shop-svc-cluster-2-global", fedDR},
		}},
		{"local Service with subsets: a DestinationRule only, no mTLS override", &model.Backend{
			Host: "reviews.shop.svc.cluster.local", Hosts: []string{"reviews.shop.svc.cluster.local"},
			Kind: model.BackendService, Namespace: "shop", Origin: svOrigin,
			DestinationRule: "dr-reviews-shop-svc-cluster-local",
			Subsets:         []*model.Subset{{Name: "version-v1", Labels: map[string]string{"version": "v1"}}},
		}, []obj{
			{"DestinationRule", "dr-reviews-shop-svc-cluster-local", &networking.DestinationRule{Host: "reviews.shop.svc.cluster.local",
				Subsets: []*networking.Subset{{Name: "version-v1", Labels: map[string]string{"version": "v1"}}}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := backendObjects(tt.backend)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %d objects", ids(got), len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Kind != w.kind || g.Name != w.name || g.Namespace != tt.backend.Namespace {
					t.Errorf("object %d is %s %s/%s, want %s %s/%s", i, g.Kind, g.Namespace, g.Name, w.kind, tt.backend.Namespace, w.name)
				}
				if diff := cmp.Diff(w.spec, g.Spec, protocmp.Transform()); diff != "" {
					t.Errorf("%s %s (-want +got):\n%s", w.kind, w.name, diff)
				}
				if g.Labels[LabelParentName] != naming.DNSName(tt.backend.Origin.Name) {
					t.Errorf("%s %s labels %v do not name the parent", w.kind, w.name, g.Labels)
				}
			}
		})
	}
}
