package compiler

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/schema"
)

// gatewayInfo is a model Gateway plus what binding needs and the model does not carry.
type gatewayInfo struct {
	gw        *model.Gateway
	vg        *schema.VirtualGateway
	svc       *schema.Service
	cluster   string
	listeners []*listenerInfo
}

// listenerInfo is a model Listener plus its allowedRouteTables restrictions.
type listenerInfo struct {
	l       *model.Listener
	index   int // in the VirtualGateway's listeners
	filters []hostFilter
}

// hostFilter is one allowedRouteTables entry: a DNS name, the namespace a table must live in
// ("" = any) and an optional table selector.
type hostFilter struct {
	host      string
	namespace string
	selector  *schema.ObjectSelector
}

// defaultGatewaySelector is what a VirtualGateway without workloads selects (DESIGN.md §2).
var defaultGatewaySelector = []schema.WorkloadSelector{{Selector: &schema.ObjectSelector{Labels: map[string]string{"istio": "ingressgateway"}}}}

// buildGateways turns every VirtualGateway × selected gateway Service into a Gateway of the
// Service's cluster.
func (b *builder) buildGateways() {
	for _, vg := range b.set.VirtualGateways {
		b.checkWorkloadSelectors(vg)
		listeners := b.listenerPlans(vg)
		found := false
		for _, ci := range b.clusters {
			svcs := b.gatewayServices(vg, ci)
			found = found || len(svcs) > 0
			perNS := map[string]int{}
			for _, s := range svcs {
				perNS[s.Namespace()]++
			}
			for _, s := range svcs {
				name := "virtualgateway-" + vg.Name() + "-" + vg.Namespace()
				if perNS[s.Namespace()] > 1 {
					name += "-" + s.Name()
				}
				gi := &gatewayInfo{
					gw: &model.Gateway{
						Name:      model.DNSName(name),
						Namespace: s.Namespace(),
						Origin:    origin(&vg.Object),
						Service:   s.Name(),
						Selector:  s.Spec.Selector,
					},
					vg:      vg,
					svc:     s,
					cluster: ci.name,
				}
				b.addListeners(gi, listeners, ci.gateways)
				if len(gi.gw.Listeners) == 0 {
					// Every listener was skipped or refused (and reported): Istio refuses a
					// Gateway without servers, and nothing could bind to it anyway.
					continue
				}
				ci.gateways = append(ci.gateways, gi)
				ci.out.Gateways = append(ci.out.Gateways, gi.gw)
			}
		}
		if !found {
			b.report(at("MR2009", &vg.Object, "/spec/workloads", "VirtualGateway %s/%s selects no gateway Service in any cluster", vg.Namespace(), vg.Name()).
				WithHint("%s", b.gatewayHint(vg)))
		}
	}
}

// gatewayHint lists the Services that look like gateways, to help fix a selector.
func (b *builder) gatewayHint(vg *schema.VirtualGateway) string {
	var names []string
	seen := map[string]bool{}
	for _, ci := range b.clusters {
		for _, s := range ci.services {
			if _, ok := s.Spec.Selector["istio"]; ok && !seen[s.Namespace()+"/"+s.Name()] {
				seen[s.Namespace()+"/"+s.Name()] = true
				names = append(names, fmt.Sprintf("%s/%s (selector %s)", s.Namespace(), s.Name(), labelString(s.Spec.Selector)))
			}
		}
	}
	if len(names) == 0 {
		return "workloads[].selector.labels match a gateway Service's spec.selector; no Service with an istio label is declared"
	}
	return "workloads[].selector.labels match a gateway Service's spec.selector; gateway Services: " + joinComma(names)
}

func (b *builder) checkWorkloadSelectors(vg *schema.VirtualGateway) {
	names := b.clusterNames()
	for i, w := range vg.Spec.Workloads {
		if w.Selector == nil {
			continue
		}
		p := "/spec/workloads/" + strconv.Itoa(i) + "/selector"
		if w.Selector.Workspace != "" {
			b.report(at("MR1005", &vg.Object, p+"/workspace", "workspace is not implemented by meshroute yet and has no effect"))
		}
		if c := w.Selector.Cluster; c != "" && b.byName[c] == nil {
			b.report(didYouMean(at("MR2013", &vg.Object, p+"/cluster", "cluster %q is not declared by any Cluster object", c), c, names, "cluster"))
		}
	}
}

