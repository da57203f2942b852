package render

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// ClusterFiles collects the files of an --out-dir tree, cluster by cluster, and counts what each
// cluster holds for the summary compile prints.
type ClusterFiles struct {
	files map[string][]byte         // "<cluster>/<file>" → content, as WriteClusters takes them
	kinds map[string]map[string]int // cluster → kind → files
}

// NewClusterFiles returns an empty tree.
func NewClusterFiles() *ClusterFiles {
	return &ClusterFiles{files: map[string][]byte{}, kinds: map[string]map[string]int{}}
}

// Add puts one file of the given kind into cluster's folder. Two files of one name are an
// internal error: Build reports colliding generated names to the user before anything renders.
// data may be nil when only the names and the summary are wanted (the bytes went elsewhere).
func (t *ClusterFiles) Add(cluster, kind, file string, data []byte) error {
	key := cluster + "/" + file
	if _, dup := t.files[key]; dup {
		return fmt.Errorf("internal error: two outputs for %s", key)
	}
	t.files[key] = data
	if t.kinds[cluster] == nil {
		t.kinds[cluster] = map[string]int{}
	}
	t.kinds[cluster][kind]++
	return nil
}

// Files returns the tree in the form WriteTree and WriteClusters take.
func (t *ClusterFiles) Files() map[string][]byte { return t.files }

// Summary reads "1 Gateway, 2 VirtualServices" from what cluster's folder holds.
func (t *ClusterFiles) Summary(cluster string) string {
	byKind := t.kinds[cluster]
	if len(byKind) == 0 {
		return "nothing to write"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(byKind)) {
		n := byKind[k]
		parts = append(parts, fmt.Sprintf("%d %s", n, plural(k, n)))
	}
	return strings.Join(parts, ", ")
}

// plural is the English plural of a kind name: ServiceEntry → ServiceEntries.
func plural(word string, n int) string {
	switch {
	case n == 1:
		return word
	case strings.HasSuffix(word, "y") && !strings.HasSuffix(word, "ay") && !strings.HasSuffix(word, "ey"):
		return strings.TrimSuffix(word, "y") + "ies"
	}
	return word + "s"
}
