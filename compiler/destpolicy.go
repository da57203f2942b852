package compiler

import (
	"cmp"
	"slices"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// Destination policies become the trafficPolicy of the host's DestinationRule, or the
// portLevelSettings of a port a selector names. They are compiled before the DestinationRules'
// exportTo and the generated-name check run, because a policy on a plain Service gives it a
// DestinationRule it would not have otherwise.

// destinationPolicies are the destination kinds, in the order their settings are merged and
// listed (docs/policies.md).
var destinationPolicies = []compiledPolicy{
	outlierDetectionPolicy,
	failoverPolicy,
	connectionPolicy,
	loadBalancerPolicy,
	clientTLSPolicy,
	accessPolicy,
}

// isDestinationKind reports whether compileDestinationPolicies compiles the kind (so the later
// compilePolicies leaves it alone).
func isDestinationKind(kind string) bool { return kindIn(destinationPolicies, kind) }

// compileDestinationPolicies writes the winning destination policies of every cluster into its
// backends, then settles each port's effective settings and what they mean for the endpoints.
func (b *builder) compileDestinationPolicies() {
	for _, ci := range b.clusters {
		for _, k := range destinationPolicies {
			k.apply(b, ci)
		}
		for _, be := range ci.out.Backends {
			b.finishDestinationPolicy(ci, be)
		}
	}
}

// setDestination writes one decoded policy into the settings of a host or port; it returns false
// when the policy cannot apply there (reported).
type setDestination func(b *builder, p *schema.Policy, be *model.Backend, dp *model.DestinationPolicy) bool

// applyDestinations is the apply function of a destination kind: each winner's settings go to
// the backend of its host, on every port or on the port it names.
func applyDestinations(kind string, set setDestination) func(b *builder, ci *clusterInfo) {
	return func(b *builder, ci *clusterInfo) {
		for _, w := range b.destinationWinners(ci, kind) {
			be := b.policyBackend(ci, w.Dest)
			if be == nil {
				continue
			}
			// Decoded apart, so that a policy refused here leaves no empty settings (an empty
			// portLevelSettings entry is invalid) and no DestinationRule behind.
			got := &model.DestinationPolicy{}
			if !set(b, w.Policy, be, got) {
				continue
			}
			if be.DestinationRule == "" {
				// A Service of the cluster, or an ExternalService host without TLS origination,
				// gets its DestinationRule when a policy applies to it.
				be.DestinationRule = naming.DestinationRule(be.Host)
				if be.Kind != model.BackendExternal {
					ci.out.Backends = append(ci.out.Backends, be)
				}
			}
			dp := policySlot(be, w.Dest.Port)
			mergeKinds(dp, got)
			dp.Sources = append(dp.Sources, origin(&w.Policy.Object))
		}
	}
}

// policyBackend finds the backend of a selected destination in the cluster.
func (b *builder) policyBackend(ci *clusterInfo, d model.PolicyDestination) *model.Backend {
	if d.Kind == schema.DestService && d.Cluster == ci.name {
		s := ci.svc[nsName{d.Namespace, d.Name}]
		if s == nil || ci.fqdn(s) != d.Host {
			return nil
		}
		return b.localBackend(ci, s)
	}
	for _, be := range ci.out.Backends {
		if slices.Contains(be.Hosts, d.Host) {
			return be
		}
	}
	return nil
}

// policySlot returns the settings a policy on port (0: every port) writes to.
func policySlot(be *model.Backend, port uint32) *model.DestinationPolicy {
	if port == 0 {
		if be.Policy == nil {
			be.Policy = &model.DestinationPolicy{}
		}
		return be.Policy
	}
	for _, pp := range be.PortPolicies {
		if pp.Port == port {
			return pp.Policy
		}
	}
	pp := &model.PortPolicy{Port: port, Policy: &model.DestinationPolicy{}}
	be.PortPolicies = append(be.PortPolicies, pp)
	slices.SortFunc(be.PortPolicies, func(x, y *model.PortPolicy) int { return cmp.Compare(x.Port, y.Port) })
	return pp.Policy
}

// finishDestinationPolicy completes each port's settings with the host's (a port-level entry
// replaces the host-level settings in Istio), warns about failover that cannot happen, and
// computes the endpoints' priorities and weights for this cluster's clients.
func (b *builder) finishDestinationPolicy(ci *clusterInfo, be *model.Backend) {
	if be.Policy == nil && be.PortPolicies == nil {
		return
	}
	for _, pp := range be.PortPolicies {
		inheritHost(pp.Policy, be.Policy)
	}
	all := []*model.DestinationPolicy{be.Policy}
	for _, pp := range be.PortPolicies {
		all = append(all, pp.Policy)
	}
	for i, dp := range all {
		if dp == nil {
			continue
		}
		if dp.Locality != nil && dp.Outlier == nil {
			target := be.Host
			if i > 0 {
				target = model.PolicyDestination{Host: be.Host, Port: be.PortPolicies[i-1].Port}.String()
			}
			b.warnFailoverWithoutOutlier(dp, target)
		}
		b.endpointOrder(ci, be, dp)
	}
	labelEndpoints(be, all)
}

// mergeKinds fills the kinds dst does not set with src's.
func mergeKinds(dst, src *model.DestinationPolicy) {
	dst.Outlier = cmp.Or(dst.Outlier, src.Outlier)
	dst.Locality = cmp.Or(dst.Locality, src.Locality)
	dst.Connection = cmp.Or(dst.Connection, src.Connection)
	dst.LoadBalancer = cmp.Or(dst.LoadBalancer, src.LoadBalancer)
	dst.TLS = cmp.Or(dst.TLS, src.TLS)
}

// inheritHost fills the kinds the port does not set with the host's settings, keeping Sources
// in kind order.
func inheritHost(port, host *model.DestinationPolicy) {
	if host == nil {
		return
	}
	mergeKinds(port, host)
	for _, s := range host.Sources {
		if !slices.ContainsFunc(port.Sources, func(o model.Origin) bool { return o.Kind == s.Kind }) {
			port.Sources = append(port.Sources, s)
		}
	}
	slices.SortStableFunc(port.Sources, func(x, y model.Origin) int { return cmp.Compare(kindRank(x.Kind), kindRank(y.Kind)) })
}

func kindRank(kind string) int {
	return slices.IndexFunc(destinationPolicies, func(c compiledPolicy) bool { return c.Kind == kind })
}

// warnFailoverWithoutOutlier reports MR4023 at the FailoverPolicy the settings come from (once
// for every cluster where the host is the same).
func (b *builder) warnFailoverWithoutOutlier(dp *model.DestinationPolicy, target string) {
	for _, s := range dp.Sources {
		if s.Kind != failoverPolicy.Kind {
			continue
		}
		for _, p := range b.set.Policies {
			if p.Kind == s.Kind && p.Namespace() == s.Namespace && p.Name() == s.Name {
				b.report(on(&p.Object, "", diag.FailoverWithoutOutlierDetection(p.FieldPos(""), p.Namespace()+"/"+p.Name(), target)).
					WithHint("add an OutlierDetectionPolicy selecting the same destination"))
			}
		}
	}
}
