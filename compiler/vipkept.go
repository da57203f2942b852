package compiler

import (
	"net/netip"

	"github.com/meshroute/meshroute/compiler/model"
)

// getsVIP reports whether assignVIPs gives a backend's ServiceEntry its address; an external
// host keeps the addresses DNS gives it.
func getsVIP(be *model.Backend) bool {
	return be.ServiceEntry != "" && be.Kind != model.BackendExternal
}

// parsePrevious reads the previous output's addresses (host → address); one that does not parse
// is no previous address.
func parsePrevious(vips map[string]string) map[string]netip.Addr {
	previous := make(map[string]netip.Addr, len(vips))
	for h, a := range vips {
		if addr, err := netip.ParseAddr(a); err == nil {
			previous[h] = addr
		}
	}
	return previous
}

// VIPClaims is what a model's ServiceEntries hold of the VIP allocation: each one's hosts and
// address (a few per host, where the model is hundreds of megabytes on a large fleet).
type VIPClaims struct {
	claims []vipClaim
}

type vipClaim struct {
	key   string // the ServiceEntry's first host
	hosts []string
	vip   string
}

// ClaimedVIPs collects m's VIP claims, each distinct one once.
func ClaimedVIPs(m *model.Model) VIPClaims {
	var c VIPClaims
	seen := map[string]bool{}
	for _, cl := range m.Clusters {
		for _, be := range cl.Backends {
			if !getsVIP(be) {
				continue
			}
			id := be.VIP
			for _, h := range be.Hosts {
				id += "\x00" + h
			}
			if !seen[id] {
				seen[id] = true
				c.claims = append(c.claims, vipClaim{key: be.Host, hosts: be.Hosts, vip: be.VIP})
			}
		}
	}
	return c
}

// KeptBy reports whether building the same inputs again with previous as the previous output's
// VIPs (host → address, as compile --out-dir reads them back) gives every ServiceEntry the
// address it claims — then that build is the model again, as the VIPs are all Build takes from
// the previous output. It holds when no two ServiceEntries share an address and each address
// is either outside the block (only a pin can be, and pins do not depend on the previous output)
// or the one previous gives the first of the ServiceEntry's hosts found there: allocateVIPs
// keeps it, since no other request holds its slot.
func (c VIPClaims) KeptBy(previous map[string]string) bool {
	prev := parsePrevious(previous)
	owner := map[string]string{} // address → ServiceEntry key
	for _, cl := range c.claims {
		if k, ok := owner[cl.vip]; ok && k != cl.key {
			return false
		}
		owner[cl.vip] = cl.key
		a, err := netip.ParseAddr(cl.vip)
		if err != nil {
			return false
		}
		s, in := vipSlot(a)
		if !in || s >= vipSlots {
			continue // a pin
		}
		if p, ok := previousSlot(vipRequest{key: cl.key, hosts: cl.hosts}, prev, vipSlots); !ok || p != s {
			return false
		}
	}
	return true
}
