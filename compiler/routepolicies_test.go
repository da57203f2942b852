package compiler

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/compiler/model"
)

// routePolicyOn builds policyRoutes with one policy and returns route a's policies in c1.
func routePolicyOn(t *testing.T, kind, spec string) (model.RoutePolicies, []string) {
	t.Helper()
	m, ds := build(t, policyRoutes, policyDoc(kind, spec))
	var codes []string
	for _, d := range ds {
		codes = append(codes, d.Code+" "+d.Message)
	}
	for _, rs := range m.Cluster("c1").RouteSets {
		for _, r := range rs.Routes {
			if r.Name == routeA {
				var p model.RoutePolicies // none applied: the zero value
				if r.Policies != nil {
					p = *r.Policies
					p.Applied = nil
				}
				return p, codes
			}
		}
	}
	t.Fatal("route a not found")
	return model.RoutePolicies{}, nil
}

func TestRoutePolicyDecoding(t *testing.T) {
	gold := "applyToRoutes: [{route: {labels: {tier: gold}}}], "
	yes := true
	hour := time.Hour
	for _, tc := range []struct {
		name, kind, spec string
		want             model.RoutePolicies
		diag             string // a code and message fragment; empty: no diagnostic
	}{
		{"timeout only keeps default retries", "resilience/RetryTimeoutPolicy", gold + "config: {requestTimeout: 1m30s}",
			model.RoutePolicies{Timeout: 90 * time.Second}, ""},
		{"attempts left out is 2", "resilience/RetryTimeoutPolicy", gold + "config: {retries: {perTryTimeout: 250ms}}",
			model.RoutePolicies{Retries: &model.Retries{Attempts: 2, PerTryTimeout: 250 * time.Millisecond}}, ""},
		{"attempts 0 disables", "resilience/RetryTimeoutPolicy", gold + "config: {retries: {attempts: 0}}",
			model.RoutePolicies{Retries: &model.Retries{}}, ""},
		{"attempts 0 with retryOn", "resilience/RetryTimeoutPolicy", gold + "config: {retries: {attempts: 0, retryOn: 5xx}}",
			model.RoutePolicies{}, "MR4029 RetryTimeoutPolicy app/p: retries.attempts 0 disables retries"},
		{"neither retries nor timeout", "resilience/RetryTimeoutPolicy", gold + "config: {}",
			model.RoutePolicies{}, "MR4029 RetryTimeoutPolicy app/p: config sets neither"},
		{"below a millisecond", "resilience/RetryTimeoutPolicy", gold + "config: {requestTimeout: 500us}",
			model.RoutePolicies{}, `MR4028 requestTimeout "500us" must be at least 1ms`},
		{"finer than a millisecond", "resilience/RetryTimeoutPolicy", gold + "config: {requestTimeout: 1.0005s}",
			model.RoutePolicies{}, `MR4028 requestTimeout "1.0005s" is finer than a millisecond`},
		{"out of range", "resilience/RetryTimeoutPolicy", gold + "config: {requestTimeout: 3000000h}",
			model.RoutePolicies{}, `MR4028 requestTimeout "3000000h" is out of range`},
		{"unknown retryOn condition", "resilience/RetryTimeoutPolicy", gold + "config: {retries: {retryOn: 'connect-failure,503,nope'}}",
			model.RoutePolicies{}, `MR4029 RetryTimeoutPolicy app/p: retryOn "nope" is neither a status code nor a condition`},
		{"tiny percentage", "resilience/FaultInjectionPolicy", gold + "config: {abort: {httpStatus: 503, percentage: 0.00001}}",
			model.RoutePolicies{}, "MR4029 FaultInjectionPolicy app/p: percentage 1e-05 is below 0.0001"},
		{"single percent sign in a header value", "trafficcontrol/HeaderManipulationPolicy", gold + "config: {appendRequestHeaders: {x-a: '50%'}}",
			model.RoutePolicies{}, "MR4029 HeaderManipulationPolicy app/p: the value of header x-a has a single %"},
		{"CORS method in lower case", "security/CORSPolicy", gold + "config: {allowMethods: [get]}",
			model.RoutePolicies{}, "MR4029 CORSPolicy app/p: allowMethods get is not an HTTP method Istio accepts"},
		{"CORS maxAge below a second", "security/CORSPolicy", gold + "config: {maxAge: 1500ms}",
			model.RoutePolicies{}, `MR4028 maxAge "1500ms" is finer than a second`},
		{"CORS header not a name", "security/CORSPolicy", gold + "config: {allowHeaders: ['x a']}",
			model.RoutePolicies{}, "MR4029 CORSPolicy app/p: allowHeaders: header name x a has a character"},
		{"fault percentages default to 100", "resilience/FaultInjectionPolicy", gold + "config: {delay: {fixedDelay: 2s}, abort: {httpStatus: 418}}",
			model.RoutePolicies{Fault: &model.Fault{Delay: &model.FaultDelay{Fixed: 2 * time.Second, Percentage: 100}, Abort: &model.FaultAbort{Status: 418, Percentage: 100}}}, ""},
		{"fault without delay or abort", "resilience/FaultInjectionPolicy", gold + "config: {}",
			model.RoutePolicies{}, "MR4029 FaultInjectionPolicy app/p: a fault injection sets a delay"},
		{"delay without fixedDelay", "resilience/FaultInjectionPolicy", gold + "config: {delay: {percentage: 5}}",
			model.RoutePolicies{}, "MR4029 FaultInjectionPolicy app/p: delay needs fixedDelay"},
		{"headers lower-cased and sorted", "trafficcontrol/HeaderManipulationPolicy", gold + "config: {appendRequestHeaders: {X-B: b, x-a: a}, removeResponseHeaders: [Server, server, date]}",
			model.RoutePolicies{Headers: &model.Headers{RequestAdd: []model.Header{{Name: "x-a", Value: "a"}, {Name: "x-b", Value: "b"}}, ResponseRemove: []string{"date", "server"}}}, ""},
		{"pseudo-header", "trafficcontrol/HeaderManipulationPolicy", gold + "config: {removeRequestHeaders: [':path']}",
			model.RoutePolicies{}, "MR4029 HeaderManipulationPolicy app/p: header :path is a pseudo-header"},
		{"host header", "trafficcontrol/HeaderManipulationPolicy", gold + "config: {appendRequestHeaders: {Host: x}}",
			model.RoutePolicies{}, "MR4029 HeaderManipulationPolicy app/p: the host header cannot be added or removed"},
		{"per destination", "trafficcontrol/HeaderManipulationPolicy", "applyToRouteDestinations: [{route: {labels: {tier: gold}}, onDestinations: [{selector: {name: reviews}}]}], config: {appendRequestHeaders: {x-d: d}}",
			model.RoutePolicies{DestinationHeaders: []*model.Headers{{RequestAdd: []model.Header{{Name: "x-d", Value: "d"}}}}}, ""},
		{"CORS origins become what Istio can match", "security/CORSPolicy", gold + "config: {allowOrigins: [{exact: https://a.com}, {prefix: https://b}, {prefix: https://C, ignoreCase: true}, {suffix: .d.com}, {regex: 'https://e[0-9]+', ignoreCase: true}], maxAge: 1h, allowCredentials: true}",
			model.RoutePolicies{CORS: &model.CORS{AllowOrigins: []model.OriginMatch{
				{Kind: model.MatchExact, Value: "https://a.com"}, {Kind: model.MatchPrefix, Value: "https://b"},
				{Kind: model.MatchRegex, Value: `(?i)https://C.*`}, {Kind: model.MatchRegex, Value: `.*\.d\.com`},
				{Kind: model.MatchRegex, Value: `(?i)https://e[0-9]+`}}, MaxAge: &hour, AllowCredentials: &yes}}, ""},
		{"CORS regex not RE2", "security/CORSPolicy", gold + "config: {allowOrigins: [{regex: 'a(?=b)'}]}",
			model.RoutePolicies{}, "MR4029 CORSPolicy app/p: allowOrigins regex is not RE2"},
		{"mirror to a VirtualDestination", "trafficcontrol/MirrorPolicy", gold + "config: {destination: {ref: {name: reviews-global}, kind: VIRTUAL_DESTINATION}}",
			model.RoutePolicies{Mirror: &model.Mirror{Destination: &model.Destination{Host: "reviews.global", Port: 9080}, Percentage: 100}}, ""},
		{"mirror to a missing Service", "trafficcontrol/MirrorPolicy", gold + "config: {destination: {ref: {name: nope}}, percentage: 10}",
			model.RoutePolicies{}, "MR2002 Service app/nope does not exist in cluster c1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ds := routePolicyOn(t, tc.kind, tc.spec)
			if m := got.Mirror; m != nil && m.Destination != nil {
				// Only where the mirror goes matters here.
				got.Mirror = &model.Mirror{Destination: &model.Destination{Host: m.Destination.Host, Port: m.Destination.Port}, Percentage: m.Percentage}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
			switch {
			case tc.diag == "" && len(ds) > 0:
				t.Errorf("unexpected diagnostics %v", ds)
			case tc.diag != "" && (len(ds) == 0 || !strings.HasPrefix(ds[0], tc.diag)):
				t.Errorf("diagnostics %v, want %q", ds, tc.diag)
			}
		})
	}
}

// A fault injection and a retry policy on one route: both emitted, MR4026 at the retry policy.
func TestFaultDisablesRetryTimeout(t *testing.T) {
	gold := "applyToRoutes: [{route: {labels: {tier: gold}}}], "
	retry := strings.Replace(policyDoc("resilience/RetryTimeoutPolicy", gold+"config: {requestTimeout: 1s}"), "name: p", "name: r", 1)
	m, ds := build(t, policyRoutes, retry, policyDoc("resilience/FaultInjectionPolicy", gold+"config: {abort: {httpStatus: 503}}"))
	if len(ds) != 1 || ds[0].Code != "MR4026" || ds[0].Object.Name != "r" {
		t.Fatalf("got %v, want one MR4026 at the RetryTimeoutPolicy", ds)
	}
	r := m.Cluster("c1").RouteSets[0].Routes[1]
	if r.Policies.Timeout != time.Second || r.Policies.Fault == nil {
		t.Errorf("route %s policies %+v: want both the timeout and the fault", r.Name, r.Policies)
	}
}
