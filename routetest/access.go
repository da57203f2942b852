package routetest

import (
	"fmt"

	"github.com/meshroute/meshroute/eval"
)

// checkAccess compares expect.allowed with what the destinations' AuthorizationPolicies decide:
// allowed means every destination admits the client, refused that none does.
func checkAccess(exp Expect, res eval.Result) []string {
	if exp.Allowed == nil {
		return nil
	}
	if res.Outcome != eval.Forward {
		return []string{fmt.Sprintf("expected the client to be %s, but the request is not forwarded: %s", allowedWord(*exp.Allowed), Describe(res))}
	}
	var problems []string
	for _, d := range res.Destinations {
		switch {
		case d.Access == nil:
			problems = append(problems, fmt.Sprintf("cannot tell whether %s admits the client: it is not a Service of this cluster, or the client has no identity (set from)", d.Host))
		case d.Access.Allowed != *exp.Allowed:
			problems = append(problems, fmt.Sprintf("expected %s to be %s, got %s: %s", d.Access.Principal, allowedWord(*exp.Allowed), allowedWord(d.Access.Allowed), d.Access.Reason))
		}
	}
	return problems
}

func allowedWord(allowed bool) string {
	if allowed {
		return "allowed"
	}
	return "refused"
}
