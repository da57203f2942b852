package compiler

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/meshroute/meshroute/schema"
)

// TestGatewaySelectorHints pins the hints of MR2010 and MR2009 where the plain ones mislead: a
// selector without labels or name that takes non-gateway Services too, and no Cluster at all.
func TestGatewaySelectorHints(t *testing.T) {
	for _, tc := range []struct {
		name, workloads, code string
		want, notWant         string
	}{
		{"cluster only", "[{selector: {cluster: c1}}]", "MR2010", "selects every Service of cluster c1, not only gateway Services, and app/", "the Service's ports"},
		{"namespace only", "[{selector: {namespace: app}}]", "MR2010", "is no gateway; add `labels: {istio: ingressgateway}` (the gateway Service's spec.selector labels)", "the Service's ports"},
		{"labels", "[{selector: {labels: {app: ratings}}}]", "MR2010", "the Service's ports", "no labels or name"},
		{"name", "[{selector: {name: ratings, namespace: app}}]", "MR2010", "the Service's ports", "no labels or name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vg := "apiVersion: networking.gloo.solo.io/v2\nkind: VirtualGateway\nmetadata: {name: edge, namespace: gw-ns}\nspec:\n  workloads: " + tc.workloads + "\n  listeners: [{port: {number: 80}, http: {}}]\n"
			_, ds := build(t, vg)
			var hints []string
			for _, d := range ds {
				if d.Code == tc.code && d.Object.Name == "edge" {
					hints = append(hints, d.Hint)
				}
			}
			if len(hints) == 0 {
				t.Fatalf("no %s for edge in %v", tc.code, ds)
			}
			for _, h := range hints {
				if !strings.Contains(h, tc.want) || strings.Contains(h, tc.notWant) {
					t.Errorf("hint %q: want %q, not %q", h, tc.want, tc.notWant)
				}
			}
		})
	}

	t.Run("no cluster", func(t *testing.T) {
		fsys := fstest.MapFS{"in/a.yaml": {Data: []byte(`apiVersion: v1
kind: Service
metadata: {name: gw, namespace: gw-ns}
spec:
  selector: {istio: ingressgateway}
  ports: [{name: http2, port: 80, targetPort: 8080}]
---
apiVersion: networking.gloo.solo.io/v2
kind: VirtualGateway
metadata: {name: edge, namespace: gw-ns}
spec:
  listeners: [{port: {number: 80}, http: {}}]
`)}}
		set, _, err := (&schema.Loader{FS: fsys}).Load([]schema.Input{{Path: "in"}})
		if err != nil {
			t.Fatal(err)
		}
		_, ds := Build(set)
		found := false
		for _, d := range ds {
			if d.Code != "MR2009" {
				continue
			}
			found = true
			if !strings.Contains(d.Hint, "no Cluster object is declared") || strings.Contains(d.Hint, "no Service with an istio label") {
				t.Errorf("hint %q should say that no Cluster is declared", d.Hint)
			}
		}
		if !found {
			t.Fatalf("no MR2009 in %v", ds)
		}
	})
}
