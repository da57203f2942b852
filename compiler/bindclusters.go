package compiler

import (
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/parallel"
	"github.com/meshroute/meshroute/schema"
)

// bindClusters binds the root table rt in every cluster (its ingress and sidecar RouteSets) and
// returns the clusters whose sidecars serve it, in cluster order. At fleet scale this is where
// the route instances (routes × clusters) are made, so the clusters bind on several cores when
// bindsInParallel says that only per-cluster state changes; the result is then merged in cluster
// order and equals the serial run's: the same diagnostics in the same order, and the same
// ingressReach.
func (b *builder) bindClusters(rt *schema.RouteTable, refs []gwRef, routes []*flatRoute, reach *ingressReach, ingress, mesh bool) []*clusterInfo {
	bind := func(b *builder, ci *clusterInfo, reach *ingressReach) (meshServed bool) {
		if ingress {
			b.bindIngress(ci, rt, refs, routes, reach)
		}
		return mesh && b.meshAllowed(rt) && b.bindMesh(ci, rt, ingress, routes)
	}
	var served []*clusterInfo
	if b.workers <= 1 || len(b.clusters) <= 1 || !b.bindsInParallel(rt, routes) {
		for _, ci := range b.clusters {
			if bind(b, ci, reach) {
				served = append(served, ci)
			}
		}
		return served
	}
	tasks := make([]*clusterTask, len(b.clusters))
	_ = parallel.ForEachOn(b.workers, len(b.clusters), func(i int) error {
		// The cluster's own builder collects its diagnostics and subset uses; it shares every
		// map with b, which binding only reads here (bindsInParallel), and assigns no other
		// field of its own.
		cb := *b
		cb.diags = nil
		cb.task = &clusterTask{reach: newIngressReach(refs, rt)}
		cb.task.served = bind(&cb, b.clusters[i], cb.task.reach)
		cb.task.diags = cb.diags
		tasks[i] = cb.task
		return nil
	})
	for i, task := range tasks {
		task.replay(b)
		reach.merge(task.reach)
		if task.served {
			served = append(served, b.clusters[i])
		}
	}
	return served
}

// clusterTask is what binding a table in one cluster among others left for bindClusters to merge.
type clusterTask struct {
	diags   []diag.Diagnostic
	subsets []subsetUse
	reach   *ingressReach
	served  bool
}

// subsetUse is a useSubset call left to replay: at is how many diagnostics came before it.
type subsetUse struct {
	at               int
	t                *schema.Object
	path, host, name string
	labels           map[string]string
}

// replay adds the task's diagnostics and subset uses to b in the order the serial run made
// them, so a subset colliding with an earlier one is reported where it was then.
func (task *clusterTask) replay(b *builder) {
	done := 0
	for _, u := range task.subsets {
		b.diags = append(b.diags, task.diags[done:u.at]...)
		done = u.at
		b.addSubset(u.t, u.path, u.host, u.name, u.labels)
	}
	b.diags = append(b.diags, task.diags[done:]...)
}

// bindsInParallel reports whether binding rt in one cluster changes nothing but that cluster's
// own state (its RouteSets, local backends, interned Forwards) and what bindClusters merges:
// diagnostics, subset uses and the ingressReach.
// What binding does not change it only reads: the inventory, gateways, VirtualDestination
// backends, workspaces, and the table's flattened routes and forwardTo plans, all made before.
// Subset uses are replayed in serial order (clusterTask.replay). Two kinds of destination would
// change shared state in an order that depends on which cluster binds first, so a table with
// either binds one cluster after another: an ExternalService (checked once, on first use, and
// given a backend) and a Service pinned to a cluster (its federated backend is created in every
// cluster at once, with the east-west findings).
func (b *builder) bindsInParallel(rt *schema.RouteTable, routes []*flatRoute) bool {
	local := func(k leafKey) bool {
		p := b.forwards[k]
		if p == nil {
			return false // not planned yet: planning would report, and memoise
		}
		for _, ref := range p.refs {
			if ref.DestinationKind() == schema.DestExternalService || ref.Ref.Cluster != "" {
				return false
			}
		}
		return true
	}
	for _, fr := range routes {
		if fr.route.ForwardTo != nil && !local(leafKey{t: fr.table, i: fr.index}) {
			return false
		}
	}
	for i := range rt.Spec.TCP {
		if !local(leafKey{t: rt, i: i, list: "tcp"}) {
			return false
		}
	}
	for i := range rt.Spec.TLS {
		if !local(leafKey{t: rt, i: i, list: "tls"}) {
			return false
		}
	}
	return true
}
