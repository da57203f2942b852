package compiler

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
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
				service := ""
				if perNS[s.Namespace()] > 1 {
					service = s.Name()
				}
				gi := &gatewayInfo{
					gw: &model.Gateway{
						Name:      naming.Gateway(vg.Name(), vg.Namespace(), service),
						Namespace: s.Namespace(),
						Origin:    origin(&vg.Object),
						Service:   s.Name(),
						Selector:  s.Spec.Selector,
					},
					vg:      vg,
					svc:     s,
					cluster: ci.name,
				}
				n := len(b.diags)
				b.addListeners(gi, listeners, ci.gateways)
				b.hintBroadSelector(vg, ci, s, n)
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
			b.report(on(&vg.Object, "/spec/workloads", diag.GatewayServiceNotFound(vg.FieldPos("/spec/workloads"), vg.Namespace(), vg.Name())).
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
	if len(names) == 0 && len(b.clusters) == 0 {
		return "workloads[].selector.labels match a gateway Service's spec.selector; no Cluster object is declared, so no Service belongs to any cluster: declare each cluster (apiVersion: meshroute.dev/v1alpha1, kind: Cluster)"
	}
	if len(names) == 0 {
		return "workloads[].selector.labels match a gateway Service's spec.selector; no Service with an istio label is declared"
	}
	return "workloads[].selector.labels match a gateway Service's spec.selector; gateway Services: " + joinComma(names)
}

// hintBroadSelector rewrites the hints of the MR2010 findings addListeners reported (from
// b.diags[n:]) about Service s when only workload selectors without labels or name select s and s
// is no gateway Service (no istio label): the port is missing because the selector takes every
// Service of a namespace or cluster, which the Service's ports alone would not tell the user.
func (b *builder) hintBroadSelector(vg *schema.VirtualGateway, ci *clusterInfo, s *schema.Service, n int) {
	if _, ok := s.Spec.Selector["istio"]; ok {
		return
	}
	broad := -1
	for i, w := range vg.Spec.Workloads {
		if w.Selector == nil || !selects(w.Selector, s.Name(), s.Namespace(), ci.name, s.Spec.Selector) {
			continue
		}
		if len(w.Selector.Labels) > 0 || w.Selector.Name != "" {
			return // selected by name or labels on purpose
		}
		if broad < 0 {
			broad = i
		}
	}
	if broad < 0 {
		return
	}
	istio := "ingressgateway"
	for _, gs := range ci.services {
		if v, ok := gs.Spec.Selector["istio"]; ok && selects(vg.Spec.Workloads[broad].Selector, gs.Name(), gs.Namespace(), ci.name, gs.Spec.Selector) {
			istio = v
			break
		}
	}
	scope := "every Service"
	if ns := vg.Spec.Workloads[broad].Selector.Namespace; ns != "" {
		scope += " in namespace " + ns
	}
	if c := vg.Spec.Workloads[broad].Selector.Cluster; c != "" {
		scope += " of cluster " + c
	}
	for i := n; i < len(b.diags); i++ {
		if d := &b.diags[i]; d.Code == diag.CodeListenerPortNotOnService && d.Object == vg.Object.Ref() {
			d.Hint = fmt.Sprintf("workloads[%d].selector has no labels or name, so it selects %s, not only gateway Services, and %s/%s (selector %s) is no gateway; add `labels: {istio: %s}` (the gateway Service's spec.selector labels) to select only the gateway",
				broad, scope, s.Namespace(), s.Name(), labelString(s.Spec.Selector), istio)
		}
	}
}

func (b *builder) checkWorkloadSelectors(vg *schema.VirtualGateway) {
	for i, w := range vg.Spec.Workloads {
		if w.Selector == nil {
			continue
		}
		p := "/spec/workloads/" + strconv.Itoa(i) + "/selector"
		if c := w.Selector.Cluster; c != "" && b.byName[c] == nil {
			b.report(b.unknownCluster(&vg.Object, p+"/cluster", c))
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
			if w.Selector != nil && selects(w.Selector, s.Name(), s.Namespace(), ci.name, s.Spec.Selector) && b.inWorkspace(w.Selector.Workspace, &s.Object) {
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
		if l.HTTP == nil {
			// Gloo makes a listener with tcp, or with neither http nor tcp, a tcp listener.
			if lp := b.l4ListenerPlan(vg, i, &l); lp != nil {
				out = append(out, lp)
			}
			continue
		}
		lp := &listenerPlan{index: i, protocol: model.ProtocolHTTP}
		lp.admit(vg, &l)
		if l.TLS != nil {
			mode := strings.ToUpper(l.TLS.Mode)
			if mode == "" {
				mode = "SIMPLE"
			}
			if mode == "PASSTHROUGH" || mode == "AUTO_PASSTHROUGH" {
				at := p + "/tls/mode"
				b.report(on(&vg.Object, at, diag.InvalidListenerTLS(vg.FieldPos(at), mode)).
					WithHint("use SIMPLE or MUTUAL, or leave mode out (SIMPLE); to pass TLS through to the backends, make it a tcp listener (`tcp: {}`) and route it with tls routes"))
				b.refuse(vg, "", lp)
				continue
			}
			t, ok := b.listenerTLS(vg, p+"/tls", mode, l.TLS)
			if !ok {
				b.refuse(vg, "", lp)
				continue
			}
			lp.protocol = model.ProtocolHTTPS
			lp.tls = t
			if l.HTTPSRedirect {
				at := p + "/httpsRedirect"
				b.report(on(&vg.Object, at, diag.HTTPSRedirectWithTLS(vg.FieldPos(at))))
			}
		} else {
			lp.redirect = l.HTTPSRedirect
		}
		out = append(out, lp)
	}
	return out
}

// admit records the listener's allowedRouteTables: its host filters and hosts ("*" without any).
func (lp *listenerPlan) admit(vg *schema.VirtualGateway, l *schema.Listener) {
	for _, f := range l.AllowedRouteTables {
		hf := parseHostFilter(f.Host, vg.Namespace())
		hf.selector = f.Selector
		lp.filters = append(lp.filters, hf)
		lp.hosts = append(lp.hosts, hf.host)
	}
	if len(lp.hosts) == 0 {
		lp.hosts = []string{"*"}
	}
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
