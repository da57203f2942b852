package compiler

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// Gloo applies one policy of a kind to a route (or route destination, or destination host and
// port) and keeps the oldest by creation time. Files in Git carry no creation time, so two such
// policies are an error at the later one in file order (MR3020) — unless both carry
// metadata.creationTimestamp, and then the oldest wins as in Gloo (MR3021, info). Either way the
// other policy is not applied to the contested target, so stages compiling a kind read one
// winner per target from routeWinners / destinationWinners.

// routeWinner is the policy of one kind that applies to a flattened route: to the whole route
// when Route.Destinations is nil, else to those forwardTo destinations only
// (applyToRouteDestinations).
type routeWinner struct {
	Policy *schema.Policy
	Route  model.PolicyRoute
}

// destinationWinner is the policy of one kind that applies to a destination host and port (port
// 0: every port).
type destinationWinner struct {
	Policy *schema.Policy
	Dest   model.PolicyDestination
}

// policyConflict is one pair of same-kind policies that met on at least one target.
type policyConflict struct {
	loser, winner int // indexes into set.Policies
	byAge         bool
	targets       []string
}

// routeWinners returns the policies of kind that apply to the routes of ci, in input order of
// the policies and model order of each one's routes.
func (b *builder) routeWinners(ci *clusterInfo, kind string) []routeWinner {
	type target struct {
		route *model.Route
		dest  int // -1: the whole route
	}
	owner := map[target]int{}
	var order []target
	sets := map[*model.Route]string{}
	for _, mp := range ci.out.Policies {
		if mp.Origin.Kind != kind {
			continue
		}
		in := b.policyInput[mp]
		for _, pr := range mp.Routes {
			sets[pr.Route] = pr.Set
			ts := []target{{pr.Route, -1}}
			if pr.Destinations != nil {
				ts = ts[:0]
				for _, i := range pr.Destinations {
					ts = append(ts, target{pr.Route, i})
				}
			}
			for _, t := range ts {
				prev, taken := owner[t]
				if !taken {
					owner[t] = in
					order = append(order, t)
					continue
				}
				what := "route " + t.route.Name
				if t.dest >= 0 {
					what = fmt.Sprintf("destination %s of route %s", destinationLabel(t.route.Forward.Destinations[t.dest]), t.route.Name)
				}
				owner[t] = b.settlePolicies(prev, in, what)
			}
		}
	}
	var out []routeWinner
	for _, t := range order {
		p := b.set.Policies[owner[t]]
		if n := len(out); n > 0 && out[n-1].Route.Route == t.route && out[n-1].Policy == p && t.dest >= 0 && out[n-1].Route.Destinations != nil {
			out[n-1].Route.Destinations = append(out[n-1].Route.Destinations, t.dest)
			continue
		}
		pr := model.PolicyRoute{Set: sets[t.route], Route: t.route}
		if t.dest >= 0 {
			pr.Destinations = []int{t.dest}
		}
		out = append(out, routeWinner{Policy: p, Route: pr})
	}
	return out
}

func destinationLabel(d *model.Destination) string {
	return fmt.Sprintf("%s:%d", d.Host, d.Port)
}

// destinationWinners returns, sorted by host and port, the policies of kind that apply to the
// destinations of ci. A policy for one port and one for every port of the same host do not
// conflict: the port's own wins on that port.
func (b *builder) destinationWinners(ci *clusterInfo, kind string) []destinationWinner {
	type target struct {
		host string
		port uint32
	}
	owner := map[target]int{}
	dests := map[target]model.PolicyDestination{}
	for _, mp := range ci.out.Policies {
		if mp.Origin.Kind != kind {
			continue
		}
		in := b.policyInput[mp]
		for _, d := range mp.Destinations {
			t := target{d.Host, d.Port}
			if prev, taken := owner[t]; taken {
				owner[t] = b.settlePolicies(prev, in, "destination "+d.String())
				continue
			}
			owner[t] = in
			dests[t] = d
		}
	}
	out := make([]destinationWinner, 0, len(owner))
	for t, in := range owner {
		out = append(out, destinationWinner{Policy: b.set.Policies[in], Dest: dests[t]})
	}
	slices.SortFunc(out, func(x, y destinationWinner) int {
		return cmp.Or(cmp.Compare(x.Dest.Host, y.Dest.Host), cmp.Compare(x.Dest.Port, y.Dest.Port))
	})
	return out
}

// settlePolicies decides which of two same-kind policies on one target applies — first comes
// earlier in input order — records the conflict for reportPolicyConflicts, and returns the
// winner.
func (b *builder) settlePolicies(first, later int, target string) int {
	winner, loser, byAge := first, later, false
	older, newer := b.set.Policies[first].Metadata.CreationTimestamp, b.set.Policies[later].Metadata.CreationTimestamp
	if t1, err1 := time.Parse(time.RFC3339, older); err1 == nil {
		if t2, err2 := time.Parse(time.RFC3339, newer); err2 == nil {
			byAge = true
			if t2.Before(t1) {
				winner, loser = later, first
			}
		}
	}
	key := [2]int{loser, winner}
	c := b.policyConflicts[key]
	if c == nil {
		c = &policyConflict{loser: loser, winner: winner, byAge: byAge}
		b.policyConflicts[key] = c
	}
	if !slices.Contains(c.targets, target) {
		c.targets = append(c.targets, target)
	}
	return winner
}

// reportPolicyConflicts reports each conflicting pair once, at the policy that is not applied,
// with the first target and how many more.
func (b *builder) reportPolicyConflicts() {
	keys := make([][2]int, 0, len(b.policyConflicts))
	for k := range b.policyConflicts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y [2]int) int { return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1])) })
	for _, k := range keys {
		c := b.policyConflicts[k]
		loser, winner := b.set.Policies[c.loser], b.set.Policies[c.winner]
		target := c.targets[0]
		if n := len(c.targets) - 1; n > 0 {
			target += fmt.Sprintf(" (and %s)", plural(n, "more target", "more targets"))
		}
		pos := loser.FieldPos("")
		if c.byAge {
			b.report(on(&loser.Object, "", diag.PolicyConflictOldestWins(pos, loser.Kind, loser.Namespace(), loser.Name(), target, winner.Namespace(), winner.Name())).
				WithRelated(winner.FieldPos(""), "the older %s", winner.Kind).
				WithHint("creation times decide only for objects exported from a cluster; in Git, give the two policies selectors that do not overlap"))
			continue
		}
		b.report(on(&loser.Object, "", diag.PolicyConflict(pos, loser.Kind, loser.Namespace(), loser.Name(), winner.Namespace(), winner.Name(), target)).
			WithRelated(winner.FieldPos(""), "the other %s", winner.Kind).
			WithHint("Gloo applies one %s per %s and keeps the oldest; narrow one selector or merge the two policies", loser.Kind, targetNoun(target)))
	}
}

func targetNoun(target string) string {
	if strings.HasPrefix(target, "route ") {
		return "route"
	}
	return "destination"
}
