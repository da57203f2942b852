package compiler

import (
	"hash/fnv"
	"net/netip"
	"slices"
)

// vipBase is 240.241.0.0/16: reserved space, outside Istio's own auto-allocation range
// (240.240.0.0/16), so meshroute's addresses never clash with Istio's.
var vipBase = [4]byte{240, 241, 0, 0}

// assignVIPs gives every ServiceEntry host one address, the same in every cluster: the FNV-1a hash
// of the host picks a slot in 240.241.0.0/16, and a taken slot probes to the next free one, hosts
// taken in sorted order. Addresses ending in .0 or .255 are skipped: some tools treat them as
// network or broadcast addresses.
func (b *builder) assignVIPs() {
	var hosts []string
	for _, ci := range b.clusters {
		for _, be := range ci.out.Backends {
			if be.ServiceEntry != "" {
				hosts = append(hosts, be.Host)
			}
		}
	}
	slices.Sort(hosts)
	hosts = slices.Compact(hosts)
	vips := allocateVIPs(hosts)
	for _, ci := range b.clusters {
		for _, be := range ci.out.Backends {
			if be.ServiceEntry != "" {
				be.VIP = vips[be.Host]
			}
		}
	}
}

// allocateVIPs maps each host (sorted, unique) to its address.
func allocateVIPs(hosts []string) map[string]string {
	const slots = 1 << 16
	taken := make(map[uint16]bool, len(hosts))
	out := make(map[string]string, len(hosts))
	for _, h := range hosts {
		f := fnv.New32a()
		f.Write([]byte(h))
		slot := uint16(f.Sum32() % slots)
		// At most 65,536 probes; with more hosts than usable addresses the last ones share.
		for n := 0; n < slots && (taken[slot] || !usable(slot)); n++ {
			slot++
		}
		taken[slot] = true
		ip := vipBase
		ip[2], ip[3] = byte(slot>>8), byte(slot)
		out[h] = netip.AddrFrom4(ip).String()
	}
	return out
}

func usable(slot uint16) bool { low := byte(slot); return low != 0 && low != 255 }
