package compiler

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestVIPBlock(t *testing.T) {
	for _, tc := range []struct {
		slot uint64
		addr string
	}{
		{0, "240.0.0.1"},
		{253, "240.0.0.254"},
		{254, "240.0.1.1"},
		{istioSubnet*vipPerSubnet - 1, "240.239.255.254"},
		{istioSubnet * vipPerSubnet, "240.241.0.1"}, // 240.240.0.0/16 is skipped
		{vipSlots - 1, "255.255.255.254"},
	} {
		a := vipAddr(tc.slot)
		if a.String() != tc.addr {
			t.Errorf("vipAddr(%d) = %s, want %s", tc.slot, a, tc.addr)
		}
		if s, ok := vipSlot(a); !ok || s != tc.slot {
			t.Errorf("vipSlot(%s) = %d, %v, want %d", a, s, ok, tc.slot)
		}
	}
	for _, a := range []string{"240.240.3.4", "240.0.0.0", "240.0.0.255", "255.255.255.255", "10.0.0.1", "239.255.255.254", "::ffff:240.0.0.1", "2001:db8::1"} {
		if s, ok := vipSlot(netip.MustParseAddr(a)); ok {
			t.Errorf("vipSlot(%s) = %d, want outside the block", a, s)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		slot := r.Uint64N(vipSlots)
		a := vipAddr(slot)
		if s, ok := vipSlot(a); !ok || s != slot || istioAutoRange.Contains(a) {
			t.Fatalf("slot %d → %s → %d, %v", slot, a, s, ok)
		}
	}
}

// req is a one-host request.
func req(host string) vipRequest { return vipRequest{key: host, hosts: []string{host}} }

func TestAllocateVIPsPrecedence(t *testing.T) {
	hashed := func(h string) netip.Addr { return vipAddr(vipHash(h, 0) % vipSlots) }
	a, b := "a.example.com", "b.example.com"
	pinned := req(a)
	pinned.pin = netip.MustParseAddr("10.96.0.10")
	takesB := req(a)
	takesB.pin = netip.MustParseAddr("240.7.7.7")
	multi := vipRequest{key: a, hosts: []string{a, "a2.example.com"}}
	for _, tc := range []struct {
		name     string
		reqs     []vipRequest
		previous map[string]string
		want     map[string]netip.Addr
	}{
		{"hashed", []vipRequest{req(a), req(b)}, nil, map[string]netip.Addr{a: hashed(a), b: hashed(b)}},
		{"previous kept", []vipRequest{req(a), req(b)}, map[string]string{a: "240.241.42.7"},
			map[string]netip.Addr{a: netip.MustParseAddr("240.241.42.7"), b: hashed(b)}},
		{"pin beats previous", []vipRequest{pinned, req(b)}, map[string]string{a: "240.241.42.7"},
			map[string]netip.Addr{a: pinned.pin, b: hashed(b)}},
		{"pin takes another host's previous address", []vipRequest{takesB, req(b)}, map[string]string{b: "240.7.7.7"},
			map[string]netip.Addr{a: takesB.pin, b: hashed(b)}},
		{"previous outside the block is not kept", []vipRequest{req(a)}, map[string]string{a: "10.96.0.10"},
			map[string]netip.Addr{a: hashed(a)}},
		{"previous in Istio's range is not kept", []vipRequest{req(a)}, map[string]string{a: "240.240.0.1"},
			map[string]netip.Addr{a: hashed(a)}},
		{"two hosts with one previous address: the first by name keeps it", []vipRequest{req(b), req(a)},
			map[string]string{a: "240.7.7.7", b: "240.7.7.7"}, map[string]netip.Addr{a: netip.MustParseAddr("240.7.7.7"), b: hashed(b)}},
		{"previous address of a later host of the ServiceEntry", []vipRequest{multi}, map[string]string{"a2.example.com": "240.7.7.7"},
			map[string]netip.Addr{a: netip.MustParseAddr("240.7.7.7")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prev := map[string]netip.Addr{}
			for h, s := range tc.previous {
				prev[h] = netip.MustParseAddr(s)
			}
			if diff := cmp.Diff(tc.want, allocateVIPs(tc.reqs, prev, vipSlots), cmp.Comparer(func(x, y netip.Addr) bool { return x == y })); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Without previous output, two hosts whose first hashes pick one slot of a tiny block: the one
// with the smaller hash keeps it whatever the input order, the other takes a slot of its next
// hashes, and neither moves when an unrelated host comes or goes.
func TestAllocateVIPsCollision(t *testing.T) {
	const slots = 64
	first := map[uint64]string{}
	var x, y string
	for i := 0; x == ""; i++ {
		h := fmt.Sprintf("svc-%d.example.com", i)
		s := vipHash(h, 0) % slots
		if o, ok := first[s]; ok {
			x, y = o, h
			if vipHash(y, 0) < vipHash(x, 0) {
				x, y = y, x
			}
		}
		first[s] = h
	}
	got := allocateVIPs([]vipRequest{req(y), req(x)}, nil, slots)
	if want := vipAddr(vipHash(x, 0) % slots); got[x] != want {
		t.Errorf("%s (smaller hash) got %s, want its own slot %s", x, got[x], want)
	}
	if got[y] == got[x] {
		t.Errorf("%s and %s share %s", x, y, got[x])
	}
	if again := allocateVIPs([]vipRequest{req(x), req(y)}, nil, slots); !sameVIPs(again, got) {
		t.Errorf("input order changed the result: %v, then %v", got, again)
	}
	// An unrelated host whose slots are away from both neither moves them nor is moved.
	for i := 0; ; i++ {
		h := fmt.Sprintf("other-%d.example.com", i)
		near := false
		for r := range vipRounds {
			s := vipAddr(vipHash(h, r) % slots)
			near = near || s == got[x] || s == got[y]
		}
		if near {
			continue
		}
		more := allocateVIPs([]vipRequest{req(x), req(y), req(h)}, nil, slots)
		if more[x] != got[x] || more[y] != got[y] {
			t.Errorf("adding %s moved the colliding hosts: %v, then %v", h, got, more)
		}
		break
	}
	// More hosts than addresses: every slot is used, then the rest share.
	var all []vipRequest
	for i := range slots + 3 {
		all = append(all, req(fmt.Sprintf("h%d", i)))
	}
	used := map[netip.Addr]bool{}
	for _, a := range allocateVIPs(all, nil, slots) {
		used[a] = true
	}
	if len(used) != slots {
		t.Errorf("%d of %d slots used", len(used), slots)
	}
}

func sameVIPs(a, b map[string]netip.Addr) bool {
	return cmp.Equal(a, b, cmp.Comparer(func(x, y netip.Addr) bool { return x == y }))
}

// TestVIPChurn adds and removes hosts of a generated mesh (VirtualDestination hosts and
// federated .global hosts) 1,000 times, seeded, and counts how many hosts present before and
// after a step changed address. With the previous output none may; without it only collisions
// move hosts, which the tiny block forces and the real block makes negligible.
func TestVIPChurn(t *testing.T) {
	for _, tc := range []struct {
		name  string
		slots uint64
	}{
		{"real block", vipSlots},
		{"tiny block", 512},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(9, 6))
			var pool []string
			for i := range 150 {
				pool = append(pool, fmt.Sprintf("app-%d.team-%d.example.com", i, i%7), fmt.Sprintf("svc-%d.ns-%d.svc.cluster-%d.global", i, i%5, i%3))
			}
			live := map[string]bool{}
			for _, h := range pool[:200] {
				live[h] = true
			}
			withPrev := allocateVIPs(requests(live), nil, tc.slots)
			without := withPrev
			movedWith, movedWithout := 0, 0
			for range 1000 {
				h := pool[r.IntN(len(pool))]
				live[h] = !live[h]
				if !live[h] {
					delete(live, h)
				}
				prev := map[string]netip.Addr{}
				for k, a := range withPrev {
					prev[k] = a
				}
				nextWith := allocateVIPs(requests(live), prev, tc.slots)
				nextWithout := allocateVIPs(requests(live), nil, tc.slots)
				movedWith += moved(withPrev, nextWith)
				movedWithout += moved(without, nextWithout)
				if d := duplicates(nextWith); d != "" && uint64(len(live)) <= tc.slots {
					t.Fatalf("%s shared with previous output", d)
				}
				withPrev, without = nextWith, nextWithout
			}
			t.Logf("%s (%d slots): over 1,000 steps, %d hosts moved with the previous output, %d without", tc.name, tc.slots, movedWith, movedWithout)
			if movedWith != 0 {
				t.Errorf("%d hosts moved although the previous output was given", movedWith)
			}
			if tc.slots == vipSlots && movedWithout != 0 {
				t.Errorf("%d hosts moved in the real block without previous output (about N/slots ≈ 1.5e-6 per step)", movedWithout)
			}
		})
	}
}

func requests(live map[string]bool) []vipRequest {
	var out []vipRequest
	for _, h := range slices.Sorted(maps.Keys(live)) {
		out = append(out, req(h))
	}
	return out
}

// moved counts the hosts of both allocations whose address differs.
func moved(before, after map[string]netip.Addr) int {
	n := 0
	for h, a := range after {
		if b, ok := before[h]; ok && b != a {
			n++
		}
	}
	return n
}

// duplicates names an address two hosts share, if any.
func duplicates(vips map[string]netip.Addr) string {
	owner := map[netip.Addr]string{}
	for h, a := range vips {
		if o, ok := owner[a]; ok {
			return fmt.Sprintf("%s (%s and %s)", a, o, h)
		}
		owner[a] = h
	}
	return ""
}
