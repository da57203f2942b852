package istio

import (
	"maps"
	"slices"
	"strings"

	networking "istio.io/api/networking/v1"

	"github.com/meshroute/meshroute/eval"
	"github.com/meshroute/meshroute/internal/locality"
)

// orderEndpoints reads, for each destination, its DestinationRule's locality settings and
// outlier detection for the port (a portLevelSettings entry replaces the host's) and the
// endpoints of its host, and orders them as istiod would for a proxy of this cluster. Istio's
// mesh default enables locality load balancing, so a rule without localityLbSetting still fails
// over by locality once outlier detection is on.
func (e *Evaluator) orderEndpoints(ds []eval.Destination) {
	loc, network := e.inv.Topology(e.inv.Cluster)
	client := locality.Labels(loc, network)
	for i, d := range ds {
		lb, outlier := e.destinationSettings(d.Host, d.Port)
		if lb != nil && lb.GetEnabled() != nil && !lb.GetEnabled().GetValue() {
			continue
		}
		eps := e.hostEndpoints(d.Host, client)
		var out []eval.Endpoint
		switch {
		case len(lb.GetDistribute()) > 0:
			var dist []locality.Distribute
			for _, dd := range lb.GetDistribute() {
				ld := locality.Distribute{From: dd.GetFrom()}
				for _, l := range slices.Sorted(maps.Keys(dd.GetTo())) {
					ld.To = append(ld.To, locality.Weight{Locality: l, Weight: dd.GetTo()[l]})
				}
				dist = append(dist, ld)
			}
			weights := locality.Weights(eps, client, dist)
			for _, ep := range eps {
				if w := weights[ep.Key]; weights == nil || w > 0 {
					out = append(out, eval.Endpoint{Cluster: ep.Key, Weight: w})
				}
			}
		case outlier != nil:
			var failover []locality.Failover
			for _, f := range lb.GetFailover() {
				failover = append(failover, locality.Failover{From: f.GetFrom(), To: f.GetTo()})
			}
			prio := locality.Priorities(eps, client, failover, lb.GetFailoverPriority())
			for _, ep := range eps {
				out = append(out, eval.Endpoint{Cluster: ep.Key, Priority: prio[ep.Key]})
			}
		}
		ds[i].Endpoints = eval.OrderedEndpoints(out)
	}
}

// destinationSettings are the locality settings and outlier detection of the host's
// DestinationRule on port.
func (e *Evaluator) destinationSettings(host string, port uint32) (*networking.LocalityLoadBalancerSetting, *networking.OutlierDetection) {
	for _, o := range e.objects {
		dr, ok := o.Spec.(*networking.DestinationRule)
		if !ok || !strings.EqualFold(dr.GetHost(), host) {
			continue
		}
		tp := dr.GetTrafficPolicy()
		for _, pl := range tp.GetPortLevelSettings() {
			if pl.GetPort().GetNumber() == port {
				return pl.GetLoadBalancer().GetLocalityLbSetting(), pl.GetOutlierDetection()
			}
		}
		return tp.GetLoadBalancer().GetLocalityLbSetting(), tp.GetOutlierDetection()
	}
	return nil, nil
}

// hostEndpoints are the backing clusters of a host with their labels: the pods a ServiceEntry's
// workloadSelector picks in this cluster (when a Service here has that selector) and the
// WorkloadEntries it picks, or its inline endpoints; a host without ServiceEntry is a Service of
// this cluster. Remote endpoints are named by their east-west gateway's cluster, external ones
// by their address.
func (e *Evaluator) hostEndpoints(host string, client map[string]string) []locality.Endpoint {
	local := locality.Endpoint{Key: e.inv.Cluster, Labels: client}
	var se *networking.ServiceEntry
	var seNamespace string
	for _, o := range e.objects {
		if s, ok := o.Spec.(*networking.ServiceEntry); ok && slices.ContainsFunc(s.GetHosts(), func(h string) bool { return strings.EqualFold(h, host) }) {
			se, seNamespace = s, o.Namespace
			break
		}
	}
	if se == nil {
		return []locality.Endpoint{local}
	}
	var out []locality.Endpoint
	add := func(we *networking.WorkloadEntry) {
		labels := locality.Labels(we.GetLocality(), we.GetNetwork())
		maps.Copy(labels, we.GetLabels())
		key := e.inv.EndpointKey(we.GetAddress())
		if !slices.ContainsFunc(out, func(ep locality.Endpoint) bool { return ep.Key == key }) {
			out = append(out, locality.Endpoint{Key: key, Labels: labels})
		}
	}
	sel := se.GetWorkloadSelector().GetLabels()
	if sel == nil {
		for _, we := range se.GetEndpoints() {
			add(we)
		}
		return out
	}
	if e.inv.ServiceSelected(sel) {
		out = append(out, local)
	}
	for _, o := range e.objects {
		if we, ok := o.Spec.(*networking.WorkloadEntry); ok && o.Namespace == seNamespace && selects(sel, we.GetLabels()) {
			add(we)
		}
	}
	return out
}

func selects(selector, labels map[string]string) bool {
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}
