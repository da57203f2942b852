package envoy

import (
	bootstrapv3 "github.com/envoyproxy/go-control-plane/envoy/config/bootstrap/v3"

	"github.com/meshroute/meshroute/eval"
	"github.com/meshroute/meshroute/naming"
)

// orderEndpoints reads each destination's cluster in the bootstrap: the priority and weight of
// every locality group, each endpoint named by the cluster it reaches — an east-west gateway
// address is that cluster's, a Service FQDN the gateway's own cluster — or, outside the mesh, by
// its address.
func (e *Evaluator) orderEndpoints(ds []eval.Destination, b *bootstrapv3.Bootstrap) {
	for i, d := range ds {
		name := naming.EnvoyCluster(d.Port, d.Subset, d.Host)
		for _, c := range b.GetStaticResources().GetClusters() {
			if c.GetName() != name {
				continue
			}
			var eps []eval.Endpoint
			for _, group := range c.GetLoadAssignment().GetEndpoints() {
				for _, lb := range group.GetLbEndpoints() {
					addr := lb.GetEndpoint().GetAddress().GetSocketAddress().GetAddress()
					cluster := e.inv.Cluster
					if _, _, domain, ok := naming.ParseServiceFQDN(addr); !ok || domain != e.inv.Domain {
						cluster = e.inv.EndpointKey(addr)
					}
					eps = append(eps, eval.Endpoint{Cluster: cluster, Priority: group.GetPriority(), Weight: group.GetLoadBalancingWeight().GetValue()})
				}
			}
			ds[i].Endpoints = eval.OrderedEndpoints(eps)
		}
	}
}
