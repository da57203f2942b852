package compiler

import (
	"cmp"
	"encoding/json"
	"maps"
	"slices"
	"strconv"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// accessPolicy compiles AccessPolicy (security.policy.gloo.solo.io/v2): additive allow-lists, so
// every policy selecting a Service port gets its own ALLOW AuthorizationPolicy there — Istio
// admits what any ALLOW policy admits, as Gloo merges AccessPolicies into one allow-list — and
// there is no winner and no conflict. It is compiled with the destination kinds, before the
// generated-name check. Under service isolation, a port an AccessPolicy selects loses the
// workspace's allow-list (narrowByAccessPolicies): the policies' clients replace it.
var accessPolicy = compiledPolicy{
	Kind:  kindAccess,
	apply: applyAccess,
	Fields: []fieldMapping{
		{"`applyToDestinations` (Services)", "an `AuthorizationPolicy` `access-<policy>-<policy ns>-<service>-<port>` per selected Service port, in the Service's namespace, `selector.matchLabels` = the Service's selector, ALLOW (Istio's default action, so `action` is left out); under service isolation the port's `settings-…` AuthorizationPolicy is left out, so the policies' clients replace the workspace's", "—: the destinations' sidecars enforce it (docs/envoy.md)"},
		{"`config.authz`, `config.authzList[]`", "one rule each, in that order; `to.operation.ports` = the pod port", "—"},
		{"(a port selector)", "the Service's other pod ports stay open: `AuthorizationPolicy` `access-<service>-other-ports` admitting any client with `to.operation.notPorts` = the selected ports (not under service isolation, which covers every port)", "—"},
		{"`allowedClients[].serviceAccountSelector{name, namespace, cluster}`", "`from.source.principals`: `<cluster>/ns/<namespace>/sa/<name>` (every declared cluster when left out; name left out: `…/sa/*`; namespace left out: every namespace of the policy's workspace that holds a Service of the inventory, refused without Workspaces)", "—"},
		{"`allowedPaths`, `allowedMethods`", "`to.operation.paths`, `to.operation.methods`", "—"},
		{"`match.request.headers{name: {values, notValues}}`", "`when: [{key: request.headers[name], values, notValues}]`", "—"},
	},
	Notes: []string{
		"AccessPolicies add to each other (Istio admits what any ALLOW policy admits) and replace service isolation's allow-list on the ports they select. " +
			"Refused (MR4039): `authn` (its PeerAuthentication would compete with service isolation's), " +
			"`applyToWorkloads`, IP blocks, request principals, external workloads, service accounts by labels or workspace, " +
			"without a namespace when the input declares no Workspaces, `dryRun`, the CNI enforcement layer, and destinations other than Services.",
	},
}

const kindAccess = "AccessPolicy"

type accessConfig struct {
	Authn             json.RawMessage `json:"authn"`
	Authz             *accessAuthz    `json:"authz"`
	AuthzList         []accessAuthz   `json:"authzList"`
	EnforcementLayers *struct {
		CNI bool `json:"cni"`
	} `json:"enforcementLayers"`
}

type accessAuthz struct {
	AllowedClients []struct {
		ServiceAccountSelector   *schema.ObjectSelector `json:"serviceAccountSelector"`
		ExternalWorkloadSelector json.RawMessage        `json:"externalWorkloadSelector"`
		RequestIdentityMatcher   json.RawMessage        `json:"requestIdentityMatcher"`
	} `json:"allowedClients"`
	AllowedPaths   []string `json:"allowedPaths"`
	AllowedMethods []string `json:"allowedMethods"`
	Match          *struct {
		Request *struct {
			Headers map[string]struct {
				Values    []string `json:"values"`
				NotValues []string `json:"notValues"`
			} `json:"headers"`
		} `json:"request"`
	} `json:"match"`
	AllowedIPBlocks       []string `json:"allowedIpBlocks"`
	AllowedRemoteIPBlocks []string `json:"allowedRemoteIpBlocks"`
	DryRun                bool     `json:"dryRun"`
}

// applyAccess turns every AccessPolicy selecting Services of the cluster into grants.
func applyAccess(b *builder, ci *clusterInfo) {
	for _, mp := range ci.out.Policies {
		p := b.set.Policies[b.policyInput[mp]]
		if p.Kind != kindAccess {
			continue
		}
		rules, ok := b.accessRules(p)
		if !ok {
			continue
		}
		for _, d := range mp.Destinations {
			if d.Kind != schema.DestService {
				b.refuseAccess(p, "/spec/applyToDestinations", "applyToDestinations of kind "+d.Kind, "AccessPolicy applies to Services only")
				continue
			}
			svc := ci.svc[nsName{d.Namespace, d.Name}]
			if d.Cluster != ci.name || svc == nil {
				continue // another cluster's Service: granted in its own cluster
			}
			ci.out.Access = append(ci.out.Access, b.accessGrants(p, svc, d.Port, rules)...)
		}
	}
	sortGrants(ci.out.Access)
}

// accessGrants are p's grants on the selected port (0: every port) of svc.
func (b *builder) accessGrants(p *schema.Policy, svc *schema.Service, port uint32, rules []model.AccessRule) []*model.AccessGrant {
	if len(svc.Spec.Selector) == 0 {
		b.refuseAccess(p, "/spec/applyToDestinations", "the selection of Service "+nsSlashName(&svc.Object), "the Service has no pod selector, so no AuthorizationPolicy can select its workloads")
		return nil
	}
	var out []*model.AccessGrant
	for _, sp := range svc.Spec.Ports {
		if port != 0 && sp.Port != port {
			continue
		}
		target, name := sp.Target()
		if name != "" {
			b.refuseAccess(p, "/spec/applyToDestinations", "port "+strconv.Itoa(int(sp.Port))+" of Service "+nsSlashName(&svc.Object), "it targets the named pod port "+strconv.Quote(name)+", and Istio needs its number")
			continue
		}
		out = append(out, &model.AccessGrant{Name: naming.AccessPolicy(p.Name(), p.Namespace(), svc.Name(), sp.Port), Namespace: svc.Namespace(),
			Origin: origin(&p.Object), Service: svc.Name(), Selector: svc.Spec.Selector, TargetPort: target, Rules: rules})
	}
	return out
}

// accessRules decodes p's authorization into rules, or refuses what cannot be compiled (MR4039).
func (b *builder) accessRules(p *schema.Policy) ([]model.AccessRule, bool) {
	var cfg accessConfig
	if !decodeConfig(b, p, &cfg) {
		return nil, false
	}
	ok := true
	refuse := func(path, field, why string) {
		b.refuseAccess(p, path, field, why)
		ok = false
	}
	if hasSelectors(p.Spec.ApplyToWorkloads) {
		refuse("/spec/applyToWorkloads", "applyToWorkloads", "meshroute selects Services, not workloads by label")
	}
	if len(cfg.Authn) > 0 {
		refuse("/spec/config/authn", "authn", "its PeerAuthentication would compete with service isolation's")
	}
	if cfg.EnforcementLayers != nil && cfg.EnforcementLayers.CNI {
		refuse("/spec/config/enforcementLayers", "enforcementLayers.cni", "meshroute emits no Cilium network policies")
	}
	var entries []accessAuthz
	var paths []string
	if cfg.Authz != nil {
		entries, paths = append(entries, *cfg.Authz), append(paths, "/spec/config/authz")
	}
	for i, a := range cfg.AuthzList {
		entries, paths = append(entries, a), append(paths, "/spec/config/authzList/"+strconv.Itoa(i))
	}
	var rules []model.AccessRule
	for i, a := range entries {
		at := paths[i]
		switch {
		case len(a.AllowedIPBlocks) > 0:
			refuse(at+"/allowedIpBlocks", "allowedIpBlocks", "route tests have no client address to check")
		case len(a.AllowedRemoteIPBlocks) > 0:
			refuse(at+"/allowedRemoteIpBlocks", "allowedRemoteIpBlocks", "route tests have no client address to check")
		case a.DryRun:
			refuse(at+"/dryRun", "dryRun", "a dry-run policy admits every client, which meshroute would show as enforced")
		}
		r := model.AccessRule{Paths: a.AllowedPaths, Methods: a.AllowedMethods}
		for j, c := range a.AllowedClients {
			cat := at + "/allowedClients/" + strconv.Itoa(j)
			s := c.ServiceAccountSelector
			switch {
			case len(c.ExternalWorkloadSelector) > 0:
				refuse(cat+"/externalWorkloadSelector", "externalWorkloadSelector", "the inventory has no external workloads")
			case len(c.RequestIdentityMatcher) > 0:
				refuse(cat+"/requestIdentityMatcher", "requestIdentityMatcher", "request principals come from JWTs, which meshroute does not model")
			case s == nil:
			case len(s.Labels) > 0 || s.Workspace != "":
				refuse(cat+"/serviceAccountSelector", "serviceAccountSelector labels and workspace", "the inventory has no ServiceAccount objects to match them against")
			case s.Namespace == "" && b.ws.of[&p.Object] == nil:
				refuse(cat+"/serviceAccountSelector", "serviceAccountSelector without namespace", "without Workspaces there is no set of namespaces to look in, and Istio principals cannot match an account name in any namespace")
			case s.Namespace == "":
				r.Principals = append(r.Principals, b.workspaceAccountPrincipals(b.ws.of[&p.Object], s)...)
			default:
				r.Principals = append(r.Principals, b.accountPrincipals(s)...)
			}
		}
		if a.Match != nil && a.Match.Request != nil {
			for _, name := range slices.Sorted(maps.Keys(a.Match.Request.Headers)) {
				h := a.Match.Request.Headers[name]
				r.Headers = append(r.Headers, model.HeaderCondition{Name: name, Values: h.Values, NotValues: h.NotValues})
			}
		}
		rules = append(rules, r)
	}
	return rules, ok
}

// accountPrincipals are the principals a service account selector names: one per cluster (every
// declared one when it names none), any account of the namespace when it names none.
func (b *builder) accountPrincipals(s *schema.ObjectSelector) []string {
	sa := s.Name
	if sa == "" {
		sa = "*"
	}
	var out []string
	for _, ci := range b.clusters {
		if s.Cluster == "" || s.Cluster == ci.name {
			out = append(out, naming.Principal(ci.name, s.Namespace, sa))
		}
	}
	if len(out) == 0 {
		out = append(out, naming.Principal(s.Cluster, s.Namespace, sa))
	}
	return out
}

// workspaceAccountPrincipals are the principals of a service account selector without namespace:
// the account in every namespace of the policy's workspace (Gloo's rule, access_policy.proto),
// which meshroute knows per cluster from the inventory's Services of that workspace.
func (b *builder) workspaceAccountPrincipals(w *schema.Workspace, s *schema.ObjectSelector) []string {
	sa := cmp.Or(s.Name, "*")
	set := map[string]bool{}
	for _, svc := range b.set.Services {
		if b.ws.of[&svc.Object] == w && (s.Cluster == "" || s.Cluster == svc.Cluster) {
			set[naming.Principal(svc.Cluster, svc.Namespace(), sa)] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

func (b *builder) refuseAccess(p *schema.Policy, path, field, why string) {
	b.report(on(&p.Object, path, diag.AccessPolicyFieldNotCompiled(p.FieldPos(path), nsSlashName(&p.Object), field, why)).
		WithHint("remove it, or keep this AccessPolicy out of meshroute's input; docs/policies.md lists what is compiled"))
}

// sortGrants puts grants in model order: by namespace and name.
func sortGrants(gs []*model.AccessGrant) {
	slices.SortStableFunc(gs, func(x, y *model.AccessGrant) int {
		return cmp.Or(cmp.Compare(x.Namespace, y.Namespace), cmp.Compare(x.Name, y.Name))
	})
}
