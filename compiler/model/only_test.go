package model

import (
	"errors"
	"slices"
	"testing"
)

func TestOnly(t *testing.T) {
	m := &Model{Clusters: []*Cluster{{Name: "a"}, {Name: "b"}, {Name: "c"}}}
	got, err := m.Only([]string{"c", "a", "c"})
	if err != nil {
		t.Fatal(err)
	}
	if names := got.ClusterNames(); !slices.Equal(names, []string{"a", "c"}) {
		t.Errorf("Only(c, a, c) = %v, want [a c] in model order, each once", names)
	}
	if got.Clusters[0] != m.Clusters[0] {
		t.Error("Only copied a cluster; it must share them")
	}
	_, err = m.Only([]string{"a", "x"})
	var u *UnknownClusterError
	if !errors.As(err, &u) || u.Name != "x" || !slices.Equal(u.Declared, []string{"a", "b", "c"}) {
		t.Fatalf("Only(a, x) error = %v, want UnknownClusterError for x listing a, b, c", err)
	}
	if want := `unknown cluster "x": declared clusters are a, b, c`; err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
}
