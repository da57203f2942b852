package compiler

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// ingressReach records, over every cluster, where an ingress table was served: which of its
// virtualGateways references bound to a listener, which bound to a listener that runs routes
// (not only httpsRedirect ones), and which of its hosts a listener admitted. A reference or host
// served nowhere is reported once, after all clusters (MR2017).
type ingressReach struct {
	refBound     []bool          // by index into the resolved refs
	refRoutes    []bool          // bound to a listener without httpsRedirect
	redirect     []diag.Position // per ref, a redirecting listener that admitted the table
	hostAdmitted []bool          // by index into the table's hosts
	// kinds are, per ref, the kinds of the listeners that admitted the table but serve none of
	// its route kinds, and pos the first of them; tcp and tls record that a TCP or TLS
	// listener served its routes somewhere.
	kinds    [][]string
	kindPos  []diag.Position
	tcp, tls bool
}

func newIngressReach(refs []gwRef, rt *schema.RouteTable) *ingressReach {
	return &ingressReach{
		refBound:     make([]bool, len(refs)),
		refRoutes:    make([]bool, len(refs)),
		redirect:     make([]diag.Position, len(refs)),
		hostAdmitted: make([]bool, len(rt.Spec.Hosts)),
		kinds:        make([][]string, len(refs)),
		kindPos:      make([]diag.Position, len(refs)),
	}
}

// bound records that the refs matched bound to listener l in some cluster.
func (r *ingressReach) bound(matched []int, l *model.Listener) {
	r.tcp = r.tcp || l.Protocol == model.ProtocolTCP
	r.tls = r.tls || l.Protocol == model.ProtocolTLS
	for _, i := range matched {
		r.refBound[i] = true
		if !l.HTTPSRedirect {
			r.refRoutes[i] = true
		} else if r.redirect[i] == (diag.Position{}) {
			r.redirect[i] = l.Pos
		}
	}
}

// mismatch records that listener l admitted the table for the refs matched but serves none of
// its route kinds.
func (r *ingressReach) mismatch(matched []int, l *model.Listener) {
	k := listenerKind(l)
	for _, i := range matched {
		r.addKind(i, k, l.Pos)
	}
}

// addKind records a listener of kind k (at pos) that admitted ref i but serves none of the
// table's route kinds: the kinds stay sorted, the position is the first one recorded.
func (r *ingressReach) addKind(i int, k string, pos diag.Position) {
	if !slices.Contains(r.kinds[i], k) {
		r.kinds[i] = append(r.kinds[i], k)
		slices.Sort(r.kinds[i])
	}
	if r.kindPos[i] == (diag.Position{}) {
		r.kindPos[i] = pos
	}
}

// merge adds what o recorded in a later cluster (bindClusters), as if r had gone on recording
// there: a first position already recorded stays.
func (r *ingressReach) merge(o *ingressReach) {
	r.tcp = r.tcp || o.tcp
	r.tls = r.tls || o.tls
	for i := range r.refBound {
		r.refBound[i] = r.refBound[i] || o.refBound[i]
		r.refRoutes[i] = r.refRoutes[i] || o.refRoutes[i]
		if r.redirect[i] == (diag.Position{}) {
			r.redirect[i] = o.redirect[i]
		}
		for _, k := range o.kinds[i] {
			r.addKind(i, k, o.kindPos[i])
		}
	}
	for i := range r.hostAdmitted {
		r.hostAdmitted[i] = r.hostAdmitted[i] || o.hostAdmitted[i]
	}
}

// admittedHosts returns, per table host, the names the listener serves it as for this table: a
// listener without allowedRouteTables takes every table and host as written; otherwise each
// entry that admits the table's namespace and labels and overlaps the host serves the narrower of
// the two ('*' under "shop.example.com" is served as shop.example.com), so a table cannot reach a
// name the platform team kept for others. ok is false when nothing is admitted.
func (b *builder) admittedHosts(li *listenerInfo, rt *schema.RouteTable, cluster string, hosts []string) (served [][]string, ok bool) {
	served = make([][]string, len(hosts))
	for i, h := range hosts {
		if len(li.filters) == 0 {
			served[i], ok = []string{h}, true
			continue
		}
		for _, f := range li.filters {
			if f.namespace != "" && f.namespace != rt.Namespace() {
				continue
			}
			if f.selector != nil && (!selects(f.selector, rt.Name(), rt.Namespace(), cluster, rt.Metadata.Labels) || !b.inWorkspace(f.selector.Workspace, &rt.Object)) {
				continue
			}
			if n, fits := model.BindHost(h, f.host); fits && !slices.Contains(served[i], n) {
				served[i], ok = append(served[i], n), true
			}
		}
	}
	return served, ok
}

