package compiler

import (
	"sync"

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
	made := &madeInParallel{fed: map[fedKey]*fedInfo{}}
	_ = parallel.ForEachOn(b.workers, len(b.clusters), func(i int) error {
		// The cluster's own builder collects its diagnostics and what it leaves to do later; it
		// shares every map with b, which binding only reads here (bindsInParallel), and
		// assigns no other field of its own.
		cb := *b
		cb.diags = nil
		cb.task = &clusterTask{reach: newIngressReach(refs, rt), made: made}
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
	diags  []diag.Diagnostic
	steps  []laterStep
	reach  *ingressReach
	served bool
	made   *madeInParallel
}

// laterStep is a change of shared state left to replay: at is how many diagnostics came before
// it.
type laterStep struct {
	at int
	do func(*builder)
}

// later leaves do to replay, after the first at diagnostics of the task.
func (task *clusterTask) later(at int, do func(*builder)) {
	task.steps = append(task.steps, laterStep{at, do})
}

// replay adds the task's diagnostics to b and makes its changes in the order the serial run
// did, so that what a change reports lands where it did then.
func (task *clusterTask) replay(b *builder) {
	done := 0
	for _, s := range task.steps {
		b.diags = append(b.diags, task.diags[done:s.at]...)
		done = s.at
		s.do(b)
	}
	b.diags = append(b.diags, task.diags[done:]...)
}

// madeInParallel holds what the clusters binding a table at once make for all of them: the
// federated backends, which the first cluster to need one makes (the same whichever it is).
type madeInParallel struct {
	mu  sync.Mutex
	fed map[fedKey]*fedInfo
}

func (m *madeInParallel) federated(k fedKey, newInfo func() *fedInfo) *fedInfo {
	m.mu.Lock()
	defer m.mu.Unlock()
	fi := m.fed[k]
	if fi == nil {
		fi = newInfo()
		m.fed[k] = fi
	}
	return fi
}

// bindsInParallel reports whether binding rt in one cluster changes nothing but that cluster's
// own state (its RouteSets, local backends, interned Forwards) and what bindClusters merges or
// replays: diagnostics, the ingressReach, subset uses and federated backends. What binding does
// not change it only reads: the inventory, gateways, VirtualDestination backends, workspaces,
// and the table's flattened routes and forwardTo plans, all made before. An ExternalService
// would change shared state in an order that depends on which cluster binds first (it is
// checked once, on first use, and its backend joins the cluster's backends among the federated
// ones), so a table routing to one binds one cluster after another.
func (b *builder) bindsInParallel(rt *schema.RouteTable, routes []*flatRoute) bool {
	local := func(k leafKey) bool {
		p := b.forwards[k]
		if p == nil {
			return false // not planned yet: planning would report, and memoise
		}
		for _, ref := range p.refs {
			if ref.DestinationKind() == schema.DestExternalService {
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