// gatewayServices returns the Services of ci that vg selects, in namespace/name order.
func (b *builder) gatewayServices(vg *schema.VirtualGateway, ci *clusterInfo) []*schema.Service {
	workloads := vg.Spec.Workloads
	if workloads == nil {
		workloads = defaultGatewaySelector
	}
	var out []*schema.Service
	for _, s := range ci.services {
		for _, w := range workloads {
			// A workload entry without a selector selects nothing (Gloo API); `selector: {}` selects all.
			if w.Selector != nil && selects(w.Selector, s.Name(), s.Namespace(), ci.name, s.Spec.Selector) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// listenerPlan is the Service-independent part of a listener; nil entries were refused.
type listenerPlan struct {
	index    int
	protocol string
	tls      *model.TLS
	redirect bool
	hosts    []string
	filters  []hostFilter
}

func (b *builder) listenerPlans(vg *schema.VirtualGateway) []*listenerPlan {
	var out []*listenerPlan
	for i, l := range vg.Spec.Listeners {
		p := "/spec/listeners/" + strconv.Itoa(i)
		if l.TCP != nil {
			// DESIGN.md defers TCP/TLS routes: no TCP route can bind, so the listener is skipped.
			b.report(at("MR1005", &vg.Object, p+"/tcp", "tcp listeners are not implemented by meshroute yet; the listener is skipped"))
			continue
		}
		if l.HTTP == nil {
			// The Gloo API makes a listener with neither http nor tcp a TCP listener, so HTTP
			// route tables never bind to it there either.
			b.report(at("MR1005", &vg.Object, p, "listener %d sets neither http nor tcp, which Gloo treats as a tcp listener; tcp listeners are not implemented by meshroute yet, so it is skipped", i).
				WithHint("add `http: {}` to serve HTTP route tables on this listener"))
			continue
		}
		lp := &listenerPlan{index: i, protocol: model.ProtocolHTTP}
		if l.TLS != nil {
			mode := strings.ToUpper(l.TLS.Mode)
			if mode == "" {
				mode = "SIMPLE"
			}
			if mode == "PASSTHROUGH" || mode == "AUTO_PASSTHROUGH" {
				b.report(at("MR4008", &vg.Object, p+"/tls/mode", "tls mode %s cannot be used on an http listener: the gateway must terminate TLS to route HTTP", mode).
					WithHint("use SIMPLE or MUTUAL, or leave mode out (SIMPLE)"))
				continue
			}
			lp.protocol = model.ProtocolHTTPS
			lp.tls = &model.TLS{Mode: mode, CredentialName: l.TLS.SecretName}
			if l.HTTPSRedirect {
				b.report(at("MR1005", &vg.Object, p+"/httpsRedirect", "httpsRedirect has no effect on a listener with tls; it belongs on the plain-HTTP listener"))
			}
		} else {
			lp.redirect = l.HTTPSRedirect
		}
		for j, f := range l.AllowedRouteTables {
			hf := parseHostFilter(f.Host, vg.Namespace())
			hf.selector = f.Selector
			if f.Selector != nil && f.Selector.Workspace != "" {
				b.report(at("MR1005", &vg.Object, p+"/allowedRouteTables/"+strconv.Itoa(j)+"/selector/workspace", "workspace is not implemented by meshroute yet and has no effect"))
			}
			lp.filters = append(lp.filters, hf)
			lp.hosts = append(lp.hosts, hf.host)
		}
		if len(lp.hosts) == 0 {
			lp.hosts = []string{"*"}
		}
		out = append(out, lp)
	}
	return out
}

// parseHostFilter splits "namespace/host": "./" is the VirtualGateway's namespace, "*/" or no
// prefix any namespace; an empty host is "*".
func parseHostFilter(s, vgNamespace string) hostFilter {
	var hf hostFilter
	if ns, host, ok := strings.Cut(s, "/"); ok {
		switch ns {
		case ".":
			hf.namespace = vgNamespace
		case "*", "":
		default:
			hf.namespace = ns
		}
		s = host
	}
	hf.host = strings.ToLower(s)
	if hf.host == "" {
		hf.host = "*"
	}
	return hf
}

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
			d := at("MR2010", &vg.Object, p, "listener port %s is not a port of gateway Service %s/%s in cluster %s", portString(l.Port), s.Namespace(), s.Name(), gi.cluster)
			b.report(d.WithHint("the Service's ports: %s", servicePortList(s)))
			continue
		}
		target, tname := sp.Target()
		if target == 0 {
			b.report(at("MR2010", &vg.Object, p, "port %d of gateway Service %s/%s in cluster %s has the named targetPort %q; meshroute needs the number the gateway pod listens on", sp.Port, s.Namespace(), s.Name(), gi.cluster, tname).
				WithHint("write the container port number as the Service's targetPort"))
			continue
		}
		first := "all"
		if h := lp.hosts[0]; h != "*" {
			first = h
		}
		name := model.DNSName(strings.ToLower(lp.protocol) + "-" + strconv.Itoa(int(target)) + "-" + first)
		for n := 2; names[name]; n++ {
			name = model.DNSName(strings.ToLower(lp.protocol) + "-" + strconv.Itoa(int(target)) + "-" + first + "-" + strconv.Itoa(n))
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
				Pos:           vg.FieldPos("/spec/listeners/" + strconv.Itoa(lp.index)),
			},
		}
		if other := conflictingListener(gi.listeners, li.l); other != nil {
			b.report(at("MR3010", &vg.Object, p, "listener %d conflicts with listener %d on port %d of gateway Service %s/%s: %s", lp.index, other.index, target, s.Namespace(), s.Name(), conflictReason(other.l, li.l)).
				WithRelated(other.l.Pos, "the listener it conflicts with").
				WithHint("%s", conflictHint(other.l, li.l)))
			continue
		}
		if og, other := conflictOnService(earlier, s, li.l); other != nil {
			b.report(at("MR3010", &vg.Object, p, "listener %d conflicts with listener %d of VirtualGateway %s/%s on port %d of gateway Service %s/%s in cluster %s: %s", lp.index, other.index, og.vg.Namespace(), og.vg.Name(), target, s.Namespace(), s.Name(), gi.cluster, conflictReason(other.l, li.l)).
				WithRelated(other.l.Pos, "the listener it conflicts with").
				WithHint("%s", conflictHint(other.l, li.l)))
			continue
		}
		names[name] = true
		gi.listeners = append(gi.listeners, li)
		gi.gw.Listeners = append(gi.gw.Listeners, li.l)
	}
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

func conflictHint(a, b *model.Listener) string {
	if a.Protocol != b.Protocol {
		return "put plain HTTP and TLS listeners on different ports of the gateway Service"
	}
	return "give the listeners different first hosts, or merge them"
}

func conflictReason(a, b *model.Listener) string {
	if a.Protocol != b.Protocol {
		return fmt.Sprintf("protocols %s and %s on one port", a.Protocol, b.Protocol)
	}
	return fmt.Sprintf("both %s with first host %s", a.Protocol, a.Hosts[0])
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
