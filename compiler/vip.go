package compiler

import (
	"cmp"
	"hash/fnv"
	"net/netip"
	"slices"
)

// The VIP block is every address of 240.0.0.0/4 (reserved, never routed) except Istio's own
// auto-allocation range 240.240.0.0/16 (pilot/pkg/controllers/ipallocate, and the sidecar DNS
// auto-allocation before it) and addresses ending in .0 or .255, which some tools treat as
// network or broadcast addresses (255.255.255.255 among them). Slot i of the block is the
// (i mod 254 + 1)th address of its (i / 254)th /24, counting the /24s of 240.0.0.0/4 without
// 240.240.0.0/16's.
const (
	vipPerSubnet = 254
	vipSubnets   = 1<<20 - 256               // /24s of 240.0.0.0/4 outside 240.240.0.0/16
	vipSlots     = vipSubnets * vipPerSubnet // 266,273,280 addresses
	// istioSubnet is the index of 240.240.0.0/24 among the /24s of 240.0.0.0/4.
	istioSubnet = 0xF000
	// vipRounds is how many independent hashes a host tries before probing linearly; linear
	// probing is only reached in a nearly full block (tests use tiny ones).
	vipRounds = 8
)

var (
	classE         = netip.MustParsePrefix("240.0.0.0/4")
	istioAutoRange = netip.MustParsePrefix("240.240.0.0/16")
)

// vipAddr is the address of a slot of the block.
func vipAddr(slot uint64) netip.Addr {
	subnet := uint32(slot / vipPerSubnet)
	if subnet >= istioSubnet {
		subnet += 256
	}
	v := 0xF0000000 | subnet<<8 | uint32(slot%vipPerSubnet+1)
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// vipSlot is the slot of an address, false when the address is outside the block.
func vipSlot(a netip.Addr) (uint64, bool) {
	if !a.Is4() || !classE.Contains(a) || istioAutoRange.Contains(a) {
		return 0, false
	}
	b := a.As4()
	if b[3] == 0 || b[3] == 255 {
		return 0, false
	}
	subnet := uint64(b[0]&0x0F)<<16 | uint64(b[1])<<8 | uint64(b[2])
	if subnet >= istioSubnet {
		subnet -= 256
	}
	return subnet*vipPerSubnet + uint64(b[3]-1), true
}

// vipRequest is one ServiceEntry asking for an address.
type vipRequest struct {
	key   string   // the ServiceEntry's first host: what is hashed, and the key of the result
	hosts []string // all its hosts, any of which may carry the previous address
	pin   netip.Addr
}

// vipHash is the r-th independent hash of a host.
func vipHash(host string, r int) uint64 {
	f := fnv.New64a()
	f.Write([]byte(host))
	if r > 0 {
		f.Write([]byte{0, byte(r)})
	}
	return f.Sum64()
}

// allocateVIPs gives every request an address; slots is the size of the block (vipSlots, smaller
// in tests to force collisions). In this order:
//  1. a pin is the address, whatever it is (pins were checked by the caller);
//  2. else the previous address of one of the hosts, when it is in the block and free: a host
//     keeps its address across any change but a pin taking it;
//  3. else, taking the requests by (first hash, host), the first free slot among the host's
//     vipRounds hashes, then probing upward from the first. A host's address thus depends only
//     on the hosts with a smaller first hash that took its slot: adding or removing a host moves
//     another only when their slots collide (DESIGN.md §3, docs/istio-output.md).
func allocateVIPs(reqs []vipRequest, previous map[string]netip.Addr, slots uint64) map[string]netip.Addr {
	out := make(map[string]netip.Addr, len(reqs))
	taken := map[uint64]bool{}
	for _, r := range reqs {
		if r.pin.IsValid() {
			out[r.key] = r.pin
			if s, ok := vipSlot(r.pin); ok {
				taken[s] = true
			}
		}
	}
	byKey := slices.Clone(reqs)
	slices.SortFunc(byKey, func(x, y vipRequest) int { return cmp.Compare(x.key, y.key) })
	type hashed struct {
		key  string
		hash uint64
	}
	var rest []hashed
	for _, r := range byKey {
		if r.pin.IsValid() {
			continue
		}
		if s, ok := previousSlot(r, previous, slots); ok && !taken[s] {
			taken[s] = true
			out[r.key] = vipAddr(s)
			continue
		}
		rest = append(rest, hashed{r.key, vipHash(r.key, 0)})
	}
	slices.SortFunc(rest, func(x, y hashed) int { return cmp.Or(cmp.Compare(x.hash, y.hash), cmp.Compare(x.key, y.key)) })
	for _, r := range rest {
		s := freeSlot(r.key, taken, slots)
		taken[s] = true
		out[r.key] = vipAddr(s)
	}
	return out
}

// previousSlot is the slot a request had in the previous output: that of its first host found
// there, if inside the first slots of the block.
func previousSlot(r vipRequest, previous map[string]netip.Addr, slots uint64) (uint64, bool) {
	for _, h := range r.hosts {
		if a, ok := previous[h]; ok {
			s, in := vipSlot(a)
			return s, in && s < slots
		}
	}
	return 0, false
}

// freeSlot is the first free slot among the host's hashes, then upward from the first; with
// every slot taken (more hosts than addresses) the host shares its first slot.
func freeSlot(host string, taken map[uint64]bool, slots uint64) uint64 {
	first := vipHash(host, 0) % slots
	for r := range vipRounds {
		if s := vipHash(host, r) % slots; !taken[s] {
			return s
		}
	}
	for n := uint64(1); n < slots; n++ {
		if s := (first + n) % slots; !taken[s] {
			return s
		}
	}
	return first
}
