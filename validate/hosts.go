package validate

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
)

// hostClaim is one host of one root table.
type hostClaim struct {
	table model.Origin
	index int // in the table's spec.hosts
	host  string
}

func (src *sources) hostPos(c hostClaim) diag.Position {
	if rt := src.table(c.table); rt != nil {
		return rt.FieldPos(hostPath(c))
	}
	return c.table.Pos
}

func originLess(a, b model.Origin) bool {
	return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name)) < 0
}

// checkGatewayHosts reports a host that two root tables claim on the same gateway workload and
// port (MR3004): Istio merges such VirtualServices in creation order (or, across Gateways, warns
// IST0145), so which routes win would depend on apply order. The key is the gateway Service,
// not the VirtualGateway, so two VirtualGateways selecting one workload conflict too.
func checkGatewayHosts(m *model.Model, src *sources) []diag.Diagnostic {
	type slot struct {
		cluster, gwNamespace, gwService string
		port                            uint32
		host                            string
	}
	type pairHost struct {
		a, b model.Origin
		host string
	}
	first := map[slot]hostClaim{}
	reported := map[pairHost]bool{}
	var ds []diag.Diagnostic
	for _, c := range m.Clusters {
		for _, rs := range c.RouteSets {
			for _, g := range rs.Gateways {
				for _, l := range g.Listeners {
					if l.HTTPSRedirect {
						// The listener answers every request with the redirect: no table's routes
						// run there, so two tables claiming a host on it conflict on nothing.
						continue
					}
					for i, h := range rs.Hosts {
						if !listenerAllows(l.Hosts, h) {
							continue
						}
						k := slot{c.Name, g.Namespace, g.Service, l.Port, strings.ToLower(h)}
						claim := hostClaim{rs.Origin, hostIndex(src, rs.Origin, h, i), h}
						other, ok := first[k]
						if !ok {
							first[k] = claim
							continue
						}
						if other.table.Ref() == claim.table.Ref() {
							continue
						}
						later, earlier := claim, other
						if originLess(claim.table, other.table) {
							later, earlier = other, claim
						}
						ph := pairHost{earlier.table, later.table, k.host}
						ph.a.Pos, ph.b.Pos = diag.Position{}, diag.Position{}
						if reported[ph] {
							continue
						}
						reported[ph] = true
						ds = append(ds, diag.New("MR3004", src.hostPos(later),
							"host %q on %s of gateway Service %s/%s is claimed by two root tables: %s and %s",
							h, listenerName(l), g.Namespace, g.Service, earlier.table.Ref(), later.table.Ref()).
							WithObject(later.table.Ref(), hostPath(later)).
							WithHint("Istio would merge them in creation order; keep the host in one root table and delegate to the other's routes").
							WithRelated(src.hostPos(earlier), "%s claims the host here", earlier.table.Ref()))
					}
				}
			}
		}
	}
	return ds
}

// listenerName says which listener a finding is about the way the user wrote it (the Service
// port) and the way Istio shows it (the target port and the generated server port name).
func listenerName(l *model.Listener) string {
	s := "listener port " + strconv.FormatUint(uint64(l.ServicePort), 10)
	if l.ServicePort == 0 || l.ServicePort == l.Port {
		s = "listener port " + strconv.FormatUint(uint64(l.Port), 10)
	} else {
		s += " (target port " + strconv.FormatUint(uint64(l.Port), 10) + ")"
	}
	if l.PortName != "" {
		s += " [" + l.PortName + "]"
	}
	return s
}

// hostIndex finds the entry of the source table's spec.hosts that claims h. The model's host list
// is not the table's: admission drops hosts no listener admits and narrows others ('*.x.com'
// under a listener for a.x.com is served as a.x.com), so its index can name another entry. The
// claiming entry is h itself (any case), else the one that covers it; a table's hosts do not
// overlap each other (MR3012), so at most one does. Without the source table (model-only
// callers), the model's index is all there is; -1 means no entry claims h.
func hostIndex(src *sources, o model.Origin, h string, fallback int) int {
	rt := src.table(o)
	if rt == nil {
		return fallback
	}
	if i := slices.IndexFunc(rt.Spec.Hosts, func(th string) bool { return strings.EqualFold(th, h) }); i >= 0 {
		return i
	}
	return slices.IndexFunc(rt.Spec.Hosts, func(th string) bool { return model.HostsOverlap(th, h) })
}

// hostPath is the JSON pointer of a claim's host entry (the hosts list when none claims it).
func hostPath(c hostClaim) string {
	if c.index < 0 {
		return "/spec/hosts"
	}
	return "/spec/hosts/" + strconv.Itoa(c.index)
}

// listenerAllows reports whether a listener restricted to hosts serves host h.
func listenerAllows(hosts []string, h string) bool {
	if len(hosts) == 0 {
		return true
	}
	for _, lh := range hosts {
		if model.HostsOverlap(lh, h) {
			return true
		}
	}
	return false
}
