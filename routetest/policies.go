package routetest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/meshroute/meshroute/eval"
	"github.com/meshroute/meshroute/internal/retryon"
)

// ExpectRetries are expected retries; Attempts 0 expects none, empty fields are not checked.
type ExpectRetries struct {
	Attempts      uint32 `json:"attempts"`
	PerTryTimeout string `json:"perTryTimeout,omitempty"`
	RetryOn       string `json:"retryOn,omitempty"`
}

// ExpectHeaders are header changes that must be among the route's.
type ExpectHeaders struct {
	Request  *HeaderChanges `json:"request,omitempty"`
	Response *HeaderChanges `json:"response,omitempty"`
}

// HeaderChanges are headers added (with values) and removed.
type HeaderChanges struct {
	Add    map[string]string `json:"add,omitempty"`
	Remove []string          `json:"remove,omitempty"`
}

// ExpectMirror is an expected mirror; Percentage 0 is not checked.
type ExpectMirror struct {
	Destination Destination `json:"destination"`
	Percentage  float64     `json:"percentage,omitempty"`
}

// checkPolicies compares what route policies made of a forwarded request with the
// expectation; a request that is not forwarded has no route policies to check.
func checkPolicies(exp Expect, res eval.Result) []string {
	if exp.Timeout == nil && exp.Retries == nil && exp.Fault == nil && exp.Headers == nil && exp.Mirror == nil {
		return nil
	}
	p := res.Policies
	if res.Outcome != eval.Forward || p == nil {
		return []string{"expected a forwarded request to check timeout, retries, fault, headers or mirror, got " + Describe(res)}
	}
	var problems []string
	if exp.Timeout != nil && !sameDuration(*exp.Timeout, p.Timeout) {
		problems = append(problems, fmt.Sprintf("expected timeout %s, got %s", *exp.Timeout, orNone(p.Timeout)))
	}
	if r := exp.Retries; r != nil && !retriesMatch(*r, p.Retries) {
		problems = append(problems, fmt.Sprintf("expected retries %s, got %s", describeExpectRetries(*r), describeRetries(p.Retries)))
	}
	if f := exp.Fault; f != nil && !faultMatches(*f, p.Fault) {
		problems = append(problems, fmt.Sprintf("expected fault %s, got %s", describeFault(f), describeFault(p.Fault)))
	}
	if h := exp.Headers; h != nil {
		problems = append(problems, headerProblems(h, p.Headers)...)
	}
	if m := exp.Mirror; m != nil && (p.Mirror == nil || !destMatches(m.Destination, p.Mirror.Destination, false) || m.Percentage != 0 && m.Percentage != p.Mirror.Percentage) {
		problems = append(problems, fmt.Sprintf("expected mirror %s, got %s", describeMirror(m.Destination, m.Percentage), describeEvalMirror(p.Mirror)))
	}
	return problems
}

