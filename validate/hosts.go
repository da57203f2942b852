package validate

import (
	"cmp"
	"fmt"
	"strconv"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
)

// hostClaim is one host of one root table, with the spec.hosts entry it comes from as the model
// recorded it (RouteSet.HostFields).
type hostClaim struct {
	table model.Origin
	field model.Field
	host  string
}

// hostPos is the position of a claim's host entry; the table's own when the model (built by
// hand) recorded none.
func hostPos(c hostClaim) diag.Position {
	if c.field.Path == "" {
		return c.table.Pos
	}
	return c.field.Pos
}

// hostPath is the JSON pointer of a claim's host entry (the hosts list when none is recorded).
func hostPath(c hostClaim) string {
	if c.field.Path == "" {
		return "/spec/hosts"
	}
	return c.field.Path
}

func originLess(a, b model.Origin) bool {
	return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name)) < 0
}

// checkGatewayHosts reports the domains compiler.Resolve found claimed by two root tables in
// one domain space of a gateway workload (Cluster.Conflicts.Hosts): Istio merges such
// VirtualServices in creation order (across Gateways it also warns IST0145). When some request
// can match a route of each, that order decides where it goes: MR3004. When none can, both
// tables are served whatever the order: MR3014, at info level. One finding per pair of tables
// and domain, at the table later in namespace/name order; the rule decides no ownership itself.
func checkGatewayHosts(m *model.Model, src *sources) []diag.Diagnostic {
	type pairDomain struct {
		a, b   diag.ObjectRef
		domain string
	}
	type finding struct {
		c                  *model.HostConflict
		earlier, later     model.HostClaim
		overlapE, overlapL *model.Route // a pair of routes that can match one request
	}
	var order []pairDomain
	found := map[pairDomain]*finding{}
	for _, c := range m.Clusters {
		for _, hc := range c.Conflicts.Hosts {
			earlier, later := hc.First, hc.Later
			if originLess(later.Set.Origin, earlier.Set.Origin) {
				earlier, later = later, earlier
			}
			k := pairDomain{earlier.Set.Origin.Ref(), later.Set.Origin.Ref(), hc.Domain}
			f := found[k]
			if f == nil {
				f = &finding{c: hc, earlier: earlier, later: later}
				found[k] = f
				order = append(order, k)
			}
			if f.overlapE == nil {
				if re, rl := overlappingRoutes(earlier.Routes, later.Routes); re != nil {
					f.c, f.earlier, f.later, f.overlapE, f.overlapL = hc, earlier, later, re, rl
				}
			}
		}
	}
	var ds []diag.Diagnostic
	for _, k := range order {
		f := found[k]
		e, l := claimOf(f.earlier), claimOf(f.later)
		where := fmt.Sprintf("host %q on %s of gateway Service %s/%s", f.c.Domain, listenerName(f.c.Listener), f.c.Gateway.Namespace, f.c.Gateway.Service)
		if f.overlapE == nil {
			ds = append(ds, diag.DisjointHostTables(hostPos(l), where, e.table.Ref(), l.table.Ref()).
				WithObject(l.table.Ref(), hostPath(l)).
				WithHint("Istio merges the two VirtualServices in creation order, which cannot matter here; a route overlapping the other table's would make this error MR3004").
				WithRelated(hostPos(e), "%s claims the host here", e.table.Ref()))
			continue
		}
		ds = append(ds, diag.HostConflictOnGateway(hostPos(l), where, e.table.Ref(), l.table.Ref(), f.overlapL.Name, f.overlapE.Name).
			WithObject(l.table.Ref(), hostPath(l)).
			WithHint("Istio would merge them in creation order; keep the host in one root table and delegate to the other's routes, or make the two routes' matchers exclude each other").
			WithRelated(hostPos(e), "%s claims the host here", e.table.Ref()).
			WithRelated(src.hopPos(f.overlapE.Leaf()), "route %s is here", f.overlapE.Name).
			WithRelated(src.hopPos(f.overlapL.Leaf()), "route %s is here", f.overlapL.Name))
	}
	return ds
}

// overlappingRoutes returns the first pair of routes, one of each list, that some request can
// match both of; nil when there is none.
func overlappingRoutes(as, bs []*model.Route) (*model.Route, *model.Route) {
	for _, a := range as {
		for _, b := range bs {
			if !disjointRoutes(a, b) {
				return a, b
			}
		}
	}
	return nil, nil
}

// claimOf is a recorded host claim as the rules' hostClaim.
func claimOf(c model.HostClaim) hostClaim {
	return hostClaim{table: c.Set.Origin, field: c.Field, host: c.Host}
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
