package compiler

import (
	"slices"
	"strconv"
	"time"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/schema"
)

// Gloo orders tables of equal weight that one delegate selector picks by creation time, which a
// file in Git does not carry. settleTies orders such a group by metadata.creationTimestamp when
// every table of it has one (objects exported from a cluster), else keeps namespace/name, and
// records the tie in the model: whether the order can change what a request does is the
// validator's question (MR3026, MR3027), since most tied tables serve disjoint paths.

type tieKey struct {
	table *schema.RouteTable
	route int
	sel   int
}

// settleTies reorders, in place, each run of children (sorted by weight, reference order kept)
// that share a weight and a selector, and records it.
func (b *builder) settleTies(t *schema.RouteTable, i int, children []*schema.RouteTable, from map[*schema.RouteTable]int) {
	for start := 0; start < len(children); {
		end := start + 1
		for end < len(children) && children[end].Spec.Weight == children[start].Spec.Weight && from[children[end]] == from[children[start]] {
			end++
		}
		if end-start > 1 {
			b.recordTie(t, i, from[children[start]], children[start:end])
		}
		start = end
	}
}

func (b *builder) recordTie(t *schema.RouteTable, i, sel int, group []*schema.RouteTable) {
	created := make(map[*schema.RouteTable]time.Time, len(group))
	for _, c := range group {
		at, err := time.Parse(time.RFC3339, c.Metadata.CreationTimestamp)
		if err != nil {
			created = nil
			break
		}
		created[c] = at
	}
	if created != nil {
		slices.SortStableFunc(group, func(x, y *schema.RouteTable) int { return created[x].Compare(created[y]) })
	}
	key := tieKey{t, i, sel}
	if b.tieSeen[key] {
		return
	}
	b.tieSeen[key] = true
	at := "/spec/http/" + strconv.Itoa(i) + "/delegate/routeTables/" + strconv.Itoa(sel)
	tie := &model.DelegationTie{
		Table:      origin(&t.Object),
		Route:      i,
		Selector:   model.Field{Path: at, Pos: t.FieldPos(at)},
		Weight:     group[0].Spec.Weight,
		ByCreation: created != nil,
	}
	for _, c := range group {
		tie.Tables = append(tie.Tables, origin(&c.Object))
	}
	b.ties = append(b.ties, tie)
}
