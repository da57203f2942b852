package compiler

import (
	"fmt"
	"strconv"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// addListeners resolves each listener's port on the gateway Service and checks for conflicts,
// inside the Gateway and with the earlier Gateways of the cluster on the same Service: Istio
// merges every Gateway of one workload, so a clash across VirtualGateways drops a server too.
func (b *builder) addListeners(gi *gatewayInfo, plans []*listenerPlan, earlier []*gatewayInfo) {
	vg, s := gi.vg, gi.svc
	names := map[string]bool{}
	for _, lp := range plans {
		l := vg.Spec.Listeners[lp.index]
		p := "/spec/listeners/" + strconv.Itoa(lp.index) + "/port"
		sp, ok := servicePort(s, l.Port)
		if !ok {
			d := on(&vg.Object, p, diag.ListenerPortNotOnService(vg.FieldPos(p), portString(l.Port), s.Namespace(), s.Name(), gi.cluster))
			b.report(d.WithHint("the Service's ports: %s", servicePortList(s)))
			b.refuse(vg, gi.cluster, lp)
			continue
		}
		target, tname := sp.Target()
		if target == 0 {
			b.report(on(&vg.Object, p, diag.NamedGatewayTargetPort(vg.FieldPos(p), sp.Port, s.Namespace(), s.Name(), gi.cluster, tname)).
				WithHint("write the container port number as the Service's targetPort"))
			b.refuse(vg, gi.cluster, lp)
			continue
		}
		name := naming.ListenerPort(lp.protocol, target, lp.hosts[0], 1)
		for n := 2; names[name]; n++ {
			name = naming.ListenerPort(lp.protocol, target, lp.hosts[0], n)
		}
		li := &listenerInfo{
			index:   lp.index,
			filters: lp.filters,
			l: &model.Listener{
				Port:          target,
				ServicePort:   sp.Port,
				PortName:      name,
				Protocol:      lp.protocol,
				Hosts:         lp.hosts,
				TLS:           lp.tls,
				HTTPSRedirect: lp.redirect,
				Index:         lp.index,
				Pos:           vg.FieldPos("/spec/listeners/" + strconv.Itoa(lp.index)),
			},
		}
		if other := conflictingListener(gi.listeners, li.l); other != nil {
			b.refuse(vg, gi.cluster, lp)
			b.recordConflict(gi, li, gi, other)
			continue
		}
		if og, other := conflictOnService(earlier, s, li.l); other != nil {
			b.refuse(vg, gi.cluster, lp)
			b.recordConflict(gi, li, og, other)
			continue
		}
		names[name] = true
		gi.listeners = append(gi.listeners, li)
		gi.gw.Listeners = append(gi.gw.Listeners, li.l)
	}
}

// refusedListener is a listener refused with an error in one cluster ("" = every cluster),
// with what it would have admitted.
type refusedListener struct {
	cluster string
	li      *listenerInfo // filters only: the listener never reached the model
}

// listenerConflict identifies one recorded listener conflict (MR3010): listener index of vg against listener
// otherIndex of otherVG.
type listenerConflict struct {
	vg         *schema.VirtualGateway
	index      int
	otherVG    *schema.VirtualGateway
	otherIndex int
}

// refuse records that listener lp of vg was refused in cluster (see builder.refused).
func (b *builder) refuse(vg *schema.VirtualGateway, cluster string, lp *listenerPlan) {
	b.refused[vg] = append(b.refused[vg], refusedListener{cluster, &listenerInfo{index: lp.index, filters: lp.filters}})
}

// recordConflict records that listener li of gi was refused for clashing with listener other
// of og (MR3010, reported by the validator from the record). A conflict between listeners is a
// property of the VirtualGateways, found again in every cluster and on every gateway Service
// they select; it is recorded once, in the first cluster where it is found.
func (b *builder) recordConflict(gi *gatewayInfo, li *listenerInfo, og *gatewayInfo, other *listenerInfo) {
	k := listenerConflict{gi.vg, li.index, og.vg, other.index}
	if b.conflicts[k] {
		return
	}
	b.conflicts[k] = true
	lc := &model.ListenerConflict{
		Cluster:          gi.cluster,
		GatewayNamespace: gi.svc.Namespace(),
		Service:          gi.svc.Name(),
		Port:             li.l.Port,
		Later:            model.ListenerRef{Gateway: origin(&gi.vg.Object), Index: li.index, Pos: li.l.Pos},
		Earlier:          model.ListenerRef{Gateway: origin(&og.vg.Object), Index: other.index, Pos: other.l.Pos},
		Reason:           model.ReasonFirstHost,
		Protocols:        [2]string{other.l.Protocol, li.l.Protocol},
		FirstHost:        other.l.Hosts[0],
	}
	if other.l.Protocol != li.l.Protocol {
		lc.Reason = model.ReasonProtocols
	}
	out := b.byName[gi.cluster].out
	out.Conflicts.Listeners = append(out.Conflicts.Listeners, lc)
}

// conflictingListener finds an earlier listener on the same pod port that cannot coexist with l:
// a different protocol, or the same protocol and first host (DESIGN.md §2).
func conflictingListener(ls []*listenerInfo, l *model.Listener) *listenerInfo {
	for _, o := range ls {
		if o.l.Port != l.Port {
			continue
		}
		if o.l.Protocol != l.Protocol || o.l.Hosts[0] == l.Hosts[0] {
			return o
		}
	}
	return nil
}

// conflictOnService finds a listener of an earlier Gateway on the same gateway Service that l
// cannot coexist with. Plain HTTP servers of several Gateways on one port merge in Istio (a host
// both serve is MR3004's business), so across Gateways only a protocol clash or two TLS servers
// with the same first host (one SNI filter chain would be dropped) conflict.
func conflictOnService(gws []*gatewayInfo, s *schema.Service, l *model.Listener) (*gatewayInfo, *listenerInfo) {
	for _, g := range gws {
		if g.svc != s {
			continue
		}
		if o := conflictingListener(g.listeners, l); o != nil && (o.l.Protocol != l.Protocol || l.TLS != nil) {
			return g, o
		}
	}
	return nil, nil
}

// servicePort finds the Service port a PortSelector names (by number or name).
func servicePort(s *schema.Service, sel schema.PortSelector) (schema.ServicePort, bool) {
	for _, p := range s.Spec.Ports {
		if (sel.Number != 0 && p.Port == sel.Number) || (sel.Number == 0 && sel.Name != "" && p.Name == sel.Name) {
			return p, true
		}
	}
	return schema.ServicePort{}, false
}

func portString(p schema.PortSelector) string {
	if p.Number != 0 {
		return strconv.Itoa(int(p.Number))
	}
	if p.Name != "" {
		return strconv.Quote(p.Name)
	}
	return "(none)"
}

func servicePortList(s *schema.Service) string {
	if len(s.Spec.Ports) == 0 {
		return "none"
	}
	var parts []string
	for _, p := range s.Spec.Ports {
		if p.Name != "" {
			parts = append(parts, fmt.Sprintf("%d (%s)", p.Port, p.Name))
		} else {
			parts = append(parts, strconv.Itoa(int(p.Port)))
		}
	}
	return joinComma(parts)
}
