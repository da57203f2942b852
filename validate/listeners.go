package validate

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
)

// checkTLSListenerSNI reports two TLS listeners on one port of one gateway Service whose SNI
// names collide (MR3010): Envoy selects a TLS filter chain by server name, so the later chain
// loses every name an earlier one claims (compiler/envoy drops it when nothing is left), and
// Istio merges or conflicts the servers. Names compare after Envoy's widening of partial
// wildcards ("*-shop.example.com" is matched as "*.example.com"). Listeners with the same first
// host are already refused by the compiler's MR3010, so they are not reported again here.
func checkTLSListenerSNI(m *model.Model, src *sources) []diag.Diagnostic {
	type slot struct {
		gwNamespace, gwService string
		port                   uint32
	}
	type entry struct {
		vg    model.Origin
		index int
		l     *model.Listener
	}
	type pair struct{ a, b diag.Position }
	reported := map[pair]bool{}
	var ds []diag.Diagnostic
	for _, c := range m.Clusters {
		bySlot := map[slot][]entry{}
		var slots []slot
		for _, g := range c.Gateways {
			for _, l := range g.Listeners {
				if l.TLS == nil {
					continue
				}
				k := slot{g.Namespace, g.Service, l.Port}
				if _, ok := bySlot[k]; !ok {
					slots = append(slots, k)
				}
				bySlot[k] = append(bySlot[k], entry{g.Origin, listenerIndex(src, g.Origin, l), l})
			}
		}
		for _, k := range slots {
			es := bySlot[k]
			// The later listener is the one in the later VirtualGateway (namespace/name order),
			// or written later in one VirtualGateway, as for the compiler's MR3010.
			slices.SortStableFunc(es, func(a, b entry) int {
				return cmp.Or(cmp.Compare(a.vg.Namespace, b.vg.Namespace), cmp.Compare(a.vg.Name, b.vg.Name), cmp.Compare(a.index, b.index))
			})
			for j, later := range es {
				for _, earlier := range es[:j] {
					if strings.EqualFold(earlier.l.Hosts[0], later.l.Hosts[0]) {
						continue // the compiler's MR3010
					}
					name, ok := sniCollision(earlier.l.Hosts, later.l.Hosts)
					if !ok {
						continue
					}
					pr := pair{earlier.l.Pos, later.l.Pos}
					if reported[pr] {
						break
					}
					reported[pr] = true
					path, pos := "/spec/listeners", later.l.Pos
					if later.index >= 0 {
						path += "/" + strconv.Itoa(later.index) + "/port"
						if o := src.objects[later.vg.Ref()]; o != nil {
							pos = o.FieldPos(path)
						}
					}
					of := ""
					if earlier.vg.Ref() != later.vg.Ref() {
						of = " of VirtualGateway " + earlier.vg.Namespace + "/" + earlier.vg.Name
					}
					ds = append(ds, diag.New("MR3010", pos,
						"listener %s conflicts with listener %s%s on port %d of gateway Service %s/%s: both HTTPS with SNI server name %s",
						indexString(later.index), indexString(earlier.index), of, later.l.Port, k.gwNamespace, k.gwService, name).
						WithObject(later.vg.Ref(), path).
						WithRelated(earlier.l.Pos, "the listener it conflicts with").
						WithHint("Envoy picks one filter chain per server name (a partial wildcard such as *-shop.example.com is matched as *.example.com), so the later listener would be dropped; give the listeners disjoint hosts, put them on different ports, or merge them"))
					break
				}
			}
		}
	}
	return ds
}

// sniCollision returns the first server name both host lists select, after widening. A "*"
// listener has no server names (it is the fallback chain), so it collides only with another
// listener that widens to "*".
func sniCollision(a, b []string) (string, bool) {
	names := map[string]bool{}
	for _, h := range a {
		names[strings.ToLower(model.SNIName(h))] = true
	}
	for _, h := range b {
		if n := strings.ToLower(model.SNIName(h)); names[n] {
			return n, true
		}
	}
	return "", false
}

// listenerIndex finds the index of l in its VirtualGateway by position; -1 when unknown.
func listenerIndex(src *sources, vg model.Origin, l *model.Listener) int {
	for _, v := range src.set.VirtualGateways {
		if v.Object.Ref() != vg.Ref() {
			continue
		}
		for i := range v.Spec.Listeners {
			if v.FieldPos("/spec/listeners/"+strconv.Itoa(i)) == l.Pos {
				return i
			}
		}
	}
	return -1
}

func indexString(i int) string {
	if i < 0 {
		return "?"
	}
	return strconv.Itoa(i)
}
