package compiler

import (
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/schema"
)

var mirrorPolicy = compiledPolicy{
	Kind:  kindMirror,
	apply: applyMirror,
	Fields: []fieldMapping{
		{"`config.destination` (resolved like a `forwardTo` destination, per cluster)", "`http[].mirror` `{host, port.number, subset}`", "route `request_mirror_policies[].cluster` (the destination's cluster, defined like a forward destination's)"},
		{"`config.percentage` (left out: 100)", "`http[].mirrorPercentage.value`", "`request_mirror_policies[].runtime_fraction` (millionths)"},
	},
	Notes: []string{
		"The mirror destination is resolved like a `forwardTo` destination, in each cluster where the policy selects a route, so it gets what a forward destination gets: " +
			"a federated ServiceEntry for a Service of another cluster, its subset in the host's DestinationRule, and that DestinationRule exported to the namespaces of the routes that mirror to it. " +
			"A destination that does not resolve is the same error as in a RouteTable (MR2002 and others); a destination other than a SERVICE or VIRTUAL_DESTINATION `ref` is MR4029.",
	},
}

// mirrorState is every MirrorPolicy resolved per cluster, and, per cluster and mirrored host,
// the namespaces whose proxies mirror to it (for the host's DestinationRule exportTo).
type mirrorState struct {
	byPolicy map[mirrorKey]*model.Mirror
	users    map[string]map[string]map[string]bool
}

// mirrorKey names a MirrorPolicy in one cluster.
type mirrorKey struct {
	policy  *schema.Policy
	cluster string
}

type mirrorConfig struct {
	Destination *schema.DestinationReference `json:"destination"`
	Percentage  *float64                     `json:"percentage"`
}

// resolveMirrors resolves the destination of every MirrorPolicy in each cluster where it selects
// a route. It runs with the routes' own destinations, before the backends are finished, so a
// mirror host gets its ServiceEntry, subsets, VIP and DestinationRule export like any forward
// destination.
func (b *builder) resolveMirrors() {
	b.mirrors = mirrorState{byPolicy: map[mirrorKey]*model.Mirror{}, users: map[string]map[string]map[string]bool{}}
	for _, p := range b.set.Policies {
		if p.Kind != kindMirror {
			continue
		}
		cfg, ok := decodeMirror(b, p)
		pct, pok := b.policyPercentage(p, "/spec/config/percentage", cfg.Percentage)
		if !ok || !pok {
			continue
		}
		for _, ci := range b.clusters {
			selected := b.selectRoutes(ci, p)
			if len(selected) == 0 {
				continue
			}
			d, ok := b.resolveDestination(ci, &p.Object, &p.Object, "/spec/config/destination", cfg.Destination)
			if !ok {
				continue
			}
			b.mirrors.byPolicy[mirrorKey{p, ci.name}] = &model.Mirror{Destination: ci.shared.destination(d), Percentage: pct}
			for _, pr := range selected {
				b.mirrors.use(ci, pr.Set, d.Host)
			}
		}
	}
}

// use records that the proxies of route set name in ci mirror to host.
func (m mirrorState) use(ci *clusterInfo, name, host string) {
	for _, rs := range ci.out.RouteSets {
		if rs.Name != name {
			continue
		}
		if m.users[ci.name] == nil {
			m.users[ci.name] = map[string]map[string]bool{}
		}
		if m.users[ci.name][host] == nil {
			m.users[ci.name][host] = map[string]bool{}
		}
		for _, ns := range setNamespaces(rs) {
			m.users[ci.name][host][ns] = true
		}
	}
}

func decodeMirror(b *builder, p *schema.Policy) (mirrorConfig, bool) {
	var cfg mirrorConfig
	if !decodeConfig(b, p, &cfg) {
		return cfg, false
	}
	switch d := cfg.Destination; {
	case d == nil:
		b.invalidRoutePolicy(p, "/spec/config", "config.destination is required: where to mirror requests")
		return cfg, false
	case d.Ref.Name == "":
		b.invalidRoutePolicy(p, "/spec/config/destination", "the mirror destination must be a ref to a Service or VirtualDestination (awsLambda is not supported)")
		return cfg, false
	case d.DestinationKind() != schema.DestService && d.DestinationKind() != schema.DestVirtualDestination:
		b.invalidRoutePolicy(p, "/spec/config/destination/kind", "the mirror destination must be a SERVICE or VIRTUAL_DESTINATION, not "+d.Kind)
		return cfg, false
	}
	return cfg, true
}

// applyMirror puts the mirrors resolveMirrors found on the routes each policy wins.
func applyMirror(b *builder, ci *clusterInfo) {
	resolved := func(b *builder, p *schema.Policy) (*model.Mirror, bool) {
		m := b.mirrors.byPolicy[mirrorKey{p, ci.name}]
		return m, m != nil
	}
	applyRouteWinners(b, ci, kindMirror, resolved, func(r *model.Route, _ []int, m *model.Mirror, _ *schema.Policy) {
		r.Policies.Mirror = m
	})
}
