package compiler

import (
	"testing"
	"testing/fstest"

	"github.com/meshroute/meshroute/schema"
)

// A table binds its clusters in parallel unless a destination would change shared state in the
// order clusters bind: an ExternalService, on an http, tcp or tls route. TestBindClustersIsSerial checks that the parallel result is the serial one.
func TestBindsInParallel(t *testing.T) {
	for _, tc := range []struct {
		name, spec string
		want       bool
	}{
		{"local Service", `http: [{forwardTo: {destinations: [{ref: {name: reviews}, port: {number: 9080}}]}}]`, true},
		{"subset", `http: [{forwardTo: {destinations: [{ref: {name: reviews}, port: {number: 9080}, subset: {version: v1}}]}}]`, true},
		{"redirect", `http: [{redirect: {hostRedirect: example.com}}]`, true},
		{"pinned Service", `http: [{forwardTo: {destinations: [{ref: {name: reviews, cluster: c2}, port: {number: 9080}}]}}]`, true},
		{"ExternalService", `http: [{forwardTo: {destinations: [{ref: {name: reviews}, port: {number: 9080}}]}}, {forwardTo: {destinations: [{kind: EXTERNAL_SERVICE, ref: {name: api}, port: {number: 443}}]}}]`, false},
		{"ExternalService in a split", `http: [{forwardTo: {destinations: [{ref: {name: reviews}, port: {number: 9080}}, {kind: EXTERNAL_SERVICE, ref: {name: api}, port: {number: 443}}]}}]`, false},
		{"ExternalService on a tcp route", `tcp: [{forwardTo: {destinations: [{kind: EXTERNAL_SERVICE, ref: {name: api}, port: {number: 443}}]}}]`, false},
		{"tls route", `tls: [{matchers: [{sniHosts: [reviews]}], forwardTo: {destinations: [{ref: {name: reviews, cluster: c1}, port: {number: 9080}}]}}]`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"in/0-inventory.yaml": {Data: []byte(inventory)},
				"in/table.yaml":       {Data: []byte("apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata: {name: t, namespace: app}\nspec:\n  hosts: [reviews]\n  " + tc.spec + "\n")},
			}
			set, _, err := (&schema.Loader{FS: fsys}).Load([]schema.Input{{Path: "in"}})
			if err != nil {
				t.Fatal(err)
			}
			b := newBuilder(set)
			b.resolveVirtualDestinations()
			b.buildGateways()
			rt := set.RouteTables[0]
			routes := b.flatten(rt)
			for _, fr := range routes {
				if fr.route.ForwardTo != nil {
					b.plan(fr.table, fr.index)
				}
			}
			b.checkTCPRoutes(rt)
			b.checkTLSRoutes(rt)
			if got := b.bindsInParallel(rt, routes); got != tc.want {
				t.Errorf("bindsInParallel = %v, want %v", got, tc.want)
			}
		})
	}
}
