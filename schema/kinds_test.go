package schema

import (
	"testing"
	"testing/fstest"
)

func TestMistypedKind(t *testing.T) {
	for _, tc := range []struct {
		apiVersion, kind  string
		wantLine, wantCol int // 0: ignored as a kind meshroute does not read (MR1004)
		hint              string
	}{
		{"networking.gloo.solo.io/v1", "RouteTable", 1, 13, "did you mean `apiVersion: networking.gloo.solo.io/v2`?"},
		{"networking.gloo.solo.io/v2", "Routetable", 2, 7, "did you mean `kind: RouteTable`?"},
		{"networking.gloo.solo.io/v2", "routetable", 2, 7, "did you mean `kind: RouteTable`?"},
		{"networking.gloo.solo.io/v2", "VirtualGatway", 2, 7, "did you mean `kind: VirtualGateway`?"},
		{"networking.gloo.solo.io/v2beta1", "VirtualDestinaton", 2, 7, "did you mean `apiVersion: networking.gloo.solo.io/v2` and `kind: VirtualDestination`?"},
		{"networking.gloo.solo.io", "RouteTable", 1, 13, "did you mean `apiVersion: networking.gloo.solo.io/v2`?"},
		{"meshroute.dev/v1", "Cluster", 1, 13, "did you mean `apiVersion: meshroute.dev/v1alpha1`?"},
		{"meshroute.dev/v1alpha1", "RouteTests", 2, 7, "did you mean `kind: RouteTest`?"},
		{"v2", "Service", 1, 13, "did you mean `apiVersion: v1`?"},
		{"v1", "service", 2, 7, "did you mean `kind: Service`?"},
		// Real kinds of the same groups, and the same names in other groups, stay ignored.
		{"networking.gloo.solo.io/v2", "ExternalServce", 2, 7, "did you mean `kind: ExternalService`?"},
		{"networking.gloo.solo.io/v2", "ExternalWorkload", 0, 0, ""},
		{"v1", "Secret", 0, 0, ""},
		{"v1", "ConfigMap", 0, 0, ""},
		{"v1", "ServiceAccount", 0, 0, ""},
		{"v1", "Endpoints", 0, 0, ""},
		{"v1", "Pod", 0, 0, ""},
		{"serving.knative.dev/v1", "Service", 0, 0, ""},
		{"networking.istio.io/v1", "VirtualService", 0, 0, ""},
		{"networking.istio.io/v1", "Gateway", 0, 0, ""},
		{"gateway.networking.k8s.io/v1", "HTTPRoute", 0, 0, ""},
		{"networking.mesh.gloo.solo.io/v1", "TrafficPolicy", 0, 0, ""},
	} {
		t.Run(tc.apiVersion+" "+tc.kind, func(t *testing.T) {
			doc := "apiVersion: " + tc.apiVersion + "\nkind: " + tc.kind + "\nmetadata: {name: x, namespace: y}\n"
			fsys := fstest.MapFS{"in.yaml": {Data: []byte(doc + "---\n" + clusterYAML)}}
			_, ds, err := (&Loader{FS: fsys}).Load([]Input{{Path: "in.yaml"}})
			if err != nil {
				t.Fatal(err)
			}
			want := "MR1010"
			if tc.wantLine == 0 {
				want = "MR1004"
			}
			if len(ds) != 1 || ds[0].Code != want {
				t.Fatalf("got\n%swant one %s", dump(ds), want)
			}
			if tc.wantLine != 0 && (ds[0].Pos.Line != tc.wantLine || ds[0].Pos.Col != tc.wantCol || ds[0].Hint != tc.hint) {
				t.Errorf("got %v, want %d:%d hint %q", ds[0], tc.wantLine, tc.wantCol, tc.hint)
			}
		})
	}
}
