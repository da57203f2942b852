package compiler

import (
	"fmt"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/locality"
	"github.com/meshroute/meshroute/schema"
)

var failoverPolicy = compiledPolicy{
	Kind:  "FailoverPolicy",
	apply: applyFailover,
	Fields: []fieldMapping{
		{"(the policy itself)", "`loadBalancer.localityLbSetting.enabled: true`", "endpoints grouped by `priority` per client locality"},
		{"`config.localityMappings[]` region to regions, no weights", "`localityLbSetting.failover[{from, to}]`, one per `to`", "the `to` regions one priority after the client's region"},
		{"`config.localityMappings[]` with a zone, subZone or weight", "`localityLbSetting.distribute[{from: region/zone/subZone, to: {region/zone/subZone: weight}}]` (`*` for the parts left out: `us-east-1/*`)", "`load_balancing_weight` per locality (`locality_weighted_lb_config`); localities left out get no traffic"},
		{"`config.priorityLabels.labels[]`", "`localityLbSetting.failoverPriority[]`; the labels on meshroute's endpoints", "endpoints grouped by `priority`: the more labels in order match the client's, the earlier"},
	},
	Notes: []string{
		"Failover only happens with outlier detection on the same destination (MR4023 otherwise), as in " +
			"Istio. Without mappings, locality failover is Istio's: the client's zone, then its region, then " +
			"the rest; the client's locality is its cluster's (Cluster `spec.locality`). Mapping weights left " +
			"out share what the written ones leave of 100 (MR4025 when they do not add up); mixing " +
			"region-only failover with zone or weighted mappings is refused (Istio takes failover or " +
			"distribute, not both). Priority labels may be topology.kubernetes.io/region, " +
			"topology.kubernetes.io/zone, topology.istio.io/subzone and topology.istio.io/network, alone or " +
			"as `key=value` — the labels meshroute knows for every cluster's endpoints and writes on its " +
			"WorkloadEntries and ServiceEntry endpoints (MR2024 otherwise). Gloo's API reference supports " +
			"FailoverPolicy on VirtualDestinations only: one selecting a Service is compiled (Istio honours " +
			"it) with warning MR2025.",
	},
}

// priorityLabelKeys are the labels meshroute knows for every endpoint (from the inventory).
var priorityLabelKeys = locality.Keys

// applyFailover compiles the FailoverPolicies, warning (MR2025) where one selects a Service.
func applyFailover(b *builder, ci *clusterInfo) {
	for _, w := range b.destinationWinners(ci, "FailoverPolicy") {
		if d := w.Dest; d.Kind == schema.DestService {
			p := w.Policy
			b.report(on(&p.Object, "/spec/applyToDestinations", diag.FailoverOnService(p.FieldPos("/spec/applyToDestinations"), p.Namespace()+"/"+p.Name(), d.Namespace+"/"+d.Name)).
				WithHint("select the VirtualDestination the Service backs (kind: VIRTUAL_DESTINATION)"))
		}
	}
	applyDestinations("FailoverPolicy", setFailover)(b, ci)
}

type failoverLocality struct {
	Region  string  `json:"region"`
	Zone    string  `json:"zone"`
	SubZone string  `json:"subZone"`
	Weight  *uint32 `json:"weight"`
}

type failoverConfig struct {
	LocalityMappings []struct {
		From *failoverLocality  `json:"from"`
		To   []failoverLocality `json:"to"`
	} `json:"localityMappings"`
	PriorityLabels *struct {
		Labels []string `json:"labels"`
	} `json:"priorityLabels"`
}

func setFailover(b *builder, p *schema.Policy, _ *model.Backend, dp *model.DestinationPolicy) bool {
	var c failoverConfig
	if !decodeConfig(p, &c) {
		return false
	}
	lb := &model.LocalityLB{}
	ok := true
	switch {
	case len(c.LocalityMappings) > 0:
		if c.PriorityLabels != nil {
			const at = "/spec/config/priorityLabels"
			b.report(on(&p.Object, at, diag.FailoverMappingsAndLabels(p.FieldPos(at), p.Namespace()+"/"+p.Name())).
				WithHint("remove priorityLabels, or localityMappings"))
		}
		ok = b.localityMappings(p, &c, lb)
	case c.PriorityLabels != nil:
		lb.FailoverPriority, ok = b.priorityLabels(p, c.PriorityLabels.Labels)
	}
	if !ok {
		return false
	}
	dp.Locality = lb
	return true
}

