package pipeline

import (
	"context"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

const twoClusters = `apiVersion: meshroute.dev/v1alpha1
kind: Cluster
metadata: {name: c1}
spec: {network: n1}
---
apiVersion: meshroute.dev/v1alpha1
kind: Cluster
metadata: {name: c2}
spec: {network: n2}
`

// TestCompileStops: an unknown target stops before anything is read, an error diagnostic
// before anything is emitted, and Select's error before the target runs.
func TestCompileStops(t *testing.T) {
	in := func(doc string) Inputs {
		return Inputs{FS: fstest.MapFS{"in.yaml": {Data: []byte(doc)}}, Paths: []schema.Input{{Path: "in.yaml"}}}
	}
	only := func(names ...string) func(*model.Model) (*model.Model, error) {
		return func(m *model.Model) (*model.Model, error) { return m.Only(names) }
	}
	for _, tc := range []struct {
		name     string
		in       Inputs
		opts     Options
		clusters []string // of the result; nil = no result
		errs     bool     // an error diagnostic
		err      string   // the error; "" = none
	}{
		{"compiles", in(twoClusters), Options{}, []string{"c1", "c2"}, false, ""},
		{"selected", in(twoClusters), Options{Select: only("c2")}, []string{"c2"}, false, ""},
		{"unknown cluster", in(twoClusters), Options{Select: only("c3")}, nil, false, `unknown cluster "c3"`},
		{"unknown target", Inputs{Paths: []schema.Input{{Path: "/no/such/path"}}}, Options{Target: "nginx"}, nil, false, `unknown target "nginx" (want istio or envoy)`},
		{"error diagnostic", in(twoClusters + "---\nkind: Nonsense\n"), Options{}, nil, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, ds, err := Compile(context.Background(), tc.in, tc.opts)
			if diag.HasErrors(ds) != tc.errs {
				t.Errorf("diagnostics %v, want errors %v", ds, tc.errs)
			}
			if (err == nil) != (tc.err == "") || err != nil && !strings.HasPrefix(err.Error(), tc.err) {
				t.Errorf("error %v, want %q", err, tc.err)
			}
			if (res != nil) != (tc.clusters != nil) {
				t.Fatalf("result %v, want clusters %v", res, tc.clusters)
			}
			if res != nil && !slices.Equal(res.Model.ClusterNames(), tc.clusters) {
				t.Errorf("clusters %v, want %v", res.Model.ClusterNames(), tc.clusters)
			}
		})
	}
}
