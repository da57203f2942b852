package validate

import (
	"strconv"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// sources indexes the loaded objects so rules reading the model can point at source fields
// (the model keeps only object origins and route indexes).
type sources struct {
	set     *schema.Set
	tables  map[nsName]*schema.RouteTable
	objects map[diag.ObjectRef]*schema.Object
}

type nsName struct{ ns, name string }

func newSources(set *schema.Set) *sources {
	s := &sources{set: set, tables: map[nsName]*schema.RouteTable{}, objects: map[diag.ObjectRef]*schema.Object{}}
	for _, rt := range set.RouteTables {
		s.tables[nsName{rt.Namespace(), rt.Name()}] = rt
		s.add(&rt.Object)
	}
	for _, o := range set.Objects() {
		s.add(o)
	}
	for _, o := range set.Others {
		s.add(o)
	}
	return s
}

func (s *sources) add(o *schema.Object) {
	if _, ok := s.objects[o.Ref()]; !ok {
		s.objects[o.Ref()] = o
	}
}

// table returns the RouteTable an origin names, or nil.
func (s *sources) table(o model.Origin) *schema.RouteTable {
	return s.tables[nsName{o.Namespace, o.Name}]
}

// routePath is the JSON pointer of route index i of a table.
func routePath(i int) string { return "/spec/http/" + strconv.Itoa(i) }

// hopPos is the position of a hop's route in its table, falling back to what the model holds.
func (s *sources) hopPos(h model.Hop) diag.Position {
	if !h.Pos.IsZero() {
		return h.Pos
	}
	if rt := s.table(h.Table); rt != nil {
		return rt.FieldPos(routePath(h.Index))
	}
	return h.Table.Pos
}

// orderedObjects lists every indexed object in load order (kind lists are sorted), so rules
// iterating them report deterministically.
func (s *sources) orderedObjects() []*schema.Object {
	return append(s.set.Objects(), s.set.Others...)
}
