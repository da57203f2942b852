package compiler

import (
	"cmp"
	"maps"
	"regexp"
	"slices"
	"strconv"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// Service isolation (WorkspaceSettings options.serviceIsolation) and proxy trimming
// (serviceIsolation.trimProxyConfig, trimAllProxyConfig), docs/workspaces.md. The identities are
// those of the inventory's Services: each runs as its meshroute.dev/service-account annotation
// (else "default"), and every namespace holding a Service also has its "default" account, as
// Gloo lists them. Gloo Mesh sets each cluster's trust domain to the cluster name, so a principal
// is <cluster>/ns/<ns>/sa/<sa>.

// serviceAccountName is a Kubernetes service account name: a DNS subdomain.
var serviceAccountName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

// checkServiceAccounts reports annotations that name no possible service account (MR2041).
func (b *builder) checkServiceAccounts() {
	for _, s := range b.set.Services {
		sa, ok := s.Metadata.Annotations[schema.AnnotationServiceAccount]
		if !ok || len(sa) <= 253 && serviceAccountName.MatchString(sa) {
			continue
		}
		path := "/metadata/annotations/" + escapePointer(schema.AnnotationServiceAccount)
		b.report(on(&s.Object, path, diag.ServiceAccountInvalid(s.FieldPos(path), nsSlashName(&s.Object), sa)).
			WithHint("write the serviceAccountName of the Service's pods, or leave the annotation out for the default account"))
	}
}

// isolation is what one workspace's settings ask for.
type isolation struct {
	isolate, trim bool
}

func (b *builder) isolationOf(w *schema.Workspace) isolation {
	s := b.ws.settings[w]
	if s == nil || s.Spec.Options == nil {
		return isolation{}
	}
	o := s.Spec.Options
	si := o.ServiceIsolation
	isolate := si != nil && si.Enabled
	return isolation{isolate: isolate, trim: o.TrimAllProxyConfig || isolate && si.TrimProxyConfig != nil && *si.TrimProxyConfig}
}

// isolateServices fills every cluster's Isolated list.
func (b *builder) isolateServices() {
	b.checkServiceAccounts()
	if len(b.ws.workspaces) == 0 {
		return
	}
	principals := map[*schema.Workspace][]string{}
	for _, w := range b.ws.workspaces {
		principals[w] = b.workspacePrincipals(w)
	}
	for _, ci := range b.clusters {
		// A gateway takes plain traffic from outside the mesh: isolating it would refuse it all.
		gateways := gatewayServices(ci)
		for _, s := range ci.services {
			w := b.ws.of[&s.Object]
			if w == nil || gateways[nsName{s.Namespace(), s.Name()}] {
				continue
			}
			iso := b.isolationOf(w)
			if !iso.isolate && !iso.trim {
				continue
			}
			if len(s.Spec.Selector) == 0 {
				b.report(on(&s.Object, "/spec", diag.IsolatedServiceWithoutSelector(s.Pos, nsSlashName(&s.Object), w.Name())).
					WithHint("give the Service a selector, or accept that its workloads are not isolated"))
				continue
			}
			out := &model.IsolatedService{Origin: origin(&s.Object), Namespace: s.Namespace(), Service: s.Name(),
				Workspace: w.Name(), Selector: s.Spec.Selector}
			if iso.isolate {
				out.Ports = b.isolatedPorts(ci, s, w, principals)
				narrowByAccessPolicies(ci.out.Access, s, out.Ports)
			}
			if iso.trim {
				out.Sidecar = &model.Sidecar{Name: naming.IsolationSidecar(s.Name(), w.Name()), Hosts: b.reachableHosts(ci, w)}
			}
			ci.out.Isolated = append(ci.out.Isolated, out)
		}
	}
}

// narrowByAccessPolicies marks the isolated ports of s that an AccessPolicy grants access to:
// there the policy's clients replace the workspace's.
func narrowByAccessPolicies(grants []*model.AccessGrant, s *schema.Service, ports []model.IsolatedPort) {
	for i := range ports {
		ports[i].Narrowed = slices.ContainsFunc(grants, func(g *model.AccessGrant) bool {
			return g.Except == nil && g.Namespace == s.Namespace() && g.Service == s.Name() && g.TargetPort == ports[i].TargetPort
		})
	}
}

// gatewayServices are the gateway Services of ci: Istio applies no Sidecar to a gateway.
func gatewayServices(ci *clusterInfo) map[nsName]bool {
	out := map[nsName]bool{}
	for _, g := range ci.out.Gateways {
		out[nsName{g.Namespace, g.Service}] = true
	}
	return out
}

// openOtherPorts gives every Service that AccessPolicies restrict on some ports, and service
// isolation on none, a grant admitting any client on its other ports: Istio's ALLOW policies
// apply to the whole workload, and a policy that selects one port must leave the others as
// they were.
func (b *builder) openOtherPorts() {
	for _, ci := range b.clusters {
		restricted := map[nsName][]uint32{}
		for _, g := range ci.out.Access {
			k := nsName{g.Namespace, g.Service}
			restricted[k] = append(restricted[k], g.TargetPort)
		}
		for _, is := range ci.out.Isolated {
			if len(is.Ports) > 0 {
				delete(restricted, nsName{is.Namespace, is.Service}) // isolation restricts every port
			}
		}
		for _, k := range slices.SortedFunc(maps.Keys(restricted), compareNsName) {
			svc, ports := ci.svc[k], restricted[k]
			slices.Sort(ports)
			ports = slices.Compact(ports)
			open := slices.ContainsFunc(svc.Spec.Ports, func(p schema.ServicePort) bool {
				n, name := p.Target()
				return name == "" && !slices.Contains(ports, n)
			})
			if open {
				ci.out.Access = append(ci.out.Access, &model.AccessGrant{Name: naming.AccessOtherPorts(svc.Name()), Namespace: svc.Namespace(),
					Origin: origin(&svc.Object), Service: svc.Name(), Selector: svc.Spec.Selector, Except: ports})
			}
		}
		sortGrants(ci.out.Access)
	}
}

// isolatedPorts admits, on every port of s, the workspace's own identities and those of every
// workspace that imports s (exported to it and imported by it).
func (b *builder) isolatedPorts(ci *clusterInfo, s *schema.Service, w *schema.Workspace, principals map[*schema.Workspace][]string) []model.IsolatedPort {
	allowed := []model.Principals{{Workspace: w.Name(), Principals: principals[w]}}
	for _, other := range b.workspacesByName() {
		if other == w {
			continue
		}
		if exported, imported := b.shared(w, other, &s.Object, ci.name); exported && imported && len(principals[other]) > 0 {
			allowed = append(allowed, model.Principals{Workspace: other.Name(), Principals: principals[other]})
		}
	}
	var out []model.IsolatedPort
	for i, p := range s.Spec.Ports {
		target, name := p.Target()
		if name != "" {
			path := "/spec/ports/" + strconv.Itoa(i) + "/targetPort"
			b.report(on(&s.Object, path, diag.IsolatedPortNamedTarget(s.FieldPos(path), p.Port, nsSlashName(&s.Object), name)).
				WithHint("write the pod port's number as targetPort"))
			continue
		}
		out = append(out, model.IsolatedPort{Name: naming.IsolationPolicy(s.Name(), p.Port, w.Name()), Port: p.Port, TargetPort: target, Allowed: allowed})
	}
	return out
}

// workspacesByName lists the workspaces in name order (the order of the allowed groups).
func (b *builder) workspacesByName() []*schema.Workspace {
	return slices.SortedFunc(maps.Values(b.ws.byName), func(x, y *schema.Workspace) int { return cmp.Compare(x.Name(), y.Name()) })
}

// workspacePrincipals are the identities of w's workloads in every cluster: each Service's
// account and the default account of each namespace holding one, sorted.
func (b *builder) workspacePrincipals(w *schema.Workspace) []string {
	set := map[string]bool{}
	for _, s := range b.set.Services {
		if b.ws.of[&s.Object] != w {
			continue
		}
		set[naming.Principal(s.Cluster, s.Namespace(), s.ServiceAccount())] = true
		set[naming.Principal(s.Cluster, s.Namespace(), schema.DefaultServiceAccount)] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// reachableHosts are the egress hosts of a trimmed sidecar of workspace w in cluster ci: every
// Service, VirtualDestination and ExternalService (those with a ServiceEntry here) that w owns or
// imports, and the hosts of w's mesh route sets (its tables' and its ExternalServices' egress routes) with every
// destination they forward to (VirtualDestination, federated and external hosts, egress gateways).
func (b *builder) reachableHosts(ci *clusterInfo, w *schema.Workspace) []string {
	set := map[string]bool{}
	add := func(h string) { set["*/"+h] = true }
	for _, s := range ci.services {
		if b.visibleIn(w, &s.Object, ci.name) {
			add(naming.ServiceFQDN(s.Name(), s.Namespace(), ci.c.Domain()))
		}
	}
	for _, vd := range b.vds {
		if b.visibleIn(w, &vd.vd.Object, ci.name) {
			for _, h := range vd.hosts {
				add(h)
			}
		}
	}
	for _, be := range ci.out.Backends {
		if xi := b.externals[nsName{be.Origin.Namespace, be.Origin.Name}]; be.Kind == model.BackendExternal && xi != nil && b.visibleIn(w, &xi.es.Object, ci.name) {
			for _, h := range be.Hosts {
				add(h)
			}
		}
	}
	for _, rs := range ci.out.RouteSets {
		if !rs.Mesh || b.meshSetWorkspace(rs) != w {
			continue
		}
		for _, h := range rs.Hosts {
			add(h)
		}
		for _, f := range setForwards(rs) {
			for _, d := range f.Destinations {
				add(d.Host)
			}
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// visibleIn reports whether workspace w owns o or imports it (exported to w and imported by it).
func (b *builder) visibleIn(w *schema.Workspace, o *schema.Object, cluster string) bool {
	owner := b.ws.of[o]
	if owner == nil || owner == w {
		return owner != nil
	}
	exported, imported := b.shared(owner, w, o, cluster)
	return exported && imported
}

// meshSetWorkspace is the workspace of the object a mesh set comes from: its root RouteTable, or
// the ExternalService whose egress route it is (nil: none).
func (b *builder) meshSetWorkspace(rs *model.RouteSet) *schema.Workspace {
	k := nsName{rs.Origin.Namespace, rs.Origin.Name}
	switch rs.Origin.Kind {
	case schema.KindRouteTable:
		if rt := b.tables[k]; rt != nil {
			return b.ws.of[&rt.Object]
		}
	case schema.KindExternalService:
		if xi := b.externals[k]; xi != nil {
			return b.ws.of[&xi.es.Object]
		}
	}
	return nil
}

// setForwards are the forwardTo actions of every http, tcp and tls route of a set.
func setForwards(rs *model.RouteSet) []*model.Forward {
	var out []*model.Forward
	for _, r := range rs.Routes {
		if r.Forward != nil {
			out = append(out, r.Forward)
		}
	}
	for _, r := range rs.TCPRoutes {
		out = append(out, r.Forward)
	}
	for _, r := range rs.TLSRoutes {
		out = append(out, r.Forward)
	}
	return out
}
