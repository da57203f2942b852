package compiler

import (
	"fmt"
	"strings"

	"github.com/meshroute/meshroute/schema"
)

// PoliciesMarkdown renders docs/policies.md from schema.PolicyKinds and compiledPolicies, so the
// page cannot claim more than the code does.
func PoliciesMarkdown() []byte {
	var b strings.Builder
	b.WriteString(policiesIntro)
	b.WriteString("| kind | API group | attaches to | meshroute | ignoring it |\n| --- | --- | --- | --- | --- |\n")
	for _, k := range schema.PolicyKinds {
		treatment := "**reported as warning** MR4018"
		switch {
		case policyCompiled(k.Kind):
			treatment = "**compiled**"
		case k.Effect == schema.EffectTraffic:
			treatment = "**reported as error** MR4017"
		}
		attach := "—"
		if len(k.Attach) > 0 {
			attach = "`" + strings.Join(k.Attach, "`, `") + "`"
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s |\n", k.Kind, k.APIVersion, attach, treatment, k.Why)
	}
	b.WriteString(policiesSelection)
	b.WriteString(policiesConflicts)
	for _, c := range compiledPolicies {
		fmt.Fprintf(&b, "\n### %s\n\n| Gloo field | Istio | Envoy |\n| --- | --- | --- |\n", c.Kind)
		for _, f := range c.Fields {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", f.Gloo, f.Istio, f.Envoy)
		}
		for _, n := range c.Notes {
			fmt.Fprintf(&b, "\n%s\n", n)
		}
	}
	return []byte(b.String())
}

const policiesIntro = `# Gloo policies

<!-- Generated from schema/policy.go and compiler/policytable.go by go test ./compiler -update; do not edit. -->

meshroute reads every policy kind of the Gloo API (` + "`*.policy.gloo.solo.io/v2`" + `, as of
solo-apis gloo-mesh-v2.6.x) with the same strictness as the routing kinds: a JSON Schema per kind
(` + "`meshroute schema KIND`" + ` prints it), unknown fields with a did-you-mean (MR1001), enum values,
percentages (0–100), fault abort statuses (200–599) and durations (a number with a unit, as
Gloo documents them: ` + "`10s`, `1m30s`, `250ms`" + `) checked (MR1003). Types Gloo takes from other APIs (Envoy
health checks, Istio patch contexts, rate-limit actions, auth configs) are not checked.

The kinds marked **compiled** below become fields of the generated DestinationRules and
VirtualServices (Istio) or of the clusters and routes (Envoy); the field mappings follow the
table. A policy of any other kind is never skipped silently: it is reported at the policy with
what it selects — an **error** (MR4017) when ignoring it would change where or whether requests
flow, a **warning** (MR4018) otherwise. A policy that selects nothing is a warning (MR2018) with
a did-you-mean over the labels in scope.

## Kinds

`

const policiesSelection = `
## Selection

One selector engine serves every kind. It runs on the compiled model, per cluster, so a policy
is resolved per flattened route (a child route reached through two parents may be selected
through one and not the other) and per destination host.

- **Scope** is the policy's workspace when Workspace objects are declared (Gloo applies a policy
  only to resources of its own workspace): routes declared by tables of that workspace — so a
  route policy travels with routes another workspace's root delegates to — and its Services and
  VirtualDestinations. Without Workspace objects it is the whole input. A selector's own
  ` + "`workspace`" + ` field narrows it to that workspace's routes or destinations; another
  workspace's must be exported to the policy's workspace and imported by it, else MR2030 at
  the field (docs/workspaces.md).
- **An empty list selects everything in scope.** A kind whose selector lists are all left out
  selects every flattened route when it attaches to routes, or else every destination host. A
  destination selector alone selects no route (the rule LuaPolicy's API states).
- ` + "`applyToRoutes[].route`" + ` selects a flattened route when every one of its ` + "`labels`" + ` is among the
  route's labels (docs/routing.md, "Route labels": the tables' metadata labels and the routes' own
  labels along the delegation chain, the nearer one winning), ` + "`namespace`" + ` is the namespace of
  the table that declares the route, and ` + "`cluster`" + ` is the compiled cluster. Routes have no name
  selector in the API.
- ` + "`applyToRoutes[].withDestinations`" + ` selects a route when one of its ` + "`forwardTo`" + ` destinations
  matches the destination selector below (with the port the route uses).
- ` + "`applyToRouteDestinations`" + ` (HeaderManipulationPolicy) selects the routes its ` + "`route`" + ` selector
  picks, limited to the ` + "`forwardTo`" + ` destinations ` + "`onDestinations`" + ` picks (all when left out).
- ` + "`applyToDestinations[]`" + ` selects destination hosts: ` + "`kind`" + ` SERVICE (the default) picks Services —
  in each cluster its own Services (` + "`<svc>.<ns>.svc.<domain>`" + `) and the federated hosts of other
  clusters' Services its routes use (` + "`<svc>.<ns>.svc.<cluster>.global`" + `); VIRTUAL_DESTINATION picks
  every host of the VirtualDestination; EXTERNAL_SERVICE picks every host of the
  ExternalService, in the clusters where it has a ServiceEntry (those of its workspace, and those whose routes use it). The object selector matches ` + "`name`" + `, ` + "`namespace`" + `, ` + "`cluster`" + ` (a
  VirtualDestination has none, so a selector naming a cluster does not pick it) and every one of
  ` + "`labels`" + ` (the object's metadata labels); a field left out matches anything. ` + "`port`" + ` (number,
  or a Service port's name) narrows the selection to that port; left out, every port.
- Listener and workload selectors (` + "`applyToListeners`" + `, ` + "`applyToWorkloads`" + `) are not resolved yet:
  such policies are reported without what they select.
`

const policiesConflicts = `
## One policy of a kind per route or destination

Gloo applies one policy of a kind to a route, to a route's forwardTo destination
(` + "`applyToRouteDestinations`" + `), or to a destination host and port, and keeps the oldest by creation
time. A file in Git has no creation time, so meshroute does not guess: two policies of one kind
selecting the same target is an **error** (MR3020) at the later one in file order, naming the other
and the target. When both carry ` + "`metadata.creationTimestamp`" + ` (objects exported from a cluster),
the older applies as in Gloo and the other is reported at info level (MR3021); equal times are
settled by file order. A policy for one port of a host and one for all its ports do not conflict:
on that port the port's own applies.

## Field mappings
`
