package model

import (
	"fmt"
	"slices"
	"strings"
)

// UnknownClusterError is a cluster name that no Cluster object declares; Declared lists the
// clusters that are, so the caller can tell the user what to choose from.
type UnknownClusterError struct {
	Name     string
	Declared []string
}

// Error names the cluster and the declared ones.
func (e *UnknownClusterError) Error() string {
	if len(e.Declared) == 0 {
		return fmt.Sprintf("unknown cluster %q: no cluster is declared", e.Name)
	}
	return fmt.Sprintf("unknown cluster %q: declared clusters are %s", e.Name, strings.Join(e.Declared, ", "))
}

// ClusterNames are the declared clusters' names, sorted (the model's order).
func (m *Model) ClusterNames() []string {
	names := make([]string, len(m.Clusters))
	for i, c := range m.Clusters {
		names[i] = c.Name
	}
	return names
}

// Only is m restricted to the named clusters (a name given twice counts once), in the model's
// sorted order; a name no cluster has is an *UnknownClusterError naming the first such name.
// Every cluster is compiled independently of the others, so a restricted model emits exactly
// what the full one emits for those clusters — --cluster filters output, never changes it.
// The clusters are shared with m, not copied.
func (m *Model) Only(names []string) (*Model, error) {
	declared := m.ClusterNames()
	for _, n := range names {
		if !slices.Contains(declared, n) {
			return nil, &UnknownClusterError{Name: n, Declared: declared}
		}
	}
	out := &Model{}
	for _, c := range m.Clusters {
		if slices.Contains(names, c.Name) {
			out.Clusters = append(out.Clusters, c)
		}
	}
	return out, nil
}