// sameDuration compares a written duration with a Go duration string ("" is none, as is "0").
func sameDuration(want, got string) bool {
	w, err := time.ParseDuration(want)
	if want == "0" {
		w, err = 0, nil
	}
	if err != nil {
		return false
	}
	g, _ := time.ParseDuration(got)
	return w == g
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func retriesMatch(want ExpectRetries, got *eval.Retries) bool {
	if want.Attempts == 0 || got == nil {
		return want.Attempts == 0 && got == nil
	}
	if want.Attempts != got.Attempts || want.PerTryTimeout != "" && !sameDuration(want.PerTryTimeout, got.PerTryTimeout) {
		return false
	}
	if want.RetryOn == "" {
		return true
	}
	conds, codes := retryon.Split(want.RetryOn)
	return sameSet(strings.Split(conds, ","), strings.Split(got.RetryOn, ",")) && sameSet(codes, got.StatusCodes)
}

func sameSet[T comparable](a, b []T) bool {
	return !slices.ContainsFunc(a, func(x T) bool { return !slices.Contains(b, x) }) &&
		!slices.ContainsFunc(b, func(x T) bool { return !slices.Contains(a, x) })
}

func faultMatches(want eval.Fault, got *eval.Fault) bool {
	if got == nil {
		return false
	}
	if d := want.Delay; d != nil {
		if got.Delay == nil || d.FixedDelay != "" && !sameDuration(d.FixedDelay, got.Delay.FixedDelay) || d.Percentage != 0 && d.Percentage != got.Delay.Percentage {
			return false
		}
	}
	if a := want.Abort; a != nil {
		if got.Abort == nil || a.HTTPStatus != 0 && a.HTTPStatus != got.Abort.HTTPStatus || a.Percentage != 0 && a.Percentage != got.Abort.Percentage {
			return false
		}
	}
	return true
}

func headerProblems(want *ExpectHeaders, got *eval.Headers) []string {
	if got == nil {
		got = &eval.Headers{}
	}
	var problems []string
	check := func(what string, w *HeaderChanges, add map[string]string, remove []string) {
		if w == nil {
			return
		}
		for _, k := range slices.Sorted(maps.Keys(w.Add)) {
			if v, ok := add[strings.ToLower(k)]; !ok || v != w.Add[k] {
				problems = append(problems, fmt.Sprintf("expected %s header %s: %s added, got %s", what, k, w.Add[k], describeAdded(add)))
			}
		}
		for _, k := range w.Remove {
			if !slices.Contains(remove, strings.ToLower(k)) {
				problems = append(problems, fmt.Sprintf("expected %s header %s removed, got removed [%s]", what, k, strings.Join(remove, ", ")))
			}
		}
	}
	check("request", want.Request, got.RequestAdd, got.RequestRemove)
	check("response", want.Response, got.ResponseAdd, got.ResponseRemove)
	return problems
}

func describeAdded(add map[string]string) string {
	if len(add) == 0 {
		return "none added"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(add)) {
		parts = append(parts, k+": "+add[k])
	}
	return "added {" + strings.Join(parts, ", ") + "}"
}

func describeExpectRetries(r ExpectRetries) string {
	if r.Attempts == 0 {
		return "none"
	}
	s := fmt.Sprintf("%d attempts", r.Attempts)
	if r.PerTryTimeout != "" {
		s += ", " + r.PerTryTimeout + " per try"
	}
	if r.RetryOn != "" {
		s += " on " + r.RetryOn
	}
	return s
}

func describeRetries(r *eval.Retries) string {
	if r == nil {
		return "none"
	}
	s := fmt.Sprintf("%d attempts", r.Attempts)
	if r.PerTryTimeout != "" {
		s += ", " + r.PerTryTimeout + " per try"
	}
	on := r.RetryOn
	for _, c := range r.StatusCodes {
		on += fmt.Sprintf(",%d", c)
	}
	return s + " on " + on
}

func describeFault(f *eval.Fault) string {
	if f == nil {
		return "none"
	}
	var parts []string
	if d := f.Delay; d != nil {
		parts = append(parts, fmt.Sprintf("delay %s for %g%%", orNone(d.FixedDelay), d.Percentage))
	}
	if a := f.Abort; a != nil {
		parts = append(parts, fmt.Sprintf("abort %d for %g%%", a.HTTPStatus, a.Percentage))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func describeMirror(d Destination, pct float64) string {
	s := describeDest(d)
	if pct != 0 {
		s += fmt.Sprintf(" for %g%%", pct)
	}
	return s
}

func describeEvalMirror(m *eval.Mirror) string {
	if m == nil {
		return "none"
	}
	d := m.Destination
	return describeMirror(Destination{Kind: kindOf(d.Source), Namespace: d.Source.Namespace, Name: d.Source.Name, Cluster: d.Source.Cluster, Port: d.Port, Subset: &Subset{Name: d.Subset}}, m.Percentage)
}