// localityMappings turns region-to-region mappings into failover entries and the others (a zone,
// a subzone or a weight) into distribute entries; Istio takes one of the two.
func (b *builder) localityMappings(p *schema.Policy, c *failoverConfig, lb *model.LocalityLB) bool {
	ok := true
	for i, m := range c.LocalityMappings {
		at := fmt.Sprintf("/spec/config/localityMappings/%d", i)
		from := failoverLocality{}
		if m.From != nil {
			from = *m.From
		}
		b.knownLocality(p, at+"/from", from)
		for j, t := range m.To {
			b.knownLocality(p, fmt.Sprintf("%s/to/%d", at, j), t)
		}
		if regionOnly(from) && !slices.ContainsFunc(m.To, func(t failoverLocality) bool { return !regionOnly(t) || t.Weight != nil }) {
			for _, t := range m.To {
				lb.Failover = append(lb.Failover, model.LocalityFailover{From: from.Region, To: t.Region})
			}
			continue
		}
		weights, good := distributeWeights(m.To)
		if !good {
			b.invalidPolicyValue(p, at+"/to", "has weights that do not add up to 100 (left-out weights share what the others leave, at least 1 each)")
			ok = false
			continue
		}
		d := model.LocalityDistribute{From: localityPattern(from)}
		for j, t := range m.To {
			d.To = append(d.To, model.LocalityWeight{Locality: localityPattern(t), Weight: weights[j]})
		}
		lb.Distribute = append(lb.Distribute, d)
	}
	if ok && lb.Failover != nil && lb.Distribute != nil {
		b.invalidPolicyValue(p, "/spec/config/localityMappings", "mixes region-to-region failover with zone or weighted mappings, which Istio cannot apply together")
		return false
	}
	return ok
}

func regionOnly(l failoverLocality) bool { return l.Region != "" && l.Zone == "" && l.SubZone == "" }

// localityPattern is Istio's "region/zone/subzone" ending in "*" for the parts left out (Istio
// takes the wildcard last only: us-east-1/*, us-east-1/us-east-1a/*).
func localityPattern(l failoverLocality) string {
	var parts []string
	for _, s := range []string{l.Region, l.Zone, l.SubZone} {
		if s == "" {
			return strings.Join(append(parts, "*"), "/")
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "/")
}

// distributeWeights fills the left-out weights with an equal share of what the written ones leave
// of 100 (the first ones get the remainder), as Gloo documents; ok is false when the weights cannot
// add up to exactly 100 with every locality getting at least 1.
func distributeWeights(to []failoverLocality) ([]uint32, bool) {
	var sum, unset uint64
	for _, t := range to {
		if t.Weight == nil {
			unset++
			continue
		}
		sum += uint64(*t.Weight)
	}
	if sum > 100 || unset == 0 && sum != 100 || unset > 0 && 100-sum < unset {
		return nil, false
	}
	out := make([]uint32, len(to))
	var given uint64
	for i, t := range to {
		if t.Weight != nil {
			out[i] = *t.Weight
			continue
		}
		share := (100 - sum) / unset
		if given < (100-sum)%unset {
			share++
		}
		given++
		out[i] = uint32(share)
	}
	return out, true
}

// knownLocality warns (MR2023) when no declared cluster is in the locality.
func (b *builder) knownLocality(p *schema.Policy, at string, l failoverLocality) {
	var have []string
	for _, ci := range b.clusters {
		cl := ci.c.Spec.Locality
		if cl == nil {
			continue
		}
		have = append(have, cl.Region, cl.String())
		if cl.Region == l.Region && (l.Zone == "" || cl.Zone == l.Zone) && (l.SubZone == "" || cl.Subzone == l.SubZone) {
			return
		}
	}
	want := strings.TrimRight(strings.Join([]string{l.Region, l.Zone, l.SubZone}, "/"), "/")
	d := on(&p.Object, at, diag.FailoverLocalityUnknown(p.FieldPos(at), configField(at), want))
	switch s := schema.Suggest(want, have); {
	case len(have) == 0:
		d = d.WithHint("no Cluster of the inventory declares spec.locality")
	case s != "":
		d = d.WithHint("did you mean %s?", s)
	default:
		d = d.WithHint("the clusters are in %s", joinComma(slices.Compact(sortedCopy(have))))
	}
	b.report(d)
}

// configField renders a JSON pointer under spec.config the way users read it:
// /spec/config/localityMappings/0/to/1 → localityMappings[0].to[1].
func configField(pointer string) string {
	var out strings.Builder
	for i, part := range strings.Split(strings.TrimPrefix(pointer, "/spec/config/"), "/") {
		switch {
		case part != "" && strings.Trim(part, "0123456789") == "":
			out.WriteString("[" + part + "]")
		case i > 0:
			out.WriteString("." + part)
		default:
			out.WriteString(part)
		}
	}
	return out.String()
}

// priorityLabels checks the keys (or key=value pairs: not both kinds in one list, as Gloo
// requires) against the labels meshroute's endpoints carry.
func (b *builder) priorityLabels(p *schema.Policy, labels []string) ([]string, bool) {
	ok := true
	pairs := 0
	for i, l := range labels {
		at := fmt.Sprintf("/spec/config/priorityLabels/labels/%d", i)
		key, _, isPair := strings.Cut(l, "=")
		if isPair {
			pairs++
		}
		if !slices.Contains(priorityLabelKeys, key) {
			d := on(&p.Object, at, diag.FailoverPriorityLabelUnknown(p.ValuePos(at), key))
			if s := schema.Suggest(key, priorityLabelKeys); s != "" {
				d = d.WithHint("did you mean %s?", s)
			} else {
				d = d.WithHint("meshroute's endpoints carry %s", joinComma(priorityLabelKeys))
			}
			b.report(d)
			ok = false
		}
	}
	if ok && pairs > 0 && pairs < len(labels) {
		b.invalidPolicyValue(p, "/spec/config/priorityLabels/labels", "mixes label keys with key=value pairs, which Gloo refuses")
		ok = false
	}
	return labels, ok
}
