package cmd

import (
	"fmt"
	"path/filepath"

	"github.com/meshroute/meshroute/compiler/envoy"
	"github.com/meshroute/meshroute/compiler/istio"
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/render"
)

// writeOutDir renders every chosen cluster and writes the tree in one all-or-nothing step.
func writeOutDir(e env, f *compileFlags, m *model.Model, clusters []string) error {
	tree := render.NewClusterFiles()
	switch f.target {
	case targetEnvoy:
		all, err := f.emitEnvoy(m)
		if err != nil {
			return err
		}
		for _, c := range clusters {
			for _, b := range all[c] {
				data, err := render.ProtoYAML(b.Config)
				if err != nil {
					return err
				}
				if err := tree.Add(c, "Envoy bootstrap", b.FileName(), data); err != nil {
					return err
				}
			}
		}
	default:
		all := istio.Emit(m)
		for _, c := range clusters {
			docs, err := render.ObjectsYAML(all[c])
			if err != nil {
				return err
			}
			for i, o := range all[c] {
				if err := tree.Add(c, o.Kind, render.ManifestFileName(o), docs[i]); err != nil {
					return err
				}
			}
		}
	}
	var only []string
	if len(f.clusters) > 0 {
		only = clusters // --cluster: no other folder is touched
	}
	if err := render.WriteClusters(f.outDir, tree.Files(), only); err != nil {
		return fmt.Errorf("writing %s: %w (nothing was changed)", f.outDir, err)
	}
	for _, c := range clusters {
		fmt.Fprintf(e.stderr, "%s: %s\n", filepath.Join(f.outDir, c), tree.Summary(c))
	}
	return nil
}

// writeStdout prints one cluster: Istio objects as a YAML stream or a v1 List, or one Envoy
// bootstrap. Only the documents go to standard output.
func writeStdout(e env, f *compileFlags, m *model.Model, cluster string) error {
	var data []byte
	var err error
	switch {
	case f.target == targetEnvoy:
		all, eerr := f.emitEnvoy(m)
		if eerr != nil {
			return eerr
		}
		b, perr := f.pickBootstrap(cluster, all[cluster])
		if perr != nil {
			return perr
		}
		if f.output == formatJSON {
			data, err = render.ProtoJSON(b.Config)
		} else {
			data, err = render.ProtoYAML(b.Config)
		}
	case f.output == formatJSON:
		data, err = render.ListJSON(istio.Emit(m)[cluster])
	default:
		data, err = render.StreamYAML(istio.Emit(m)[cluster])
	}
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(data)
	return err
}

// emitEnvoy emits the bootstraps of m's clusters and runs Envoy's load checks on every one
// before anything is written. A bootstrap that fails them is meshroute's bug, not a problem of
// the input (validate passed), so it is not exit code 1, which tells CI the change is wrong: it
// is exit code 2, the command could not do its job.
func (f *compileFlags) emitEnvoy(m *model.Model) (map[string][]envoy.Bootstrap, error) {
	if err := f.checkAdminPort(m); err != nil {
		return nil, err
	}
	all, err := envoy.EmitChecked(m, envoy.Options{AdminPort: f.adminPort, CertDir: f.certDir})
	if err != nil {
		return nil, &exitError{err: fmt.Errorf("%w; nothing was written", err), code: exitUsage}
	}
	return all, nil
}

// checkAdminPort: Envoy cannot bind its admin interface on a port a gateway listens on. That is
// the flag's problem (or the default's), so it is reported as one rather than as the internal
// error the bootstrap checks would raise.
func (f *compileFlags) checkAdminPort(m *model.Model) error {
	port := f.adminPort
	if port == 0 {
		port = envoy.DefaultAdminPort
	}
	for _, c := range m.Clusters {
		for _, g := range c.Gateways {
			for _, l := range g.Listeners {
				if l.Port == port {
					return flagErrorf("gateway %s/%s in cluster %s listens on port %d, the Envoy admin port: choose another with --envoy-admin-port", g.Namespace, g.Name, c.Name, port)
				}
			}
		}
	}
	return nil
}
