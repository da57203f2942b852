package outdir

import (
	"context"
	"slices"
	"strings"
)

// ChangeKind is what a write would do to one file.
type ChangeKind string

// The kinds of change, as `compile --check` prints them.
const (
	ChangeNew     ChangeKind = "new"
	ChangeChanged ChangeKind = "changed"
	ChangeRemoved ChangeKind = "removed"
)

// Change is one file WriteClusters would write or remove; Path is "<cluster>/<file>".
type Change struct {
	Kind ChangeKind
	Path string
}

// PlanClusters reports what WriteClusters(files, clusters) would change in dir, sorted by path,
// without changing anything: no lock, no marker, no staging folder. It is the same plan the
// write carries out, so it refuses what the write would refuse (a user's file in the way), and
// an empty result means the folder is current. A missing dir is an empty one.
func PlanClusters(dir string, files map[string][]byte, clusters []string) ([]Change, error) {
	t, err := begin(context.Background(), dir, clusters, true)
	if err != nil {
		return nil, err
	}
	if err := putAll(t, files); err != nil {
		return nil, err
	}
	p, err := t.finishPlan()
	if err != nil {
		return nil, err
	}
	return p.changes(), nil
}

func (p *treePlan) changes() []Change {
	var cs []Change
	for rel := range p.writes {
		kind := ChangeNew
		if p.replace[rel] {
			kind = ChangeChanged
		}
		cs = append(cs, Change{kind, rel})
	}
	for _, rel := range p.remove {
		cs = append(cs, Change{ChangeRemoved, rel})
	}
	slices.SortFunc(cs, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	return cs
}
