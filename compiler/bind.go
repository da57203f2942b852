package compiler

import (
	"slices"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// bindRouteTables turns every root table into its RouteSets: one per gateway namespace in each
// cluster where it binds to a gateway listener (ingress), and one per cluster for sidecars (mesh).
func (b *builder) bindRouteTables() {
	vdHosts := b.vdHostSet()
	for _, rt := range b.set.RouteTables {
		if !rt.IsRoot() {
			b.checkTCPRoutes(rt)
			b.checkTLSRoutes(rt)
			continue
		}
		b.checkHosts(rt)
		routes := b.flatten(rt)
		if len(routes) == 0 && len(rt.Spec.TCP) == 0 && len(rt.Spec.TLS) == 0 {
			b.report(on(&rt.Object, "/spec/http", diag.EmptyRouteTable(rt.FieldPos("/spec/http"), rt.Namespace(), rt.Name())).
				WithHint("add http routes, or make sure its delegate actions select child tables with routes"))
		}
		// Check every forwardTo once, even where the table binds in no cluster.
		for _, fr := range routes {
			if fr.route.ForwardTo != nil {
				b.plan(fr.table, fr.index)
			}
		}
		refs := b.gatewayRefs(rt)
		ingress := len(rt.Spec.VirtualGateways) > 0
		mesh := !ingress || len(rt.Spec.WorkloadSelectors) > 0
		b.checkTCPRoutes(rt)
		b.checkTLSRoutes(rt)
		reach := newIngressReach(refs, rt)
		meshServed := b.bindClusters(rt, refs, routes, reach, ingress, mesh)
		b.checkMeshDomains(rt, meshServed)
		b.checkMeshServices(rt, meshServed, vdHosts)
		if ingress {
			b.reportUnserved(rt, refs, reach)
			if !mesh {
				b.reportL4Unserved(rt, reach)
			}
		}
	}
}

// gwRef is a resolved virtualGateways entry: the VirtualGateway and the cluster it is limited to
// ("" = every cluster).
type gwRef struct {
	vg      *schema.VirtualGateway
	cluster string
	index   int // in spec.virtualGateways
}

func (b *builder) gatewayRefs(rt *schema.RouteTable) []gwRef {
	var out []gwRef
	for i, r := range rt.Spec.VirtualGateways {
		p := "/spec/virtualGateways/" + strconv.Itoa(i)
		ns := r.Namespace
		if ns == "" {
			ns = rt.Namespace()
		}
		vg := b.vgs[nsName{ns, r.Name}]
		if vg == nil {
			have := make([]string, 0, len(b.set.VirtualGateways))
			for _, v := range b.set.VirtualGateways {
				have = append(have, v.Namespace()+"/"+v.Name())
			}
			b.report(didYouMean(on(&rt.Object, p, diag.UnknownVirtualGateway(rt.FieldPos(p), ns, r.Name)), ns+"/"+r.Name, have, "VirtualGateway"))
			continue
		}
		cluster := r.Cluster
		if b.isManagement(cluster) {
			cluster = "" // the VirtualGateway as created in the management cluster: mesh-wide
		}
		if cluster != "" && b.byName[cluster] == nil {
			b.report(b.unknownCluster(&rt.Object, p+"/cluster", cluster))
			continue
		}
		// VirtualGateways are not exportable: a table attaches to another workspace's gateway
		// when that workspace imports the table (docs/workspaces.md).
		if d, hidden := b.hidden(&vg.Object, &rt.Object, "", &rt.Object, p); hidden {
			b.report(d)
			continue
		}
		out = append(out, gwRef{vg, cluster, i})
	}
	return out
}

// nsBinding is what one ingress RouteSet collects: the Gateways of one namespace with a listener
// that admits the table, those listeners, and which table hosts they admit.
type nsBinding struct {
	gws       []*gatewayInfo
	listeners []*model.Listener
	hosts     [][]string // per table host, the names served
}

// bindIngress creates the table's RouteSets of ci: the Gateways of its VirtualGateways with a
// listener that admits the table, grouped by gateway namespace. A set serves only the hosts its
// listeners admit, and records those listeners so no target serves it on the others.
func (b *builder) bindIngress(ci *clusterInfo, rt *schema.RouteTable, refs []gwRef, routes []*flatRoute, reach *ingressReach) {
	hosts := tableHosts(rt)
	byNS := map[string]*nsBinding{}
	for _, gi := range ci.gateways {
		matched := referencedBy(refs, gi.vg, ci.name)
		if len(matched) == 0 {
			continue
		}
		nb := byNS[gi.gw.Namespace]
		if nb == nil {
			nb = &nsBinding{hosts: make([][]string, len(hosts))}
		}
		bound := false
		for _, li := range gi.listeners {
			adm, ok := b.admittedHosts(li, rt, ci.name, hosts)
			if !ok {
				continue
			}
			if !servesKind(li.l, rt, len(routes) > 0) {
				reach.mismatch(matched, li.l)
				continue
			}
			bound = true
			reach.bound(matched, li.l)
			nb.listeners = append(nb.listeners, li.l)
			for i, names := range adm {
				for _, n := range names {
					if !slices.Contains(nb.hosts[i], n) {
						nb.hosts[i] = append(nb.hosts[i], n)
					}
				}
				reach.hostAdmitted[i] = reach.hostAdmitted[i] || len(names) > 0
			}
		}
		if !bound {
			continue
		}
		nb.gws = append(nb.gws, gi)
		byNS[gi.gw.Namespace] = nb
	}
	namespaces := make([]string, 0, len(byNS))
	for ns := range byNS {
		namespaces = append(namespaces, ns)
	}
	slices.Sort(namespaces)
	for _, ns := range namespaces {
		nb := byNS[ns]
		rs := &model.RouteSet{
			Name:      naming.RouteSet(rt.Name(), rt.Namespace(), false),
			Namespace: ns,
			Origin:    origin(&rt.Object),
			Listeners: nb.listeners,
			// Annotations are the table's, not one per set: emitters copy, never change them.
			Annotations: rt.Spec.VirtualServiceAnnotations,
		}
		for i, names := range nb.hosts {
			for _, n := range names {
				if !slices.Contains(rs.Hosts, n) {
					rs.Hosts = append(rs.Hosts, n)
					rs.HostFields = append(rs.HostFields, hostField(rt, i))
				}
			}
		}
		for _, gi := range nb.gws {
			rs.Gateways = append(rs.Gateways, gi.gw)
		}
		if hl := httpListeners(nb.listeners); len(hl) > 0 {
			rs.Routes = b.instantiate(ci, routes, hl)
		}
		rs.TCPRoutes = b.gatewayTCPRoutes(ci, rt, nb.listeners)
		rs.TLSRoutes = b.gatewayTLSRoutes(ci, rt, nb.listeners)
		ci.out.RouteSets = append(ci.out.RouteSets, rs)
	}
}

// referencedBy returns the indices of the refs that put vg's gateways of cluster in play.
func referencedBy(refs []gwRef, vg *schema.VirtualGateway, cluster string) []int {
	var out []int
	for i, r := range refs {
		if r.vg == vg && (r.cluster == "" || r.cluster == cluster) {
			out = append(out, i)
		}
	}
	return out
}

func tableHosts(rt *schema.RouteTable) []string {
	out := make([]string, len(rt.Spec.Hosts))
	for i, h := range rt.Spec.Hosts {
		out[i] = strings.ToLower(h)
	}
	return out
}

// hostField is entry i of rt's spec.hosts.
func hostField(rt *schema.RouteTable, i int) model.Field {
	p := "/spec/hosts/" + strconv.Itoa(i)
	return model.Field{Path: p, Pos: rt.FieldPos(p)}
}

// checkHosts reports hosts of one table that overlap (MR3012).
func (b *builder) checkHosts(rt *schema.RouteTable) {
	hosts := tableHosts(rt)
	for j := range hosts {
		for i := 0; i < j; i++ {
			if model.HostsOverlap(hosts[i], hosts[j]) {
				p := "/spec/hosts/" + strconv.Itoa(j)
				b.report(on(&rt.Object, p, diag.OverlappingHostsInTable(rt.FieldPos(p), hosts[j], hosts[i])).
					WithRelated(rt.FieldPos("/spec/hosts/"+strconv.Itoa(i)), "the overlapping host").
					WithHint("list each host once; a wildcard already covers the names under it"))
				break
			}
		}
	}
}

// instantiate binds the flattened routes to ci: gateway ports become pod ports, actions resolve
// their destinations here. listeners are those of the set's gateways that admit the table (nil
// for a mesh set): a matcher port can only name one of them, since the table is served nowhere
// else.
func (b *builder) instantiate(ci *clusterInfo, routes []*flatRoute, listeners []*model.Listener) []*model.Route {
	out := make([]*model.Route, 0, len(routes))
	for _, fr := range routes {
		r := &model.Route{RouteID: fr.RouteID, Matchers: fr.matchers}
		if listeners != nil && remapsPort(fr.matchers) {
			ms, ok := b.podPorts(fr, listeners)
			if !ok {
				continue
			}
			r.Matchers = ms
		}
		if b.action(ci, fr, r) {
			out = append(out, r)
		}
	}
	return out
}

// remapsPort reports whether a matcher names a port, which a gateway set maps to its pod port.
// Otherwise every instance of the route shares the flattened matchers: they are never changed.
func remapsPort(ms []*model.Matcher) bool {
	return slices.ContainsFunc(ms, func(m *model.Matcher) bool { return m.Port != 0 })
}

// podPorts copies fr's matchers with their listener (Service) ports replaced by the gateway pod
// ports, or reports a port no admitting listener has.
func (b *builder) podPorts(fr *flatRoute, listeners []*model.Listener) ([]*model.Matcher, bool) {
	out := make([]*model.Matcher, 0, len(fr.matchers))
	for _, m := range fr.matchers {
		if m.Port != 0 {
			target, found := listenerTarget(listeners, m.Port)
			if !found {
				b.report(b.matcherPortError(fr, m.Port, listeners))
				return nil, false
			}
			c := cloneMatcher(m)
			c.Port = target
			m = c
		}
		out = append(out, m)
	}
	return out, true
}

// listenerTarget maps a matcher port (a listener's Service port) to the gateway pod port, using
// the first admitting listener on that port.
func listenerTarget(listeners []*model.Listener, port uint32) (uint32, bool) {
	for _, l := range listeners {
		if l.ServicePort == port {
			return l.Port, true
		}
	}
	return 0, false
}

// matcherPortError reports a matcher port that is no port of a listener admitting the table, at
// the route of the chain that wrote it.
func (b *builder) matcherPortError(fr *flatRoute, port uint32, listeners []*model.Listener) diag.Diagnostic {
	var ports []string
	for _, l := range listeners {
		if p := strconv.Itoa(int(l.ServicePort)); !slices.Contains(ports, p) {
			ports = append(ports, p)
		}
	}
	for k := len(fr.Chain) - 1; k >= 0; k-- {
		h := fr.Chain[k]
		t := b.tables[nsName{h.Table.Namespace, h.Table.Name}]
		if t == nil || h.Index >= len(t.Spec.HTTP) {
			continue
		}
		for j, m := range t.Spec.HTTP[h.Index].Matchers {
			if m.Port == port {
				at := "/spec/http/" + strconv.Itoa(h.Index) + "/matchers/" + strconv.Itoa(j) + "/port"
				return on(&t.Object, at, diag.MatcherPortNotOnListener(t.FieldPos(at), port)).
					WithHint("a matcher port on a gateway table names the Service port of a listener that admits the table: %s", strings.Join(ports, ", "))
			}
		}
	}
	return diag.MatcherPortNotOnListener(fr.Chain[0].Pos, port)
}
