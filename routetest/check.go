package routetest

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/meshroute/meshroute/eval"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// check compares the result of req with the expectation and returns the problems, empty when the
// case passes.
func check(exp Expect, req eval.Request, res eval.Result) []string {
	var problems []string
	switch {
	case exp.Destination != nil:
		if res.Outcome != eval.Forward || len(res.Destinations) != 1 || !destMatches(*exp.Destination, res.Destinations[0], false) {
			problems = append(problems, fmt.Sprintf("expected %s, got %s", describeDest(*exp.Destination), Describe(res)))
		}
	case len(exp.Destinations) > 0:
		if res.Outcome != eval.Forward || !destsMatch(exp.Destinations, res.Destinations) {
			var want []string
			for _, d := range exp.Destinations {
				want = append(want, describeDest(d))
			}
			problems = append(problems, fmt.Sprintf("expected destinations [%s], got %s", strings.Join(want, ", "), Describe(res)))
		}
	case exp.Redirect != nil:
		r := res.Redirect
		if res.Outcome != eval.Redirect || exp.Redirect.Scheme != "" && !strings.EqualFold(exp.Redirect.Scheme, r.Scheme) ||
			exp.Redirect.Host != "" && exp.Redirect.Host != r.Host ||
			exp.Redirect.Path != "" && exp.Redirect.Path != r.Path || exp.Redirect.Code != 0 && exp.Redirect.Code != r.Code {
			problems = append(problems, fmt.Sprintf("expected %s, got %s", describeRedirect(*exp.Redirect), Describe(res)))
		}
	case exp.DirectResponse != nil:
		d := res.DirectResponse
		if res.Outcome != eval.DirectResponse || d.Status != exp.DirectResponse.Status || exp.DirectResponse.Body != nil && *exp.DirectResponse.Body != d.Body {
			want := fmt.Sprintf("direct response %d", exp.DirectResponse.Status)
			if exp.DirectResponse.Body != nil {
				want += fmt.Sprintf(" %q", *exp.DirectResponse.Body)
			}
			problems = append(problems, fmt.Sprintf("expected %s, got %s", want, Describe(res)))
		}
	case exp.NotFound:
		if res.Outcome != eval.NotFound {
			problems = append(problems, "expected not found (404), got "+Describe(res))
		}
	}
	if rw := exp.Rewrite; rw != nil {
		// What goes upstream: the request's own path and host where no rewrite changed them.
		req = req.Normalize()
		got := eval.Rewrite{Path: req.Path, Host: req.HostName()}
		if res.Rewrite != nil {
			got.Path = cmp.Or(res.Rewrite.Path, got.Path)
			got.Host = cmp.Or(res.Rewrite.Host, got.Host)
		}
		if rw.Path != "" && rw.Path != got.Path || rw.Host != "" && rw.Host != got.Host {
			problems = append(problems, fmt.Sprintf("expected rewrite %s, got %s", describeRewrite(rw.Path, rw.Host), describeRewrite(got.Path, got.Host)))
		}
	}
	problems = append(problems, checkPolicies(exp, res)...)
	if exp.Egress != nil {
		if len(res.Destinations) != 1 || res.Destinations[0].Egress == nil {
			problems = append(problems, "expected a hop through an egress gateway, got "+Describe(res))
		} else {
			for _, p := range check(*exp.Egress, req, *res.Destinations[0].Egress) {
				problems = append(problems, "egress gateway: "+p)
			}
		}
	}
	problems = append(problems, checkAccess(exp, res)...)
	if exp.Route != "" && !RouteMatches(exp.Route, res.Route) {
		got := res.Route
		if got == "" {
			got = "no route"
		}
		problems = append(problems, fmt.Sprintf("expected route %s, got %s", exp.Route, got))
	}
	return problems
}

// RouteMatches accepts the full generated route name, the leaf route's "<route>.<table>.<ns>",
// the leaf route's "<route>.<table>" (its name is only unique within its table), the leaf
// route's own name, or the name (or table.namespace) of any table along the chain.
func RouteMatches(want, got string) bool {
	if got == "" {
		return false
	}
	if want == got {
		return true
	}
	hops, _ := naming.ParseRoute(got)
	for i, h := range hops {
		if h.String() == want || h.Table != "" && (i == 0 && (h.Route == want || h.Route+"."+h.Table == want) || h.Table == want || h.Table+"."+h.Namespace == want) {
			return true
		}
	}
	return false
}

