package compiler

import (
	"net/netip"
	"strings"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// vipPinPath is the JSON pointer of the meshroute.dev/vip annotation.
var vipPinPath = "/metadata/annotations/" + strings.ReplaceAll(schema.AnnotationVIP, "/", "~1")

// assignVIPs gives every ServiceEntry one address, the same in every cluster (allocateVIPs): a
// VirtualDestination's pin, else the previous output's address, else a hash of its first host.
func (b *builder) assignVIPs() {
	pins := b.vipPins()
	byKey := map[string]bool{}
	var reqs []vipRequest
	for _, ci := range b.clusters {
		for _, be := range ci.out.Backends {
			if getsVIP(be) && !byKey[be.Host] {
				byKey[be.Host] = true
				reqs = append(reqs, vipRequest{key: be.Host, hosts: be.Hosts, pin: pins[be.Host]})
			}
		}
	}
	vips := allocateVIPs(reqs, parsePrevious(b.opts.PreviousVIPs), vipSlots)
	for _, ci := range b.clusters {
		for _, be := range ci.out.Backends {
			if getsVIP(be) {
				be.VIP = vips[be.Host].String()
			}
		}
	}
}

// vipPins reads the meshroute.dev/vip annotation of every VirtualDestination: its first host →
// the pinned address. A pin must be an IPv4 unicast address outside Istio's auto-allocation range
// (MR4016) and no other VirtualDestination's pin (MR3015). A VirtualDestination with several hosts
// has one ServiceEntry, so the pin is the address all its hosts share.
func (b *builder) vipPins() map[string]netip.Addr {
	pins := map[string]netip.Addr{}
	owner := map[netip.Addr]*vdInfo{}
	for _, vi := range b.vds {
		v, ok := vi.vd.Metadata.Annotations[schema.AnnotationVIP]
		if !ok {
			continue
		}
		a, err := netip.ParseAddr(v)
		var problem string
		switch {
		case err != nil || !a.Is4():
			problem = "is not an IPv4 address"
		case istioAutoRange.Contains(a):
			problem = "is inside Istio's own auto-allocation range " + istioAutoRange.String()
		case !a.IsGlobalUnicast():
			problem = "cannot be a service address (unspecified, loopback, link-local, multicast or broadcast)"
		}
		if problem != "" {
			b.report(onPin(vi, diag.InvalidVIPPin(vi.vd.ValuePos(vipPinPath), schema.AnnotationVIP, v, vi.vd.Namespace(), vi.vd.Name(), problem)).
				WithHint("pin one IPv4 unicast address outside %s that nothing else uses, or remove the annotation to get a hashed VIP", istioAutoRange))
			continue
		}
		if first, ok := owner[a]; ok {
			b.report(onPin(vi, diag.VIPPinCollision(vi.vd.ValuePos(vipPinPath), first.vd.Namespace(), first.vd.Name(), vi.vd.Namespace(), vi.vd.Name(), a.String())).
				WithRelated(first.vd.ValuePos(vipPinPath), "the other pin").
				WithHint("give each VirtualDestination its own address, or remove one pin"))
			continue
		}
		owner[a] = vi
		pins[vi.hosts[0]] = a
	}
	return pins
}

// onPin attaches the VirtualDestination and the path of its pin to d, built at the pin's value.
func onPin(vi *vdInfo, d diag.Diagnostic) diag.Diagnostic {
	return d.WithObject(vi.vd.Ref(), vipPinPath)
}
