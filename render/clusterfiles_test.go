package render

import (
	"strings"
	"testing"
)

func TestClusterFilesSummary(t *testing.T) {
	for _, tc := range []struct {
		kinds []string // one file of each, in c1
		want  string
	}{
		{nil, "nothing to write"},
		{[]string{"VirtualService", "Gateway", "VirtualService"}, "1 Gateway, 2 VirtualServices"},
		{[]string{"ServiceEntry", "WorkloadEntry", "Envoy bootstrap", "ServiceEntry", "Envoy bootstrap", "ServiceEntry"}, "2 Envoy bootstraps, 3 ServiceEntries, 1 WorkloadEntry"},
		{[]string{"DestinationRule", "DestinationRule"}, "2 DestinationRules"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			tree := NewClusterFiles()
			for i, k := range tc.kinds {
				if err := tree.Add("c1", k, strings.Repeat("f", i+1)+".yaml", nil); err != nil {
					t.Fatal(err)
				}
			}
			if got := tree.Summary("c1"); got != tc.want {
				t.Errorf("Summary = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestClusterFilesRefusesTwoFilesOfOneName(t *testing.T) {
	tree := NewClusterFiles()
	if err := tree.Add("c1", "Gateway", "a.yaml", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := tree.Add("c2", "Gateway", "a.yaml", []byte("x")); err != nil {
		t.Errorf("same name in another cluster: %v", err)
	}
	if err := tree.Add("c1", "Gateway", "a.yaml", []byte("y")); err == nil {
		t.Error("a second c1/a.yaml was accepted")
	}
	if got := string(tree.Files()["c1/a.yaml"]); got != "x" {
		t.Errorf("c1/a.yaml = %q, want the first content", got)
	}
}