func kindOf(s eval.Source) string {
	switch s.Kind {
	case schema.KindService:
		return "SERVICE"
	case schema.KindVirtualDestination:
		return "VIRTUAL_DESTINATION"
	case schema.KindExternalService:
		return "EXTERNAL_SERVICE"
	}
	return s.Kind
}

func destMatches(want Destination, got eval.Destination, weighted bool) bool {
	return want.Kind == kindOf(got.Source) && want.Name == got.Source.Name &&
		(want.Namespace == "" || want.Namespace == got.Source.Namespace) &&
		(want.Cluster == "" || want.Cluster == got.Source.Cluster) &&
		(want.Port == 0 || want.Port == got.Port) &&
		want.Subset.matches(got.Subset) &&
		(!weighted || want.Weight == got.Weight) &&
		endpointsMatch(want, got.Endpoints) &&
		(want.Headers == nil || len(headerProblems(want.Headers, got.Headers)) == 0)
}

// destsMatch pairs every expected destination with a distinct actual one (weights compared).
func destsMatch(want []Destination, got []eval.Destination) bool {
	if len(want) != len(got) {
		return false
	}
	used := make([]bool, len(got))
	for _, w := range want {
		found := false
		for i, g := range got {
			if !used[i] && destMatches(w, g, true) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func describeDest(d Destination) string {
	s := d.Kind + " "
	if d.Namespace != "" {
		s += d.Namespace + "/"
	}
	s += d.Name
	if d.Cluster != "" {
		s += " in " + d.Cluster
	}
	if d.Port != 0 {
		s += fmt.Sprintf(" port %d", d.Port)
	}
	if d.Subset != nil && d.Subset.String() != "" {
		s += " subset " + d.Subset.String()
	}
	if d.Weight != 0 {
		s += fmt.Sprintf(" weight %d", d.Weight)
	}
	if e := describeExpectedEndpoints(d); e != "" {
		s += " (" + e + ")"
	}
	if d.Headers != nil {
		s += " with its header changes"
	}
	return s
}

func describeRedirect(r Redirect) string {
	s := "redirect"
	if r.Code != 0 {
		s += fmt.Sprintf(" %d", r.Code)
	}
	switch {
	case r.Host != "" || r.Path != "":
		to := r.Host + r.Path
		if r.Scheme != "" {
			to = r.Scheme + "://" + to
		}
		s += " to " + to
	case r.Scheme != "":
		s += " to " + r.Scheme // only the scheme is checked
	}
	return s
}

func describeRewrite(path, host string) string {
	var parts []string
	if path != "" {
		parts = append(parts, "path "+path)
	}
	if host != "" {
		parts = append(parts, "host "+host)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// Describe says in one line what the data plane does with the request.
func Describe(res eval.Result) string {
	switch res.Outcome {
	case eval.Forward:
		var ds []string
		for _, d := range res.Destinations {
			s := describeDest(Destination{Kind: kindOf(d.Source), Namespace: d.Source.Namespace, Name: d.Source.Name, Cluster: d.Source.Cluster, Port: d.Port, Subset: &Subset{Name: d.Subset}})
			if d.Source.Kind == "" {
				s = "unknown host " + d.Host
			}
			if len(res.Destinations) > 1 {
				s += fmt.Sprintf(" weight %d", d.Weight)
			}
			if e := describeEndpoints(d.Endpoints); e != "" {
				s += " (" + e + ")"
			}
			ds = append(ds, s)
		}
		if len(ds) == 1 {
			return ds[0]
		}
		return "destinations [" + strings.Join(ds, ", ") + "]"
	case eval.Redirect:
		r := res.Redirect
		to := r.Host + r.Path
		if r.Scheme != "" {
			to = r.Scheme + "://" + to
		}
		return fmt.Sprintf("redirect %d to %s", r.Code, to)
	case eval.DirectResponse:
		s := fmt.Sprintf("direct response %d", res.DirectResponse.Status)
		if res.DirectResponse.Body != "" {
			s += fmt.Sprintf(" %q", res.DirectResponse.Body)
		}
		return s
	}
	if res.Reason != "" {
		return "not found (" + res.Reason + ")"
	}
	return "not found"
}
