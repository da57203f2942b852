package routetest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/eval"
	"github.com/meshroute/meshroute/pipeline"
)

// CaseResult is the outcome of one expanded request.
type CaseResult struct {
	Test    string        `json:"test"`
	Request string        `json:"request"`
	Cluster string        `json:"cluster"`
	Pos     diag.Position `json:"position"`
	Passed  bool          `json:"passed"`
	// Skipped is a case the target cannot evaluate (a mesh request on the envoy target, which
	// emits gateways only); SkipReason says why. It counts neither as passed nor as failed.
	Skipped    bool   `json:"skipped,omitempty"`
	SkipReason string `json:"skipReason,omitempty"`
	// Problems are the expected-vs-actual lines of a failure; Error an evaluation that could
	// not run (unknown cluster or gateway).
	Problems []string `json:"problems,omitempty"`
	Error    string   `json:"error,omitempty"`
	// Route is the matched route and RoutePos the position of its leaf route.
	Route    string         `json:"route,omitempty"`
	RoutePos *diag.Position `json:"routePosition,omitempty"`
	Result   *eval.Result   `json:"result,omitempty"`
	// DefaultPort is the gateway Service port chosen for a test that named none, shown with
	// failures so that a surprise in the port choice is visible.
	DefaultPort uint32 `json:"defaultPort,omitempty"`
}

// where names the case's cluster and request for report lines, with a defaulted port.
func (c CaseResult) where() string {
	s := c.Cluster + " " + c.Request
	if c.DefaultPort != 0 {
		s += fmt.Sprintf(", default port %d", c.DefaultPort)
	}
	return s
}

// Report is a whole test run.
type Report struct {
	Cases    []CaseResult `json:"cases"`
	Passed   int          `json:"passed"`
	Failed   int          `json:"failed"`
	Skipped  int          `json:"skipped"`
	Coverage Coverage     `json:"coverage"`
}

// Coverage is the share of routes some case reached; a route is a model route of one route set
// in one cluster (what one VirtualService http entry is).
type Coverage struct {
	Routes    int        `json:"routes"`
	Hit       int        `json:"hit"`
	Percent   float64    `json:"percent"`
	Uncovered []RouteRef `json:"uncovered,omitempty"`
}

// RouteRef names an emitted route for the coverage report: its cluster, route set and position.
type RouteRef struct {
	Cluster  string        `json:"cluster"`
	RouteSet string        `json:"routeSet"`
	Route    string        `json:"route"`
	Pos      diag.Position `json:"position"`
}

// Run evaluates every case of every test on the compiled config.
func Run(c *Compiled, tests []*Test) *Report {
	rep := &Report{Cases: []CaseResult{}}
	hit := map[string]bool{}
	for _, t := range tests {
		cases, err := Expand(t)
		if err != nil {
			rep.add(CaseResult{Test: t.Name, Cluster: strings.Join(oneOrMany(t.Cluster, t.Clusters, ""), ","), Pos: t.Pos, Error: err.Error()})
			continue
		}
		for _, cs := range cases {
			cr := CaseResult{Test: t.Name, Request: cs.Label, Cluster: cs.Cluster, Pos: t.Pos}
			if c.Target == pipeline.TargetEnvoy && cs.Request.Mesh != nil {
				// The envoy target has no sidecars: the test is not wrong, it does not apply.
				cr.Skipped, cr.SkipReason = true, "mesh requests need the istio target (the envoy target emits gateways only)"
				rep.add(cr)
				continue
			}
			res, err := c.Evaluate(cs.Cluster, cs.Request)
			if err != nil {
				cr.Error = err.Error()
				rep.add(cr)
				continue
			}
			cr.Result, cr.Route = &res, res.Route
			if cs.Request.Gateway != nil && cs.Request.Port == 0 {
				cr.DefaultPort = res.Port
			}
			if rs, r := c.Route(cs.Cluster, res); r != nil {
				pos := r.Leaf().Pos
				cr.RoutePos = &pos
				hit[routeKey(cs.Cluster, rs, r)] = true
			}
			// An egress gateway's route is reached by the mesh request's second hop.
			for _, d := range res.Destinations {
				if d.Egress == nil {
					continue
				}
				if rs, r := c.Route(cs.Cluster, *d.Egress); r != nil {
					hit[routeKey(cs.Cluster, rs, r)] = true
				}
			}
			exp := t.Expect
			authz := c.Target == pipeline.TargetEnvoy && exp.Allowed != nil
			if authz {
				exp.Allowed = nil
			}
			cr.Problems = check(exp, cs.Request, res)
			cr.Passed = len(cr.Problems) == 0
			if cr.Passed && authz {
				// The route is checked; whether the destination admits the client is not.
				cr.Passed, cr.Skipped, cr.SkipReason = false, true, "allowed needs the istio target (the destinations' sidecars enforce service isolation; the envoy target emits gateways only)"
			}
			rep.add(cr)
		}
	}
	rep.Coverage = c.coverage(hit)
	return rep
}

func (r *Report) add(cr CaseResult) {
	r.Cases = append(r.Cases, cr)
	switch {
	case cr.Skipped:
		r.Skipped++
	case cr.Passed:
		r.Passed++
	default:
		r.Failed++
	}
}

func routeKey(cluster string, rs *model.RouteSet, r *model.Route) string {
	return cluster + "|" + rs.Namespace + "/" + rs.Name + "|" + r.Name
}

// coverage counts the routes the target emits: every route set for istio, the gateway-bound ones
// for envoy (which has no sidecars).
func (c *Compiled) coverage(hit map[string]bool) Coverage {
	var cov Coverage
	for _, mc := range c.Model.Clusters {
		for _, rs := range mc.RouteSets {
			if c.Target == pipeline.TargetEnvoy && len(rs.Gateways) == 0 {
				continue
			}
			for _, r := range rs.Routes {
				cov.Routes++
				if hit[routeKey(mc.Name, rs, r)] {
					cov.Hit++
					continue
				}
				cov.Uncovered = append(cov.Uncovered, RouteRef{Cluster: mc.Name, RouteSet: rs.Namespace + "/" + rs.Name, Route: r.Name, Pos: r.Leaf().Pos})
			}
		}
	}
	if cov.Routes > 0 {
		cov.Percent = float64(cov.Hit) * 100 / float64(cov.Routes)
	} else {
		cov.Percent = 100
	}
	slices.SortStableFunc(cov.Uncovered, func(a, b RouteRef) int {
		return cmp.Or(cmp.Compare(a.Cluster, b.Cluster), cmp.Compare(a.RouteSet, b.RouteSet))
	})
	return cov
}

// OK reports whether the run passes: no failure and coverage at least failUnder percent.
func (r *Report) OK(failUnder float64) bool {
	return r.Failed == 0 && r.Coverage.Percent+1e-9 >= failUnder
}
