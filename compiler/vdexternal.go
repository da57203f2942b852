package compiler

import (
	"cmp"
	"reflect"
	"strconv"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// vdExternals are a VirtualDestination's ExternalService backends, the same in every cluster:
// their addresses (an ExternalService resolved by DNS stands as its first host) with each VD
// port mapped to the address's port, and the TLS each VD port originates to them.
type vdExternals struct {
	endpoints []*model.ExternalEndpoint
	tls       map[uint32]*model.ClientTLS
}

// selectExternalBacking resolves a VirtualDestination's externalServices: every ExternalService
// an entry selects (name, namespace, labels; any when left out) that the VD's workspace sees.
// Each VD port reaches the ExternalService port its targetPort names (a number matches the port
// number, a name the port name; left out, the VD port's number), as the proto's PortMapping says.
func (b *builder) selectExternalBacking(vi *vdInfo) {
	vd := vi.vd
	var selected []*extInfo
	seen := map[*extInfo]bool{}
	for i := range vd.Spec.ExternalServices {
		sel := &vd.Spec.ExternalServices[i]
		at := "/spec/externalServices/" + strconv.Itoa(i)
		var invisible *diag.Diagnostic
		found := false
		// cluster is not compared: ExternalServices are mesh-wide and carry none.
		bySelector := &schema.ObjectSelector{Name: sel.Name, Namespace: sel.Namespace, Labels: sel.Labels}
		for _, es := range b.set.ExternalServices {
			if !selects(bySelector, es.Name(), es.Namespace(), "", es.Metadata.Labels) || !b.inWorkspace(sel.Workspace, &es.Object) {
				continue
			}
			if d, hidden := b.hidden(&vd.Object, &es.Object, "", &vd.Object, at); hidden {
				if invisible == nil {
					invisible = &d
				}
				continue
			}
			found = true
			xi := b.externalService(es.Namespace(), es.Name())
			if !seen[xi] && b.usable(xi) {
				seen[xi] = true
				selected = append(selected, xi)
			}
		}
		switch {
		case found:
		case invisible != nil:
			b.report(*invisible)
		default:
			want := cmpOr(sel.Namespace, vd.Namespace()) + "/" + sel.Name
			d := on(&vd.Object, at, diag.ExternalBackingSelectsNothing(vd.FieldPos(at), i, vd.Namespace(), vd.Name()))
			if sel.Name != "" {
				d = didYouMean(d, want, b.externalServiceNames(), "ExternalService")
			} else {
				d = d.WithHint("the selector matches ExternalServices by name, namespace and metadata.labels")
			}
			b.report(d)
		}
	}
	if len(selected) == 0 {
		return
	}
	vx := &vdExternals{tls: map[uint32]*model.ClientTLS{}}
	for _, xi := range selected {
		b.addExternalBacking(vi, vx, xi)
	}
	b.checkExternalTLS(vi, selected)
	vi.externals = vx
}

// addExternalBacking adds one ExternalService's addresses, when it has every port the VD's
// ports target (MR2040 otherwise).
func (b *builder) addExternalBacking(vi *vdInfo, vx *vdExternals, xi *extInfo) {
	vd, es := vi.vd, xi.es
	ports := make([]*model.BackendPort, len(vd.Spec.Ports)) // the ExternalService port of each VD port
	for i, p := range vd.Spec.Ports {
		if ports[i] = externalPortFor(vd, i, xi); ports[i] != nil {
			continue
		}
		want, at := schema.PortSelector{Number: p.Number}, "/spec/ports/"+strconv.Itoa(i)
		if p.TargetPort.IsSet() {
			want, at = *p.TargetPort, at+"/targetPort"
		}
		b.report(on(&vd.Object, at, diag.ExternalBackingPortMissing(vd.FieldPos(at), nsSlashName(&vd.Object), p.Number, portString(want), nsSlashName(&es.Object))).
			WithRelated(es.FieldPos("/spec/ports"), "the ExternalService's ports").
			WithHint("its ports: %s", backendPortList(&model.Backend{Ports: xi.ports})))
		return
	}
	addresses := xi.endpoints
	if len(addresses) == 0 {
		// Resolved by DNS: the first host, on each port's targetPort number (else its number).
		ep := &model.ExternalEndpoint{Address: es.Spec.Hosts[0], Ports: map[string]uint32{}}
		for _, bp := range xi.ports {
			ep.Ports[bp.Name] = cmp.Or(bp.TargetPort, bp.Number)
		}
		addresses = []*model.ExternalEndpoint{ep}
	}
	for _, a := range addresses {
		ep := &model.ExternalEndpoint{Address: a.Address, Ports: map[string]uint32{}, Locality: a.Locality, WorkloadEntry: naming.ExternalWorkloadEntry(vi.hosts[0], a.Address)}
		for i, p := range vd.Spec.Ports {
			ep.Ports[naming.BackendPort(vdProtocol(p), p.Number)] = a.Ports[ports[i].Name]
		}
		vx.endpoints = append(vx.endpoints, ep)
	}
	for i, p := range vd.Spec.Ports {
		if t := ports[i].TLS; t != nil {
			vx.tls[p.Number] = t
		}
	}
}

// checkExternalTLS refuses TLS origination Istio cannot carry as one DestinationRule setting per
// port (MR4036): beside backing Services, which take Istio mutual TLS through the east-west
// gateways, or different between two ExternalServices.
func (b *builder) checkExternalTLS(vi *vdInfo, selected []*extInfo) {
	vd := vi.vd
	for i, p := range vd.Spec.Ports {
		at := "/spec/ports/" + strconv.Itoa(i)
		var first *extInfo
		for _, xi := range selected {
			bp := externalPortFor(vd, i, xi)
			if bp == nil {
				continue
			}
			var why, hint string
			switch {
			case bp.TLS != nil && len(vd.Spec.Services) > 0:
				why = "ExternalService " + nsSlashName(&xi.es.Object) + " originates TLS, which Istio would apply to the backing Services too (they take Istio mutual TLS)"
				hint = "back this VirtualDestination with ExternalServices only, or route to the ExternalService directly"
			case first == nil:
				first = xi
				continue
			case !reflect.DeepEqual(externalPortFor(vd, i, first).TLS, bp.TLS):
				why = "ExternalServices " + nsSlashName(&first.es.Object) + " and " + nsSlashName(&xi.es.Object) + " originate different TLS (mode, SNI or certificates)"
				hint = "give both ports the same clientsideTls, with an explicit sni"
			default:
				continue
			}
			b.report(on(&vd.Object, at, diag.ExternalBackingTLS(vd.FieldPos(at), nsSlashName(&vd.Object), p.Number, why)).
				WithRelated(xi.es.FieldPos("/spec/ports"), "the ExternalService's ports").
				WithHint("%s", hint))
			break
		}
	}
}

// externalPortFor is the ExternalService port VD port i reaches, nil when it has none.
func externalPortFor(vd *schema.VirtualDestination, i int, xi *extInfo) *model.BackendPort {
	p := vd.Spec.Ports[i]
	want := schema.PortSelector{Number: p.Number}
	if p.TargetPort.IsSet() {
		want = *p.TargetPort
	}
	for k, q := range xi.es.Spec.Ports {
		if (want.Name != "" && q.Name == want.Name) || (want.Name == "" && q.Number == want.Number) {
			return xi.ports[k]
		}
	}
	return nil
}

// withTLS copies ports with the TLS each originates to the external backends.
func withTLS(ports []*model.BackendPort, tls map[uint32]*model.ClientTLS) []*model.BackendPort {
	out := make([]*model.BackendPort, len(ports))
	for i, p := range ports {
		cp := *p
		cp.TLS = tls[p.Number]
		out[i] = &cp
	}
	return out
}

// externalServiceNames are every ExternalService as namespace/name, for did-you-mean hints.
func (b *builder) externalServiceNames() []string {
	have := make([]string, 0, len(b.set.ExternalServices))
	for _, es := range b.set.ExternalServices {
		have = append(have, nsSlashName(&es.Object))
	}
	return have
}
