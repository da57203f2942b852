package cmd

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/envoy"
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/render"
)

// writeOutDir renders every chosen cluster and writes the tree in one all-or-nothing step.
func writeOutDir(e env, f *compileFlags, m *model.Model, clusters []string) error {
	files := map[string][]byte{}
	kinds := map[string]map[string]int{} // cluster → kind → objects, for the summary
	add := func(cluster, kind, name string, data []byte) error {
		if kinds[cluster] == nil {
			kinds[cluster] = map[string]int{}
		}
		kinds[cluster][kind]++
		key := cluster + "/" + name
		if _, dup := files[key]; dup {
			// Build reports colliding names as errors, so this is a bug, not a user mistake.
			return fmt.Errorf("internal error: two outputs for %s", key)
		}
		files[key] = data
		return nil
	}
	switch f.target {
	case targetEnvoy:
		all := envoy.Emit(m, envoy.Options{AdminPort: f.adminPort, CertDir: f.certDir})
		for _, c := range clusters {
			for _, b := range all[c] {
				data, err := render.ProtoYAML(b.Config)
				if err != nil {
					return err
				}
				if err := add(c, "Envoy bootstrap", b.FileName(), data); err != nil {
					return err
				}
			}
		}
	default:
		all := emitIstio(m)
		for _, c := range clusters {
			docs, err := render.ObjectsYAML(all[c])
			if err != nil {
				return err
			}
			for i, o := range all[c] {
				if err := add(c, o.Kind, render.ManifestFileName(o), docs[i]); err != nil {
					return err
				}
			}
		}
	}
	var only []string
	if len(f.clusters) > 0 {
		only = clusters // --cluster: no other folder is touched
	}
	if err := render.WriteClusters(f.outDir, files, only); err != nil {
		return fmt.Errorf("writing %s: %w (nothing was changed)", f.outDir, err)
	}
	for _, c := range clusters {
		fmt.Fprintf(e.stderr, "%s: %s\n", filepath.Join(f.outDir, c), kindSummary(kinds[c]))
	}
	return nil
}

// kindSummary reads "1 Gateway, 2 VirtualServices" from the count of objects by kind.
func kindSummary(byKind map[string]int) string {
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

// writeStdout prints one cluster: Istio objects as a YAML stream or a v1 List, or one Envoy
// bootstrap. Only the documents go to standard output.
func writeStdout(e env, f *compileFlags, m *model.Model, cluster string) error {
	var data []byte
	var err error
	switch {
	case f.target == targetEnvoy:
		b, perr := f.pickBootstrap(cluster, envoy.Emit(m, envoy.Options{AdminPort: f.adminPort, CertDir: f.certDir})[cluster])
		if perr != nil {
			return perr
		}
		data, err = render.ProtoYAML(b.Config)
	case f.output == formatJSON:
		data, err = render.ListJSON(emitIstio(m)[cluster])
	default:
		data, err = render.StreamYAML(emitIstio(m)[cluster])
	}
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(data)
	return err
}
