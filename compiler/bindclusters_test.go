package compiler_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/compiler"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/gen"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/schema"
)

// Binding route tables on many workers gives what one gives: the same model and the same
// diagnostics in the same order, before sorting and deduplication (so a hint or related
// position that Dedup would keep of the first finding is the serial run's too). Every golden
// case, then generated cases with mistakes in them.
func TestBindClustersIsSerial(t *testing.T) {
	for _, c := range goldentest.AllCases(t) {
		fsys, path := c.Input()
		sameOnEveryWorkerCount(t, c.Name, fsys, path)
	}
	sameOnEveryWorkerCount(t, "first uses per cluster", fstest.MapFS{"in/in.yaml": {Data: []byte(firstUsePerCluster)}}, "in")
	shape := gen.Shape{Clusters: 6, VirtualDestinations: 4, RootTables: 6, Routes: 8, Mistakes: 0.15}
	for seed := range int64(12) {
		sameOnEveryWorkerCount(t, fmt.Sprintf("generated seed %d", seed), gen.GenerateShape(seed, shape).FS("in"), "in")
	}
}

func sameOnEveryWorkerCount(t *testing.T, name string, fsys fs.FS, path string) {
	t.Helper()
	serial := buildOn(t, name, fsys, path, 1)
	for _, workers := range []int{2, 8} {
		got := buildOn(t, name, fsys, path, workers)
		if diff := cmp.Diff(serial.diags, got.diags); diff != "" {
			t.Errorf("%s, %d workers: diagnostics differ from one worker's (-1 +%d):\n%s", name, workers, workers, diff)
		}
		if diff := cmp.Diff(serial.model, got.model); diff != "" {
			t.Errorf("%s, %d workers: model differs from one worker's (-1 +%d):\n%s", name, workers, workers, diff)
		}
	}
}

// built is a model as JSON — every field (the model has no unexported ones), without go-cmp
// walking the Backends and Destinations shared by many routes once per route, which took
// minutes — and the diagnostics in the order found.
type built struct {
	model string
	diags []diag.Diagnostic
}

// buildOn loads the case afresh (nothing is shared between two builds but the files) and builds
// it on workers.
func buildOn(t *testing.T, name string, fsys fs.FS, path string, workers int) built {
	t.Helper()
	set, _, err := (&schema.Loader{FS: fsys}).Load([]schema.Input{{Path: path}})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	m, ds := compiler.BuildOn(set, compiler.Options{}, workers)
	js, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return built{string(js), ds}
}

// firstUsePerCluster is a table whose routes fail in different clusters: route a's port is not
// reviews' in c1, route b's not in c3. So c1 uses subset version-v-1 first with b's labels, and
// a's, which sanitise to the same name, collide with it in c2 and c3 (MR3008 at a, related to
// b); binding c3 first would report the collision at b instead. Likewise route c reaches its
// Service pinned to c3 from c2 on (its first destination fails in c1) and route d its Service
// pinned to c2 from c1: the federated backends are made in that order, with the findings that
// neither cluster has an east-west gateway. Route e reaches ExternalService api from c2 on: it
// is checked there (its endpoint lacks the port) and its backend joins c2's and c3's after the
// federated ones.
const firstUsePerCluster = `
apiVersion: meshroute.dev/v1alpha1
kind: Cluster
metadata: {name: c1}
---
apiVersion: meshroute.dev/v1alpha1
kind: Cluster
metadata: {name: c2}
---
apiVersion: meshroute.dev/v1alpha1
kind: Cluster
metadata: {name: c3}
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: app, annotations: {meshroute.dev/cluster: c1}}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9090}]
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: app, annotations: {meshroute.dev/cluster: c2}}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}, {name: http-alt, port: 9090}]
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: app, annotations: {meshroute.dev/cluster: c3}}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: v1
kind: Service
metadata: {name: ratings, namespace: app, annotations: {meshroute.dev/cluster: c3}}
spec:
  selector: {app: ratings}
  ports: [{name: http, port: 9080}]
---
apiVersion: networking.gloo.solo.io/v2
kind: ExternalService
metadata: {name: api, namespace: app}
spec:
  hosts: [api.example.com]
  selector: {ext: api}
  ports: [{name: https, number: 443, protocol: HTTPS}]
---
apiVersion: networking.gloo.solo.io/v2
kind: ExternalEndpoint
metadata: {name: api-1, namespace: app, labels: {ext: api}}
spec:
  address: 192.0.2.1
  ports: [{name: http, number: 80}]
---
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: reviews, namespace: app}
spec:
  hosts: [reviews]
  http:
  - name: a
    matchers: [{uri: {prefix: /a}}]
    forwardTo:
      destinations: [{ref: {name: reviews}, port: {number: 9080}, subset: {version: v.1}}]
  - name: b
    matchers: [{uri: {prefix: /b}}]
    forwardTo:
      destinations: [{ref: {name: reviews}, port: {number: 9090}, subset: {version: v_1}}]
  - name: c
    matchers: [{uri: {prefix: /c}}]
    forwardTo:
      destinations:
      - {ref: {name: reviews}, port: {number: 9080}, weight: 50}
      - {ref: {name: ratings, cluster: c3}, port: {number: 9080}, weight: 50}
  - name: d
    matchers: [{uri: {prefix: /d}}]
    forwardTo:
      destinations: [{ref: {name: reviews, cluster: c2}, port: {number: 9090}}]
  - name: e
    matchers: [{uri: {prefix: /e}}]
    forwardTo:
      destinations:
      - {ref: {name: reviews}, port: {number: 9080}, weight: 50}
      - {kind: EXTERNAL_SERVICE, ref: {name: api}, port: {number: 443}, weight: 50}
`
