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

// VIPsKept reports whether building the same inputs again with previous as the previous
// output's VIPs (host → address, as compile --out-dir reads them back) gives every ServiceEntry
// of m the address m gives it — then that build is m again, as the VIPs are all Build takes from
// the previous output. It holds when no two ServiceEntries share an address and each address
// is either outside the block (only a pin can be, and pins do not depend on the previous output)
// or the one previous gives the first of the ServiceEntry's hosts found there: allocateVIPs
// keeps it, since no other request holds its slot.
func VIPsKept(m *model.Model, previous map[string]string) bool {
	prev := parsePrevious(previous)
	owner := map[string]string{} // address → ServiceEntry key
	for _, c := range m.Clusters {
		for _, be := range c.Backends {
			if !getsVIP(be) {
				continue
			}
			if k, ok := owner[be.VIP]; ok && k != be.Host {
				return false
			}
			owner[be.VIP] = be.Host
			a, err := netip.ParseAddr(be.VIP)
			if err != nil {
				return false
			}
			s, in := vipSlot(a)
			if !in || s >= vipSlots {
				continue // a pin
			}
			if p, ok := previousSlot(vipRequest{key: be.Host, hosts: be.Hosts}, prev, vipSlots); !ok || p != s {
				return false
			}
		}
	}
	return true
}
