package routetest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/eval"
)

// Explanation is where one request goes and why: the matched route with its delegation chain,
// its action, and why each earlier route of the host did not match.
type Explanation struct {
	Cluster string      `json:"cluster"`
	Entry   string      `json:"entry"`
	Request string      `json:"request"`
	Outcome string      `json:"outcome"`
	Action  string      `json:"action"`
	Config  string      `json:"config,omitempty"`
	Route   string      `json:"route,omitempty"`
	Chain   []ChainHop  `json:"chain,omitempty"`
	Result  eval.Result `json:"result"`
	Misses  []MissedHop `json:"misses,omitempty"`
	Target  string      `json:"target"`
	Headers []string    `json:"headers,omitempty"`
	// DestinationPolicies are the destination policies in effect on the chosen backends.
	DestinationPolicies []DestinationPolicy `json:"destinationPolicies,omitempty"`
	// Policies are the route policies that apply to the matched route (what they do is in
	// Result.Policies, read from the emitted config).
	Policies []AppliedPolicy `json:"policies,omitempty"`
}

// AppliedPolicy is one route policy on the matched route, where it was declared, and the
// destinations it is limited to (applyToRouteDestinations; none: the whole route).
type AppliedPolicy struct {
	Kind         string        `json:"kind"`
	Namespace    string        `json:"namespace"`
	Name         string        `json:"name"`
	Pos          diag.Position `json:"position"`
	Destinations []string      `json:"destinations,omitempty"`
}

// ChainHop is one route along the delegation chain, root first.
type ChainHop struct {
	Table string        `json:"table"`
	Route string        `json:"route"`
	Pos   diag.Position `json:"position"`
}

// MissedHop is an earlier route that did not match.
type MissedHop struct {
	Route  string         `json:"route"`
	Reason string         `json:"reason"`
	Pos    *diag.Position `json:"position,omitempty"`
}

// Explain evaluates one request on the emitted config of cluster and explains the result, with
// positions from the model route of the same name.
func Explain(c *Compiled, cluster string, req eval.Request) (*Explanation, error) {
	res, err := c.Evaluate(cluster, req)
	if err != nil {
		return nil, err
	}
	n := req.Normalize()
	x := &Explanation{
		Cluster: cluster, Target: c.Target, Outcome: res.Outcome, Action: Describe(res),
		Config: res.Config, Route: res.Route, Result: res,
		Request: n.Method + " " + n.Host + n.Path,
	}
	switch n.Protocol {
	case eval.ProtocolTCP:
		x.Request = "TCP " + n.HostName()
	case eval.ProtocolTLS:
		x.Request = "TLS " + n.HostName() + " (SNI " + n.SNI + ")"
	}
	if res.Outcome == eval.Forward {
		x.Action = "forward to " + x.Action
	}
	if len(n.Query) > 0 {
		x.Request += "?" + kvList(n.Query, "=", "&")
	}
	for _, k := range sortedKeys(n.Headers) {
		x.Headers = append(x.Headers, k+": "+n.Headers[k])
	}
	switch {
	case req.Gateway != nil:
		x.Entry = "gateway " + req.Gateway.String()
	case req.Mesh != nil:
		x.Entry = "mesh " + req.Mesh.Namespace
		if len(req.Mesh.Labels) > 0 {
			x.Entry += ":" + kvList(req.Mesh.Labels, "=", ",")
		}
	}
	switch {
	case req.Port != 0:
		x.Entry += fmt.Sprintf(" port %d", req.Port)
	case req.Gateway != nil && res.Port != 0:
		// Say which listener was chosen: the default is the first port serving the host, which
		// is not always the first port.
		x.Entry += fmt.Sprintf(" port %d (default)", res.Port)
	}
	if _, r := c.Route(cluster, res); r != nil {
		for _, h := range r.Chain {
			x.Chain = append(x.Chain, ChainHop{Table: h.Table.Kind + " " + h.Table.Namespace + "/" + h.Table.Name, Route: h.RouteName, Pos: h.Pos})
		}
		x.Policies = appliedPolicies(r)
	}
	for _, m := range res.Misses {
		mh := MissedHop{Route: m.Route, Reason: m.Reason}
		if r := c.routeNamed(cluster, res, m.Route); r != nil {
			pos := r.Leaf().Pos
			mh.Pos = &pos
		}
		x.Misses = append(x.Misses, mh)
	}
	x.DestinationPolicies = destinationPolicies(c.Model.Cluster(cluster), res.Destinations)
	x.Result.Misses = nil // listed once, with positions, in x.Misses
	return x, nil
}

// routeNamed finds a model route by name in the route set behind the result's config.
func (c *Compiled) routeNamed(cluster string, res eval.Result, name string) *model.Route {
	mc := c.Model.Cluster(cluster)
	if mc == nil {
		return nil
	}
	for _, rs := range mc.RouteSets {
		if !c.owns(rs, res) {
			continue
		}
		if i := slices.IndexFunc(rs.Routes, func(r *model.Route) bool { return r.Name == name }); i >= 0 {
			return rs.Routes[i]
		}
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func kvList(m map[string]string, sep, join string) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, k+sep+m[k])
	}
	return strings.Join(parts, join)
}

func appliedPolicies(r *model.Route) []AppliedPolicy {
	if r.Policies == nil {
		return nil
	}
	var out []AppliedPolicy
	for _, a := range r.Policies.Applied {
		ap := AppliedPolicy{Kind: a.Origin.Kind, Namespace: a.Origin.Namespace, Name: a.Origin.Name, Pos: a.Origin.Pos}
		for _, i := range a.Destinations {
			d := r.Forward.Destinations[i]
			ap.Destinations = append(ap.Destinations, fmt.Sprintf("%s:%d", d.Host, d.Port))
		}
		out = append(out, ap)
	}
	return out
}
