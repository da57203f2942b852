package compiler

import (
	"sync"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/parallel"
	"github.com/meshroute/meshroute/schema"
)

// bindClusters binds the root table rt in every cluster (its ingress and sidecar RouteSets) and
// returns the clusters whose sidecars serve it, in cluster order. At fleet scale this is where
// the route instances (routes × clusters) are made, so the clusters bind on several cores, and
// the result is the serial run's: the same model, the same diagnostics in the same order.
//
// A cluster changes only its own state there (its RouteSets, local and ExternalService
// backends, interned Forwards, its memo of them) and only reads what was made before: the
// inventory, gateways, VirtualDestination backends, workspaces, the table's flattened routes and
// forwardTo plans (bindRouteTables plans them all first). What it reports and its ingressReach
// are merged in cluster order. The changes of shared state whose order matters are left as steps
// (clusterTask.later) replayed in cluster order at their place among the diagnostics: a subset's
// first use (a colliding name is reported against it), a federated backend joining every
// cluster's backends with its east-west findings, an ExternalService's findings on first use and
// its backend joining the cluster's. The federated backends and checked ExternalServices are
// made once, by the first cluster needing one (madeInParallel).
func (b *builder) bindClusters(rt *schema.RouteTable, refs []gwRef, routes []*flatRoute, reach *ingressReach, ingress, mesh bool) []*clusterInfo {
	bind := func(b *builder, ci *clusterInfo, reach *ingressReach) (meshServed bool) {
		if ingress {
			b.bindIngress(ci, rt, refs, routes, reach)
		}
		return mesh && b.meshAllowed(rt) && b.bindMesh(ci, rt, ingress, routes)
	}
	var served []*clusterInfo
	if b.workers <= 1 || len(b.clusters) <= 1 {
		for _, ci := range b.clusters {
			if bind(b, ci, reach) {
				served = append(served, ci)
			}
		}
		return served
	}
	tasks := make([]*clusterTask, len(b.clusters))
	made := &madeInParallel{fed: map[fedKey]*fedInfo{}, ext: map[nsName]checkedExternal{}}
	_ = parallel.ForEachOn(b.workers, len(b.clusters), func(i int) error {
		// The cluster's own builder collects its diagnostics and what it leaves to do later; it
		// shares every map with b, which binding only reads, and assigns no other field.
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
// federated backends and the checked ExternalServices, which the first cluster to need one
// makes (the same whichever it is).
type madeInParallel struct {
	mu  sync.Mutex
	fed map[fedKey]*fedInfo
	ext map[nsName]checkedExternal
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

func (m *madeInParallel) external(k nsName, check func() checkedExternal) checkedExternal {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.ext[k]
	if !ok {
		c = check()
		m.ext[k] = c
	}
	return c
}
