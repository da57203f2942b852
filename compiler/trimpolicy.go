package compiler

import (
	"cmp"
	"encoding/json"
	"maps"
	"slices"
	"strconv"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// trimProxyConfigPolicy compiles TrimProxyConfigPolicy (resilience.policy.gloo.solo.io/v2): the
// sidecars of the selected workloads keep only the hosts of the included destinations. Istio
// takes one Sidecar per workload, so every policy selecting a Service's workloads adds its hosts
// to that Service's one Sidecar — the workspace's (serviceIsolation.trimProxyConfig,
// trimAllProxyConfig) when it has one, else trim-<service> — and policies never conflict: each
// adds destinations back, as Gloo describes the kind, and none can take away what another
// included. It runs after service isolation, before the generated-name check.
var trimProxyConfigPolicy = compiledPolicy{
	Kind:  kindTrim,
	apply: applyTrim,
	Fields: []fieldMapping{
		{"`applyToWorkloads[].selector{labels, name, namespace, cluster, workspace}`", "the Services of the policy's workspace whose pod selector carries the labels (name: the Service's name); each one's `Sidecar` has the Service's selector as `workloadSelector`; left out: every Service of the workspace", "—: sidecars only (docs/envoy.md)"},
		{"`applyToWorkloads[].kind`, `port`", "`KUBE` (the default); `VM` selects nothing (the inventory has no VMs); `port` changes nothing, as in Gloo (it is for kinds that select workload ports)", "—"},
		{"`config.includedDestinations[]`", "`egress[0].hosts`: `*/<host>` for each selected Service (its cluster-local name), VirtualDestination and ExternalService host, added to the workspace's `Sidecar` `settings-<service>-<workspace>` when it trims the Service, else a `Sidecar` `trim-<service>` in the Service's namespace", "—"},
	},
	Notes: []string{
		"Several TrimProxyConfigPolicies on one workload add up: its Sidecar lists the union of their hosts (and of the workspace's trimmed hosts). " +
			"A policy whose included destinations select nothing in a cluster does not trim there, as the API says. " +
			"Gateways are never selected (Istio does not apply a Sidecar to them), nor Services without a pod selector.",
	},
}

const kindTrim = "TrimProxyConfigPolicy"

// workloadPolicies are the kinds compiled once service isolation has made its Sidecars.
var workloadPolicies = []compiledPolicy{trimProxyConfigPolicy}

func isWorkloadKind(kind string) bool { return kindIn(workloadPolicies, kind) }

// compileWorkloadPolicies applies the workload kinds to every cluster.
func (b *builder) compileWorkloadPolicies() {
	for _, ci := range b.clusters {
		for _, k := range workloadPolicies {
			k.apply(b, ci)
		}
	}
}

type trimConfig struct {
	IncludedDestinations []schema.DestinationSelector `json:"includedDestinations"`
}

// workloadSelector is one applyToWorkloads entry (common.gloo.solo.io WorkloadSelector).
type workloadSelector struct {
	Selector *schema.ObjectSelector `json:"selector"`
	Kind     json.RawMessage        `json:"kind"`
}

// selectWorkloads returns the Services of ci whose workloads p selects: Services with a pod
// selector, not gateways, of p's workspace (workloads are never imported), matching an
// applyToWorkloads entry (every one when there is none).
func (b *builder) selectWorkloads(ci *clusterInfo, p *schema.Policy) []model.PolicyWorkload {
	var sels []workloadSelector
	if hasSelectors(p.Spec.ApplyToWorkloads) && json.Unmarshal(p.Spec.ApplyToWorkloads, &sels) != nil {
		return nil // the schema has already refused it
	}
	inScope, gateways := b.inPolicyScope(p), gatewayServices(ci)
	var out []model.PolicyWorkload
	for _, s := range ci.services {
		if len(s.Spec.Selector) == 0 || gateways[nsName{s.Namespace(), s.Name()}] || !inScope(&s.Object) {
			continue
		}
		if len(sels) == 0 || slices.ContainsFunc(sels, func(sel workloadSelector) bool { return b.workloadMatches(ci, s, sel) }) {
			out = append(out, model.PolicyWorkload{Namespace: s.Namespace(), Service: s.Name()})
		}
	}
	slices.SortFunc(out, func(x, y model.PolicyWorkload) int {
		return cmp.Or(cmp.Compare(x.Namespace, y.Namespace), cmp.Compare(x.Service, y.Service))
	})
	return out
}

// workloadMatches applies one workload selector to the pods of Service s: the pods carry at
// least the Service's selector labels, so the selector's labels must be among those.
func (b *builder) workloadMatches(ci *clusterInfo, s *schema.Service, sel workloadSelector) bool {
	if k := string(sel.Kind); k == `"VM"` || k == "1" {
		return false
	}
	o := sel.Selector
	if o == nil {
		return true
	}
	if w := b.ws.of[&s.Object]; o.Workspace != "" && (w == nil || w.Name() != o.Workspace) {
		return false
	}
	return (o.Name == "" || o.Name == s.Name()) && (o.Namespace == "" || o.Namespace == s.Namespace()) &&
		(o.Cluster == "" || o.Cluster == ci.name) && subset(o.Labels, s.Spec.Selector)
}

// applyTrim gives each selected Service of ci the union of the hosts its policies include.
func applyTrim(b *builder, ci *clusterInfo) {
	hosts := map[nsName]map[string]bool{}
	origins := map[nsName]*schema.Policy{}
	var cands []destCandidate // listed for the first trim policy only: most clusters have none
	for _, mp := range ci.out.Policies {
		p := b.set.Policies[b.policyInput[mp]]
		if p.Kind != kindTrim || len(mp.Workloads) == 0 {
			continue
		}
		if cands == nil {
			cands = b.destinationCandidates(ci)
		}
		var cfg trimConfig
		if !decodeConfig(b, p, &cfg) {
			continue
		}
		included := selectDestinations(cands, cfg.IncludedDestinations, false, func(sel int, c destCandidate) bool {
			return b.destinationInScope(p, "/spec/config/includedDestinations/"+strconv.Itoa(sel), cfg.IncludedDestinations[sel], c)
		})
		if len(included) == 0 {
			continue // Gloo does not trim a workload when the selection matches nothing
		}
		for _, w := range mp.Workloads {
			k := nsName{w.Namespace, w.Service}
			if hosts[k] == nil {
				hosts[k] = map[string]bool{}
			}
			if o := origins[k]; o == nil || cmp.Or(cmp.Compare(p.Namespace(), o.Namespace()), cmp.Compare(p.Name(), o.Name())) < 0 {
				origins[k] = p // the first by namespace and name: whatever the input order
			}
			for _, d := range included {
				hosts[k]["*/"+d.Host] = true
			}
		}
	}
	for _, k := range slices.SortedFunc(maps.Keys(hosts), compareNsName) {
		b.trimSidecar(ci, k, origins[k], slices.Sorted(maps.Keys(hosts[k])))
	}
}

// trimSidecar adds hosts to the Sidecar of Service k: the one service isolation made, or a new
// one whose origin is p.
func (b *builder) trimSidecar(ci *clusterInfo, k nsName, p *schema.Policy, hosts []string) {
	i := slices.IndexFunc(ci.out.Isolated, func(is *model.IsolatedService) bool { return is.Namespace == k.ns && is.Service == k.name })
	if i < 0 {
		svc := ci.svc[k]
		is := &model.IsolatedService{Origin: origin(&p.Object), Namespace: k.ns, Service: k.name, Selector: svc.Spec.Selector}
		if w := b.ws.of[&svc.Object]; w != nil {
			is.Workspace = w.Name()
		}
		ci.out.Isolated = append(ci.out.Isolated, is)
		i = len(ci.out.Isolated) - 1
	}
	is := ci.out.Isolated[i]
	if is.Sidecar == nil {
		is.Sidecar = &model.Sidecar{Name: naming.TrimSidecar(k.name)}
	}
	is.Sidecar.Hosts = slices.Compact(slices.Sorted(slices.Values(append(is.Sidecar.Hosts, hosts...))))
}
