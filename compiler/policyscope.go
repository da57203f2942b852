package compiler

import (
	"strconv"

	"github.com/meshroute/meshroute/schema"
)

// inPolicyScope returns whether an object is in the scope of policy p: with Workspace objects
// declared, Gloo applies a policy only to routes and destinations of its own workspace ("all of
// these resources must be in the same workspace"). A route belongs to the workspace of the table
// that declares it, so a route policy travels with routes another workspace's root delegates to;
// a destination to its Service's or VirtualDestination's. Without workspaces, or for a policy
// in none (already an error, MR2029), the scope is the whole input.
func (b *builder) inPolicyScope(p *schema.Policy) func(*schema.Object) bool {
	w := b.ws.of[&p.Object]
	if w == nil {
		return func(*schema.Object) bool { return true }
	}
	return func(o *schema.Object) bool { return b.ws.of[o] == w }
}

// selectorScope is what one selector of p may reach (an object, and the cluster of a Service):
// with its workspace field left out, p's own workspace; with it, the objects of the workspace it
// names, which, when that is not p's, must be exported to p's workspace and imported by it — a
// matching object that is not is reported at the field (path), as any reference (MR2030).
// Without Workspace objects the field has no effect (the loader says so).
func (b *builder) selectorScope(p *schema.Policy, workspace, path string) func(o *schema.Object, cluster string) bool {
	own := b.inPolicyScope(p)
	if workspace == "" || len(b.ws.workspaces) == 0 {
		return func(o *schema.Object, _ string) bool { return own(o) }
	}
	return func(o *schema.Object, cluster string) bool {
		if w := b.ws.of[o]; w == nil || w.Name() != workspace {
			return false
		}
		if d, hidden := b.hidden(&p.Object, o, cluster, &p.Object, path); hidden {
			b.report(d)
			return false
		}
		return true
	}
}

// destinationScope is selectDestinations' scope for p's applyToDestinations.
func (b *builder) destinationScope(p *schema.Policy) func(sel int, c destCandidate) bool {
	return func(sel int, c destCandidate) bool {
		if sel < 0 {
			return b.inPolicyScope(p)(c.obj)
		}
		return b.destinationInScope(p, "/spec/applyToDestinations/"+strconv.Itoa(sel), p.Spec.ApplyToDestinations[sel], c)
	}
}

// destinationInScope applies the scope of the destination selector s (at path at) to c.
func (b *builder) destinationInScope(p *schema.Policy, at string, s schema.DestinationSelector, c destCandidate) bool {
	workspace := ""
	if s.Selector != nil {
		workspace = s.Selector.Workspace
	}
	return b.selectorScope(p, workspace, at+"/selector/workspace")(c.obj, c.dest.Cluster)
}
