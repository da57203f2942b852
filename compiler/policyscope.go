package compiler

import "github.com/meshroute/meshroute/schema"

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
