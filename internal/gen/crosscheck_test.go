package gen_test

import (
	"fmt"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/internal/gen"
	"github.com/meshroute/meshroute/routetest"
)

// crossCheck sends requests derived from the model's routes through the Istio evaluator (on
// the emitted Istio objects) and the Envoy evaluator (on the emitted bootstraps) and reports
// every disagreement, through routetest as `meshroute test` runs it.
func crossCheck(res *gen.Result) []string {
	ic, ec := routetest.New(res.Istio), routetest.New(res.Envoy)
	var errs []string
	for _, rc := range gen.Requests(res.Model) {
		a, errA := ic.Evaluate(rc.Cluster, rc.Req)
		b, errB := ec.Evaluate(rc.Cluster, rc.Req)
		if (errA == nil) != (errB == nil) {
			errs = append(errs, fmt.Sprintf("%s: istio error %v, envoy error %v", rc, errA, errB))
			continue
		}
		if errA != nil {
			continue
		}
		if diff := cmp.Diff(gen.Comparable(a), gen.Comparable(b)); diff != "" {
			errs = append(errs, fmt.Sprintf("%s: istio and envoy disagree (-istio +envoy):\n%s", rc, diff))
		}
		if len(errs) >= 5 {
			break
		}
	}
	return errs
}
