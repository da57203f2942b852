package schema

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/meshroute/meshroute/diag"
)

func TestLoadExample(t *testing.T) {
	l := &Loader{}
	set, ds, err := l.Load([]Input{{Path: "../examples/global-app"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		// Kinds read by other packages (RouteTest) are only an info here.
		if d.Severity != diag.Info {
			t.Errorf("unexpected diagnostic: %v", d)
		}
	}
	if len(set.Clusters) != 2 || len(set.Services) != 4 || len(set.RouteTables) != 1 ||
		len(set.VirtualGateways) != 1 || len(set.VirtualDestinations) != 1 {
		t.Fatalf("unexpected set: %d clusters %d services %d tables", len(set.Clusters), len(set.Services), len(set.RouteTables))
	}
	rt := set.RouteTables[0]
	if got := rt.FieldPos("/spec/http/0/matchers/0/uri/prefix"); got.Line != 21 || got.Col != 9 {
		t.Errorf("prefix position = %v, want line 21 col 9", got)
	}
	if rt.Spec.HTTP[0].ForwardTo.Destinations[0].Kind != DestVirtualDestination {
		t.Errorf("destination kind not decoded")
	}
}

func TestLoadRejects(t *testing.T) {
	for _, tc := range []struct {
		name, content, code string
		line                int
	}{
		{"syntax", "apiVersion: v1\nkind: [\n", "MR1002", 2},
		{"list", "- a\n- b\n", "MR1008", 1},
		{"scalar", "hello\n", "MR1008", 1},
		{"nokind", "metadata: {name: x}\n", "MR1008", 1},
		{"binary", "\x00\x01\x02", "MR1009", 0},
		{"unknown kind", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n", "MR1004", 1},
		{"laughs", laughs(), "MR1007", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"in.yaml": {Data: []byte(tc.content)}}
			_, ds, err := (&Loader{FS: fsys}).Load([]Input{{Path: "in.yaml"}})
			if err != nil && tc.code != "" {
				t.Fatalf("unexpected error %v", err)
			}
			if len(ds) == 0 || ds[0].Code != tc.code || ds[0].Pos.Line != tc.line {
				t.Fatalf("got %v, want %s at line %d", ds, tc.code, tc.line)
			}
		})
	}
}

func laughs() string {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("  a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

// A Service assigned by --services to an undeclared cluster is blamed on the flag, not on an
// annotation it does not have.
func TestServicesFlagUnknownCluster(t *testing.T) {
	fsys := fstest.MapFS{
		"clusters.yaml": {Data: []byte("apiVersion: meshroute.dev/v1alpha1\nkind: Cluster\nmetadata: {name: cluster-1}\n")},
		"svc.yaml":      {Data: []byte("apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: 80}]}\n")},
	}
	_, ds, err := (&Loader{FS: fsys}).Load([]Input{{Path: "clusters.yaml"}, {Path: "svc.yaml", ServicesCluster: "cluster-3"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Code != "MR2013" || !strings.Contains(ds[0].Message, "--services cluster-3=") || ds[0].Hint != "did you mean cluster-1?" {
		t.Fatalf("got %v", ds)
	}
}

// Overlapping -f paths (a folder and a file or subfolder inside it) read each file once, so they
// do not turn into duplicate objects (MR3001).
func TestOverlappingInputsReadOnce(t *testing.T) {
	fsys := fstest.MapFS{
		"routing/clusters.yaml": {Data: []byte("apiVersion: meshroute.dev/v1alpha1\nkind: Cluster\nmetadata: {name: cluster-1}\n")},
		"routing/team/svc.yaml": {Data: []byte("apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: 80}]}\n")},
	}
	set, ds, err := (&Loader{FS: fsys}).Load([]Input{{Path: "routing"}, {Path: "routing/team"}, {Path: "routing/clusters.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 0 || len(set.Clusters) != 1 || len(set.Services) != 1 {
		t.Fatalf("got %d clusters, %d services, diagnostics %v", len(set.Clusters), len(set.Services), ds)
	}
}