// reportUnserved warns about the references and hosts of an ingress table that no listener
// serves in any cluster: Gloo drops them quietly, which is the classic "why is my route 404".
// A VirtualGateway with no gateway Service anywhere is already MR2009, so it is not repeated.
func (b *builder) reportUnserved(rt *schema.RouteTable, refs []gwRef, reach *ingressReach) {
	anyBound := false
	hosts := tableHosts(rt)
	for i, r := range refs {
		p := "/spec/virtualGateways/" + strconv.Itoa(r.index)
		if reach.refBound[i] {
			anyBound = true
			if !reach.refRoutes[i] {
				// Istio answers every request on an httpsRedirect server with the redirect, so a
				// table bound only there is compiled but none of its routes ever runs.
				b.report(on(&rt.Object, p, diag.RouteTableOnlyRedirected(rt.FieldPos(p), r.vg.Namespace(), r.vg.Name(), rt.Namespace(), rt.Name())).
					WithRelated(reach.redirect[i], "the redirecting listener").
					WithHint("add a tls listener that admits the table (the redirect sends clients there), or remove httpsRedirect"))
			}
			continue
		}
		if len(reach.kinds[i]) > 0 {
			b.report(mismatchDiag(rt, r, reach.kinds[i], reach.kindPos[i]))
			continue
		}
		clusters := b.gatewayClusters(r.vg)
		if len(clusters) == 0 {
			continue
		}
		if b.refusedAdmits(r.vg, rt, hosts, -1) {
			continue // the listener that would serve the table was refused with an error already
		}
		if r.cluster != "" && !slices.Contains(clusters, r.cluster) {
			at := p + "/cluster"
			b.report(on(&rt.Object, at, diag.RouteTableClusterNotServed(rt.FieldPos(at), r.vg.Namespace(), r.vg.Name(), r.cluster, rt.Namespace(), rt.Name())).
				WithRelated(r.vg.Pos, "the VirtualGateway").
				WithHint("its gateway Services are in: %s; pin the reference to one of them or leave cluster out", strings.Join(clusters, ", ")))
			continue
		}
		b.report(on(&rt.Object, p, diag.RouteTableNotAdmitted(rt.FieldPos(p), r.vg.Namespace(), r.vg.Name(), rt.Namespace(), rt.Name(), strings.Join(tableHosts(rt), ", "))).
			WithRelated(r.vg.FieldPos("/spec/listeners"), "the VirtualGateway's listeners").
			WithHint("the listeners admit: %s", allowedList(r.vg)))
	}
	if !anyBound {
		return
	}
	for j, ok := range reach.hostAdmitted {
		if ok || slices.ContainsFunc(refs, func(r gwRef) bool { return b.refusedAdmits(r.vg, rt, hosts, j) }) {
			continue
		}
		at := "/spec/hosts/" + strconv.Itoa(j)
		d := on(&rt.Object, at, diag.HostNotAdmitted(rt.FieldPos(at), strings.ToLower(rt.Spec.Hosts[j]), rt.Namespace(), rt.Name()))
		var lists []string
		for _, r := range refs {
			lists = append(lists, r.vg.Namespace()+"/"+r.vg.Name()+" admits "+allowedList(r.vg))
		}
		b.report(d.WithHint("%s", strings.Join(lists, "; ")))
	}
}

// refusedAdmits reports whether a listener of vg refused with an error (MR2010, MR3010, MR4008)
// would have admitted the table's host number host (any host when host < 0): the table relied
// on it, and the refusal already says why it is not served.
func (b *builder) refusedAdmits(vg *schema.VirtualGateway, rt *schema.RouteTable, hosts []string, host int) bool {
	for _, rl := range b.refused[vg] {
		served, ok := b.admittedHosts(rl.li, rt, rl.cluster, hosts)
		if ok && (host < 0 || len(served[host]) > 0) {
			return true
		}
	}
	return false
}

// gatewayClusters are the clusters where vg has at least one gateway, in cluster order.
func (b *builder) gatewayClusters(vg *schema.VirtualGateway) []string {
	var out []string
	for _, ci := range b.clusters {
		for _, gi := range ci.gateways {
			if gi.vg == vg {
				out = append(out, ci.name)
				break
			}
		}
	}
	return out
}

// allowedList describes what each listener of vg admits, as written, for hints.
func allowedList(vg *schema.VirtualGateway) string {
	var parts []string
	for i, l := range vg.Spec.Listeners {
		if len(l.AllowedRouteTables) == 0 {
			parts = append(parts, fmt.Sprintf("listener %d (port %s): every table", i, portString(l.Port)))
			continue
		}
		var entries []string
		for _, a := range l.AllowedRouteTables {
			e := a.Host
			if e == "" {
				e = "*"
			}
			if a.Selector != nil {
				e += " (" + selectorString(a.Selector) + ")"
			}
			entries = append(entries, e)
		}
		parts = append(parts, fmt.Sprintf("listener %d (port %s): %s", i, portString(l.Port), strings.Join(entries, ", ")))
	}
	if len(parts) == 0 {
		return "no listeners"
	}
	return strings.Join(parts, "; ")
}

// selectorString shows a table selector as written, so a hint says which tables it admits
// instead of only that there is one: "selector namespace: platform, labels: {team=web}".
func selectorString(sel *schema.ObjectSelector) string {
	var fields []string
	for _, f := range []struct{ name, value string }{
		{"name", sel.Name}, {"namespace", sel.Namespace}, {"cluster", sel.Cluster}, {"workspace", sel.Workspace},
	} {
		if f.value != "" {
			fields = append(fields, f.name+": "+f.value)
		}
	}
	if len(sel.Labels) > 0 {
		fields = append(fields, "labels: "+labelString(sel.Labels))
	}
	if len(fields) == 0 {
		return "selector {}: any table"
	}
	return "selector " + strings.Join(fields, ", ")
}
