package compiler

import (
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// meshAllowed refuses '*' on a table serving sidecars (MR4007): Istio rejects it there.
func (b *builder) meshAllowed(rt *schema.RouteTable) bool {
	for i, h := range rt.Spec.Hosts {
		if h == "*" {
			at := "/spec/hosts/" + strconv.Itoa(i)
			b.report(on(&rt.Object, at, diag.WildcardHostOnMesh(rt.FieldPos(at))).
				WithHint("name the hosts the sidecars call, or bind the table to virtualGateways only"))
			return false
		}
	}
	return true
}

// bindMesh creates the table's sidecar RouteSet of ci, in the table's namespace; served is false
// when its workloadSelectors leave ci out.
func (b *builder) bindMesh(ci *clusterInfo, rt *schema.RouteTable, alsoIngress bool, routes []*flatRoute) (served bool) {
	sources, serves := b.sourceSelectors(ci, rt)
	if !serves {
		return false // every workloadSelector names another cluster
	}
	rs := &model.RouteSet{
		Name:      naming.RouteSet(rt.Name(), rt.Namespace(), alsoIngress),
		Namespace: rt.Namespace(),
		Origin:    origin(&rt.Object),
		Hosts:     tableHosts(rt),
		Mesh:      true,
		Sources:   sources,
		// Annotations are the table's, not one per set: emitters copy, never change them.
		Annotations: rt.Spec.VirtualServiceAnnotations,
	}
	for i := range rs.Hosts {
		rs.HostFields = append(rs.HostFields, hostField(rt, i))
	}
	rs.Routes = b.instantiate(ci, routes, nil)
	rs.TCPRoutes = b.tcpRoutes(ci, rt)
	rs.TLSRoutes = b.tlsRoutes(ci, rt)
	ci.out.RouteSets = append(ci.out.RouteSets, rs)
	return true
}

// checkMeshDomains warns about a mesh host written as a Service's full name in one cluster
// domain (<svc>.<ns>.svc.<domain>) while the table is also served in clusters with another
// clusterDomain (MR4011): sidecars there call that Service as <svc>.<ns>.svc.<their domain>, so
// the routes match nothing in them. One finding per host names every such cluster.
func (b *builder) checkMeshDomains(rt *schema.RouteTable, served []*clusterInfo) {
	for i, h := range tableHosts(rt) {
		svc, ns, domain, ok := naming.ParseServiceFQDN(h)
		if !ok {
			continue
		}
		var others []string
		for _, ci := range served {
			if ci.out.Domain != domain {
				others = append(others, ci.name+" ("+ci.out.Domain+")")
			}
		}
		if len(others) == 0 {
			continue
		}
		at := "/spec/hosts/" + strconv.Itoa(i)
		d := on(&rt.Object, at, diag.MeshHostOtherClusterDomain(rt.FieldPos(at), h, domain, strings.Join(others, ", ")))
		if ns == rt.Namespace() {
			d = d.WithHint("write the short name %s: Istio expands it with the table's namespace and each cluster's own domain; or route a VirtualDestination host", svc)
		} else {
			d = d.WithHint("move the table to namespace %s and write the short name %s (Istio expands it with each cluster's own domain), or route a VirtualDestination host", ns, svc)
		}
		b.report(d)
	}
}

// checkMeshServices warns about a mesh host that names a Kubernetes Service — its full name
// <svc>.<ns>.svc.<domain> in a cluster of that domain, or a short name, which Istio expands in the
// table's namespace — while a cluster serving the table has no such Service (MR4012): sidecars
// there cannot resolve the name, so the routes never apply. A VirtualDestination host is never a
// Service name (the VD makes it resolvable; vdHosts is vdHostSet). One finding per host names
// every such cluster.
func (b *builder) checkMeshServices(rt *schema.RouteTable, served []*clusterInfo, vdHosts map[string]bool) {
	for i, h := range tableHosts(rt) {
		if vdHosts[strings.ToLower(h)] {
			continue
		}
		svc, ns, domain, full := naming.ParseServiceFQDN(h)
		if !full {
			if strings.ContainsAny(h, ".*") || h == "" {
				continue // not a short Service name: an external or partly qualified host
			}
			svc, ns = h, rt.Namespace()
		}
		var missing, have []string
		for _, ci := range served {
			if full && ci.out.Domain != domain {
				continue // another domain: MR4011 says why the host matches nothing there
			}
			if ci.svc[nsName{ns, svc}] == nil {
				missing = append(missing, ci.name)
			} else {
				have = append(have, ci.name)
			}
		}
		if len(missing) == 0 {
			continue
		}
		at := "/spec/hosts/" + strconv.Itoa(i)
		d := on(&rt.Object, at, diag.MeshHostServiceMissing(rt.FieldPos(at), h, ns, svc, strings.Join(missing, ", ")))
		switch {
		case len(have) > 0:
			d = d.WithHint("the Service exists in %s only; declare it in the other clusters' inventory, or route a VirtualDestination host that all clusters resolve", strings.Join(have, ", "))
		case !full:
			d = d.WithHint("a short host is the Service of that name in the table's namespace (%s); check the name, move the table to the Service's namespace, or write a VirtualDestination host", ns)
		default:
			d = d.WithHint("check the Service name and namespace, or route a VirtualDestination host")
		}
		b.report(d)
	}
}

// vdHostSet is every VirtualDestination host, lower-cased: built once for all tables (per table
// it grew with tables × VirtualDestinations).
func (b *builder) vdHostSet() map[string]bool {
	vdHosts := map[string]bool{}
	for _, vd := range b.vds {
		for _, h := range vd.hosts {
			vdHosts[strings.ToLower(h)] = true
		}
	}
	return vdHosts
}

// sourceSelectors are the workloadSelectors that apply to sidecars of ci, as the source namespace
// and labels Istio can match on. A selector with neither selects every sidecar, so the set then
// has no source restriction at all. A selector's cluster limits it to that cluster (ignoring it
// would route other clusters' sidecars too); serves is false when every selector names another
// cluster.
func (b *builder) sourceSelectors(ci *clusterInfo, rt *schema.RouteTable) (sources []model.SourceSelector, serves bool) {
	if len(rt.Spec.WorkloadSelectors) == 0 {
		return nil, true
	}
	all := false
	for i, w := range rt.Spec.WorkloadSelectors {
		p := "/spec/workloadSelectors/" + strconv.Itoa(i) + "/selector"
		if w.Selector == nil {
			all = true
			continue
		}
		sel := w.Selector
		if c := sel.Cluster; c != "" && b.byName[c] == nil {
			b.report(b.unknownCluster(&rt.Object, p+"/cluster", c))
		}
		if sel.Name != "" {
			// Istio matches sidecars by namespace and pod labels only; a workload name cannot be
			// expressed, and ignoring it would give the routes to every sidecar the other fields
			// select, a wider set than the user wrote (DESIGN §1: an error, not a warning).
			at := p + "/name"
			b.report(on(&rt.Object, at, diag.WorkloadSelectorNameUnsupported(rt.FieldPos(at))).
				WithHint("select the workload by its pod labels (and namespace) instead, e.g. labels: {app: %s}", sel.Name))
		}
		if c := sel.Cluster; c != "" && c != ci.name {
			continue
		}
		if len(sel.Labels) == 0 && sel.Namespace == "" {
			all = true
			continue
		}
		sources = append(sources, model.SourceSelector{Namespace: sel.Namespace, Labels: sel.Labels})
	}
	if all {
		return nil, true
	}
	return sources, len(sources) > 0
}
