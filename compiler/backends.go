package compiler

import (
	"cmp"
	"slices"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/naming"
)

// finishBackends completes the backends once every cluster's routes are resolved: the VD
// backends join each cluster, every backend gets every subset used on its host in any cluster
// (so DestinationRules are the same everywhere), and a local Service gets a backend (for its
// DestinationRule) in every cluster that has it when some route uses a subset of it.
func (b *builder) finishBackends() {
	for _, ci := range b.clusters {
		for _, vi := range b.vds {
			ci.out.Backends = append(ci.out.Backends, ci.vdBackends[vi])
		}
	}
	for _, ci := range b.clusters {
		for _, s := range ci.services {
			if len(b.subsets[ci.fqdn(s)]) == 0 {
				continue
			}
			be := b.localBackend(ci, s)
			be.DestinationRule = naming.DestinationRule(be.Host)
			ci.out.Backends = append(ci.out.Backends, be)
		}
		for _, be := range ci.out.Backends {
			subs := b.subsets[be.Host]
			be.Subsets = be.Subsets[:0]
			for _, s := range subs {
				be.Subsets = append(be.Subsets, s)
			}
			slices.SortFunc(be.Subsets, func(x, y *model.Subset) int { return cmp.Compare(x.Name, y.Name) })
			if len(be.Subsets) == 0 {
				be.Subsets = nil
			}
		}
	}
}
