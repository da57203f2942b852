package compiler

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/locality"
)

// backendIn returns the backend of host in cluster c, or nil.
func backendIn(m *model.Model, c, host string) *model.Backend {
	for _, be := range m.Cluster(c).Backends {
		if be.Host == host {
			return be
		}
	}
	return nil
}

func TestDestinationPolicySettings(t *testing.T) {
	const od, fo, cp, lb = "resilience/OutlierDetectionPolicy", "resilience/FailoverPolicy", "resilience/ConnectionPolicy", "trafficcontrol/LoadBalancerPolicy"
	gloo := &model.OutlierDetection{Consecutive5xx: 5, Interval: 10 * time.Second, BaseEjectionTime: 30 * time.Second, MaxEjectionPercent: 100}
	for _, tc := range []struct {
		name     string
		policies []string
		host     string
		want     *model.DestinationPolicy
		ports    []*model.PortPolicy
		codes    []string
	}{
		{"outlier: Gloo's defaults", []string{policyDoc(od, "applyToDestinations: [{kind: VIRTUAL_DESTINATION}]")},
			"reviews.global", &model.DestinationPolicy{Outlier: gloo}, nil, nil},
		{"outlier: 0% is Istio's 10%", []string{policyDoc(od, "applyToDestinations: [{kind: VIRTUAL_DESTINATION}], config: {maxEjectionPercent: 0, consecutiveErrors: 2, interval: 1.5s}")},
			"reviews.global", &model.DestinationPolicy{Outlier: &model.OutlierDetection{Consecutive5xx: 2, Interval: 1500 * time.Millisecond, BaseEjectionTime: 30 * time.Second, MaxEjectionPercent: 10}}, nil, []string{"MR4022"}},
		{"failover region to region", []string{
			policyDoc(od, "applyToDestinations: [{kind: VIRTUAL_DESTINATION}]"),
			policyDoc(fo, "applyToDestinations: [{kind: VIRTUAL_DESTINATION}], config: {localityMappings: [{from: {region: r1}, to: [{region: r1}]}]}"),
		}, "reviews.global", &model.DestinationPolicy{Outlier: gloo, Locality: &model.LocalityLB{Failover: []model.LocalityFailover{{From: "r1", To: "r1"}}}}, nil, nil},
		{"failover with weights distributes", []string{
			policyDoc(od, "applyToDestinations: [{kind: VIRTUAL_DESTINATION}]"),
			policyDoc(fo, "applyToDestinations: [{kind: VIRTUAL_DESTINATION}], config: {localityMappings: [{from: {region: r1}, to: [{region: r1, zone: z1, weight: 70}, {region: r1}]}]}"),
		}, "reviews.global", &model.DestinationPolicy{Outlier: gloo, Locality: &model.LocalityLB{Distribute: []model.LocalityDistribute{
			{From: "r1/*", To: []model.LocalityWeight{{Locality: "r1/z1/*", Weight: 70}, {Locality: "r1/*", Weight: 30}}},
		}}}, nil, nil},
		{"weights over 100 refused", []string{
			policyDoc(fo, "applyToDestinations: [{kind: VIRTUAL_DESTINATION}], config: {localityMappings: [{from: {region: r1}, to: [{region: r1, weight: 70}, {region: r1, zone: z1, weight: 40}]}]}"),
		}, "reviews.global", nil, nil, []string{"MR4025"}},
		{"port settings inherit the host's other kinds", []string{
			policyDoc(cp, "applyToDestinations: [{selector: {name: ratings}}], config: {tcp: {maxConnections: 10}}"),
			policyDoc(lb, "applyToDestinations: [{selector: {name: ratings}, port: {name: grpc}}], config: {consistentHash: {useSourceIp: true}}"),
		}, "ratings.app.svc.cluster.local", &model.DestinationPolicy{Connection: &model.ConnectionPool{TCP: &model.TCPPool{MaxConnections: 10}}},
			[]*model.PortPolicy{{Port: 9090, Policy: &model.DestinationPolicy{
				Connection:   &model.ConnectionPool{TCP: &model.TCPPool{MaxConnections: 10}},
				LoadBalancer: &model.LoadBalancer{Hash: &model.ConsistentHash{SourceIP: true}},
			}}}, nil},
		{"panic threshold refused: no DestinationRule", []string{
			policyDoc(lb, "applyToDestinations: [{selector: {name: ratings}}], config: {simple: ROUND_ROBIN, healthyPanicThreshold: 40}"),
		}, "ratings.app.svc.cluster.local", nil, nil, []string{"MR4025"}},
		{"client TLS without a mode changes nothing", []string{
			policyDoc("security/ClientTLSPolicy", "applyToDestinations: [{selector: {name: ratings}, port: {number: 9090}}]"),
		}, "ratings.app.svc.cluster.local", nil, nil, nil},
		{"client TLS on a VirtualDestination refused", []string{
			policyDoc("security/ClientTLSPolicy", "applyToDestinations: [{kind: VIRTUAL_DESTINATION}], disable: {}"),
		}, "reviews.global", nil, nil, []string{"MR4024"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, ds := build(t, append([]string{policyRoutes}, tc.policies...)...)
			var got []string
			for _, d := range ds {
				if d.Severity != diag.Info {
					got = append(got, d.Code)
				}
			}
			if diff := cmp.Diff(tc.codes, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			be := backendIn(m, "c1", tc.host)
			if be == nil {
				if tc.want != nil || tc.ports != nil {
					t.Fatalf("no backend %s", tc.host)
				}
				return // a Service whose only policy was refused gets no DestinationRule
			}
			ignore := cmpopts.IgnoreFields(model.DestinationPolicy{}, "Sources", "EndpointPriority", "EndpointWeight")
			if diff := cmp.Diff(tc.want, be.Policy, ignore); diff != "" {
				t.Errorf("host settings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.ports, be.PortPolicies, ignore); diff != "" {
				t.Errorf("port settings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDestinationPolicyGivesServiceARule(t *testing.T) {
	m, _ := build(t, policyRoutes, policyDoc("resilience/OutlierDetectionPolicy", "applyToDestinations: [{selector: {name: ratings}}]"))
	be := backendIn(m, "c1", "ratings.app.svc.cluster.local")
	if be == nil {
		t.Fatal("no backend for ratings")
	}
	if be.DestinationRule != "dr-ratings-app-svc-cluster-local" || be.Policy == nil || be.Policy.Outlier == nil {
		t.Errorf("ratings backend: rule %q, policy %+v", be.DestinationRule, be.Policy)
	}
	if got := be.Policy.Sources; len(got) != 1 || got[0].Kind != "OutlierDetectionPolicy" || got[0].Pos.Line == 0 {
		t.Errorf("sources: %+v", got)
	}
}

func TestEndpointOrder(t *testing.T) {
	outlier := &model.OutlierDetection{Consecutive5xx: 5}
	// The client is in c1 (r1/z1, network n1); c2 shares its zone's region, c3 is elsewhere.
	ci := &clusterInfo{name: "c1", out: &model.Cluster{Locality: "r1/z1", Network: "n1"}}
	be := &model.Backend{Local: &model.LocalEndpoint{}, Remotes: []*model.RemoteEndpoint{
		{Cluster: "c2", Locality: "r1/z2", Network: "n2"},
		{Cluster: "c3", Locality: "r2/z3", Network: "n3"},
		{Cluster: "c4", Locality: "r3/z4", Network: "n1"},
	}}
	for _, tc := range []struct {
		name       string
		dp         *model.DestinationPolicy
		priorities map[string]uint32
		weights    map[string]uint32
	}{
		{"no outlier detection: no failover", &model.DestinationPolicy{Locality: &model.LocalityLB{}}, nil, nil},
		{"Istio's default order", &model.DestinationPolicy{Outlier: outlier},
			map[string]uint32{"c1": 0, "c2": 1, "c3": 2, "c4": 2}, nil},
		{"failover region first", &model.DestinationPolicy{Outlier: outlier, Locality: &model.LocalityLB{Failover: []model.LocalityFailover{{From: "r1", To: "r3"}}}},
			map[string]uint32{"c1": 0, "c2": 1, "c3": 3, "c4": 2}, nil},
		{"priority labels", &model.DestinationPolicy{Outlier: outlier, Locality: &model.LocalityLB{FailoverPriority: []string{locality.Network, locality.Region}}},
			map[string]uint32{"c1": 0, "c2": 2, "c3": 2, "c4": 1}, nil},
		{"priority label with a value", &model.DestinationPolicy{Outlier: outlier, Locality: &model.LocalityLB{FailoverPriority: []string{locality.Region + "=r2"}}},
			map[string]uint32{"c1": 1, "c2": 1, "c3": 0, "c4": 1}, nil},
		{"distribute from the client's region", &model.DestinationPolicy{Locality: &model.LocalityLB{Distribute: []model.LocalityDistribute{
			{From: "r2/*", To: []model.LocalityWeight{{Locality: "r2/*", Weight: 100}}},
			{From: "r1/*", To: []model.LocalityWeight{{Locality: "r1/*", Weight: 80}, {Locality: "r2/z3/*", Weight: 20}}},
		}}}, nil, map[string]uint32{"c1": 40, "c2": 40, "c3": 20}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			(&builder{}).endpointOrder(ci, be, tc.dp)
			if diff := cmp.Diff(tc.priorities, tc.dp.EndpointPriority); diff != "" {
				t.Errorf("priorities (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.weights, tc.dp.EndpointWeight); diff != "" {
				t.Errorf("weights (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDistributeWeights(t *testing.T) {
	w := func(v uint32) *uint32 { return &v }
	for _, tc := range []struct {
		name string
		to   []failoverLocality
		want []uint32
		ok   bool
	}{
		{"all written", []failoverLocality{{Weight: w(60)}, {Weight: w(40)}}, []uint32{60, 40}, true},
		{"left out share the rest", []failoverLocality{{Weight: w(50)}, {}, {}, {}}, []uint32{50, 17, 17, 16}, true},
		{"none written", []failoverLocality{{}, {}}, []uint32{50, 50}, true},
		{"under 100", []failoverLocality{{Weight: w(60)}, {Weight: w(30)}}, nil, false},
		{"nothing left", []failoverLocality{{Weight: w(100)}, {}}, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := distributeWeights(tc.to)
			if ok != tc.ok || !cmp.Equal(got, tc.want) {
				t.Errorf("distributeWeights = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}
