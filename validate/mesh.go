package validate

import (
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
)

// checkMeshHosts reports the mesh tables compiler.Resolve found on the same or overlapping hosts
// (Cluster.Conflicts.MeshHosts) as MR3005: sidecars take one VirtualService per host (Istio's
// IST0109), so the other's routes would be silently ignored. The rule decides nothing itself.
func checkMeshHosts(m *model.Model) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, c := range m.Clusters {
		for _, mc := range c.Conflicts.MeshHosts {
			l, o := claimOf(mc.Later), claimOf(mc.First)
			ds = append(ds, diag.MeshHostOverlap(hostPos(l), l.host, l.table.Ref(), o.host, o.table.Ref()).
				WithObject(l.table.Ref(), hostPath(l)).
				WithHint("sidecars use one VirtualService per host, so one table's routes would be ignored; serve the host from one table").
				WithRelated(hostPos(o), "%s claims %q here", o.table.Ref(), o.host))
		}
	}
	return ds
}
