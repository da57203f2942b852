package schema

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadPolicies(t *testing.T) {
	const head = "metadata: {name: p, namespace: apps}\nspec:\n"
	for _, tc := range []struct {
		name, apiVersion, kind, spec string
		code                         string // "" means no diagnostic
		line, col                    int
		want                         string // in the message
	}{
		{"retry timeout", "resilience", "RetryTimeoutPolicy", "  applyToRoutes:\n  - route: {labels: {tier: gold}}\n  config: {requestTimeout: 1m30s, retries: {attempts: 3, perTryTimeout: 250ms}}\n", "", 0, 0, ""},
		{"unknown field did-you-mean", "resilience", "RetryTimeoutPolicy", "  config:\n    requestTimout: 5s\n", "MR1001", 6, 5, "requestTimeout"},
		{"duration does not parse", "resilience", "OutlierDetectionPolicy", "  config:\n    interval: 10 seconds\n", "MR1003", 6, 15, "with a unit"},
		{"abort status out of range", "resilience", "FaultInjectionPolicy", "  config:\n    abort: {httpStatus: 700}\n", "MR1003", 6, 25, ""},
		{"percentage out of range", "trafficcontrol", "MirrorPolicy", "  config:\n    percentage: 150\n", "MR1003", 6, 17, ""},
		{"destination kind", "security", "ClientTLSPolicy", "  applyToDestinations:\n  - kind: SERVIC\n", "MR1003", 6, 11, "SERVICE"},
		{"workspace without Workspaces", "resilience", "RetryTimeoutPolicy", "  applyToRoutes:\n  - route: {workspace: shop}\n", "MR1005", 6, 13, "no Workspace object is declared"},
		{"listener selector kept raw", "trafficcontrol", "ProxyProtocolPolicy", "  applyToListeners:\n  - virtualGateway: {name: north}\n  config: {enableProxyProtocol: true}\n", "", 0, 0, ""},
		{"client TLS mode beside the selectors", "security", "ClientTLSPolicy", "  applyToDestinations: [{kind: SERVICE}]\n  simple: {config: {sni: web.example.com}}\n", "", 0, 0, ""},
		{"selector oneof", "trafficcontrol", "HeaderManipulationPolicy", "  applyToRoutes:\n  - route: {labels: {a: b}}\n    withDestinations: {kind: SERVICE}\n", "MR1003", 6, 5, "at most one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := "apiVersion: " + tc.apiVersion + ".policy.gloo.solo.io/v2\nkind: " + tc.kind + "\n" + head + tc.spec
			fsys := fstest.MapFS{"in.yaml": {Data: []byte(doc)}}
			set, ds, err := (&Loader{FS: fsys}).Load([]Input{{Path: "in.yaml"}})
			if err != nil {
				t.Fatal(err)
			}
			if len(set.Policies) != 1 || set.Policies[0].Kind != tc.kind {
				t.Fatalf("policies = %v", set.Policies)
			}
			if tc.code == "" {
				if len(ds) != 0 {
					t.Fatalf("unexpected diagnostics %v", ds)
				}
				return
			}
			if len(ds) == 0 || ds[0].Code != tc.code || ds[0].Pos.Line != tc.line || ds[0].Pos.Col != tc.col || !strings.Contains(ds[0].Message+ds[0].Hint, tc.want) {
				t.Fatalf("got %v, want %s at %d:%d mentioning %q", ds, tc.code, tc.line, tc.col, tc.want)
			}
		})
	}
}

func TestPolicySelectorsDecoded(t *testing.T) {
	doc := `apiVersion: trafficcontrol.policy.gloo.solo.io/v2
kind: LoadBalancerPolicy
metadata: {name: lb}
spec:
  applyToDestinations:
  - kind: 1
    port: {number: 8080}
    selector: {labels: {app: web}}
  config: {simple: ROUND_ROBIN}
`
	set, ds, err := (&Loader{FS: fstest.MapFS{"in.yaml": {Data: []byte(doc)}}}).Load([]Input{{Path: "in.yaml"}})
	if err != nil || len(ds) != 0 {
		t.Fatal(err, ds)
	}
	d := set.Policies[0].Spec.ApplyToDestinations[0]
	if d.DestinationKind() != DestVirtualDestination || d.Port.Number != 8080 || d.Selector.Labels["app"] != "web" {
		t.Errorf("decoded %+v", d)
	}
	if string(set.Policies[0].Spec.Config) != `{"simple":"ROUND_ROBIN"}` {
		t.Errorf("config = %s", set.Policies[0].Spec.Config)
	}
}

// Two policies of one kind, namespace and name are one object defined twice (MR3001); the second
// is dropped, as for the routing kinds.
func TestDuplicatePolicy(t *testing.T) {
	doc := "apiVersion: resilience.policy.gloo.solo.io/v2\nkind: RetryTimeoutPolicy\nmetadata: {name: p}\nspec: {}\n"
	set, ds, err := (&Loader{FS: fstest.MapFS{"in.yaml": {Data: []byte(doc + "---\n" + doc)}}}).Load([]Input{{Path: "in.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Policies) != 1 || len(ds) != 1 || ds[0].Code != "MR3001" || ds[0].Pos.Line != 6 {
		t.Fatalf("policies %d, diagnostics %v", len(set.Policies), ds)
	}
}
