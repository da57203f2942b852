package gen

import "strings"

// Shape is the knobs of a generated case that a fuzz target varies besides the seed: how big
// the mesh gets, how often a case carries a mistake, and strings of the fuzzer's own that stand
// in for the generator's paths, header and query names and values, and response bodies.
type Shape struct {
	Clusters            int     // at most this many clusters (at least 1)
	VirtualDestinations int     // at most this many VirtualDestinations
	RootTables          int     // at most this many gateway root RouteTables (at least 1)
	Routes              int     // at most this many routes per table (at least 1)
	Mistakes            float64 // chance of each small mistake; 0 makes every case well-formed
	Words               []string
}

// DefaultShape is the shape Generate uses.
func DefaultShape() Shape {
	return Shape{Clusters: 4, VirtualDestinations: 2, RootTables: 3, Routes: 4, Mistakes: 0.01}
}

// withDefaults keeps the counts that rand.IntN needs positive.
func (s Shape) withDefaults() Shape {
	s.Clusters = max(s.Clusters, 1)
	s.VirtualDestinations = max(s.VirtualDestinations, 0)
	s.RootTables = max(s.RootTables, 1)
	s.Routes = max(s.Routes, 1)
	return s
}

// wordChance is how often a string is drawn from Shape.Words when there are any. Without Words
// no extra random number is drawn, so Generate's cases stay what they were.
const wordChance = 0.3

// word picks from pool, or sometimes from Shape.Words.
func (g *gen) word(pool []string) string {
	if len(g.s.Words) > 0 && g.chance(wordChance) {
		return g.pick(g.s.Words)
	}
	return g.pick(pool)
}

// wordOr is def, or sometimes a string of Shape.Words.
func (g *gen) wordOr(def string) string {
	if len(g.s.Words) > 0 && g.chance(wordChance) {
		return g.pick(g.s.Words)
	}
	return def
}

// path is a pool path, or sometimes a Shape word made into one (a leading slash).
func (g *gen) path() string {
	p := g.word(paths)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}
