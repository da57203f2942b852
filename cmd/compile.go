package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/meshroute/meshroute/compiler/envoy"
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/outdir"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/report"
)

// Compile targets and manifest formats.
const (
	targetIstio = pipeline.TargetIstio
	targetEnvoy = pipeline.TargetEnvoy
	formatYAML  = "yaml"
)

type compileFlags struct {
	target, outDir, output, gateway string
	clusters                        []string
	adminPort                       uint32
	certDir                         string
	checkOnly                       bool
	quiet                           bool
}

func newCompileCommand(e env, g *globalFlags) *cobra.Command {
	f := &compileFlags{}
	cf := &checkFlags{}
	c := &cobra.Command{
		Use:   "compile",
		Short: "Compile routing config into per-cluster Istio manifests or Envoy bootstraps",
		Long: `Run every check validate runs; if any finding is an error, print the diagnostics to standard
error, write nothing and exit 1. Otherwise (warnings still go to standard error) emit the
config of every declared cluster:

  --out-dir DIR   DIR/<cluster>/<kind>-<namespace>-<name>.yaml for every cluster (or only those
                  named by --cluster), replacing only files meshroute wrote, all or nothing.
                  Envoy bootstraps are DIR/<cluster>/envoy-<gateway ns>-<gateway name>.yaml.
  --out-dir DIR --check
                  write nothing: print every file the write would create, change or
                  remove ("new: PATH", "changed: PATH", "removed: PATH") on standard
                  output and exit 1 if there is one; exit 0 when DIR is current.
  (no --out-dir)  one cluster's objects on standard output as multi-document YAML (or a v1
                  List with -o json; an Envoy bootstrap as JSON, which envoy -c also reads):
                  pipe it into kubectl apply -f -. With several clusters,
                  --cluster is required.

--cluster only filters what is written: diagnostics never depend on it.`,
		Example: `  # One folder per cluster, for Argo CD or Flux
  meshroute compile -f examples/global-app --out-dir out/

  # Only cluster-1's folder is written or cleaned
  meshroute compile -f examples/global-app --out-dir out/ --cluster cluster-1

  # In CI: fail when the committed output is not what the inputs compile to
  meshroute compile -f examples/global-app --out-dir out/ --check

  # Straight into a cluster
  meshroute compile -f examples/global-app --cluster cluster-1 | kubectl apply -f -

  # Envoy bootstraps instead of Istio objects
  meshroute compile -f examples/global-app --target envoy --out-dir envoy/`,
		RunE: func(c *cobra.Command, _ []string) error { return runCompile(c.Context(), e, g, cf, f) },
	}
	fs := c.Flags()
	enumFlag(c, fs, &f.target, "target", "", targetIstio, "what to emit", targetIstio, targetEnvoy)
	enumFlag(c, fs, &f.output, "output", "o", formatYAML, "format on standard output", formatYAML, formatJSON)
	fs.StringVar(&f.outDir, "out-dir", "", "write one folder per cluster under this folder instead of standard output")
	fs.StringSliceVar(&f.clusters, "cluster", nil, "only these clusters (repeatable or comma-separated)")
	fs.StringVar(&f.gateway, "gateway", "", "NS/NAME: the gateway whose Envoy bootstrap goes to standard output (--target envoy)")
	fs.Uint32Var(&f.adminPort, "envoy-admin-port", envoy.DefaultAdminPort, "Envoy admin port on 127.0.0.1 (--target envoy)")
	fs.StringVar(&f.certDir, "envoy-cert-dir", envoy.DefaultCertDir, "folder holding the gateways' TLS certificates (--target envoy)")
	fs.BoolVar(&f.checkOnly, "check", false, "with --out-dir: write nothing, list the files that would change, exit 1 if any")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "no progress line and no per-cluster summary on standard error (diagnostics still are)")
	_ = c.MarkFlagDirname("out-dir")
	cf.register(c, fs)
	g.acceptPaths(c)
	return c
}

func (f *compileFlags) check() error {
	if err := checkEnum("target", f.target, targetIstio, targetEnvoy); err != nil {
		return err
	}
	if err := checkEnum("output", f.output, formatYAML, formatJSON); err != nil {
		return err
	}
	switch {
	case f.checkOnly && f.outDir == "":
		return flagErrorf("--check compares the output with --out-dir DIR: name the folder")
	case f.outDir != "" && f.output == formatJSON:
		return flagErrorf("-o json applies to standard output; --out-dir always writes YAML")
	case f.gateway != "" && f.target != targetEnvoy:
		return flagErrorf("--gateway picks an Envoy bootstrap: use it with --target envoy")
	case f.gateway != "" && !isNamespacedName(f.gateway):
		return flagErrorf("invalid --gateway %q: want NAMESPACE/NAME", f.gateway)
	case f.adminPort > 65535:
		return flagErrorf("invalid --envoy-admin-port %d: a port is at most 65535", f.adminPort)
	}
	return nil
}

func runCompile(ctx context.Context, e env, g *globalFlags, cf *checkFlags, f *compileFlags) error {
	if err := f.check(); err != nil {
		return err
	}
	in, err := g.pipelineInputs(e)
	if err != nil {
		return err
	}
	opts, err := cf.options()
	if err != nil {
		return err
	}
	var od *outdir.Dir
	cache := &runCache{readsVIPs: f.target == targetIstio}
	if f.outDir != "" {
		cache.key, cache.ok = cacheKey(g, cf, f, in)
		// A folder that is already meshroute's output is locked first, so another run cannot be
		// half-way through replacing the files read here, and what an interrupted run left is
		// completed before the cache looks; a new folder is locked (and created) only when there
		// is something to write. --check writes nothing, so it takes no lock.
		if outdir.HasMarker(f.outDir) && !f.checkOnly {
			if od, err = lockOutDir(ctx, e, f.outDir); err != nil {
				return err
			}
			defer od.Close()
		}
		if done, err := cache.replay(e, f); done || err != nil {
			return err
		}
		if f.target == targetIstio {
			// Hosts keep the VIPs of the previous output (DESIGN.md §3); Envoy bootstraps carry none.
			if opts.PreviousVIPs, err = outdir.PreviousVIPs(f.outDir); err != nil {
				return err
			}
		}
	}
	opts.Target = f.target
	opts.Envoy = envoy.Options{AdminPort: f.adminPort, CertDir: f.certDir}
	if opts.Envoy.AdminPort == 0 {
		opts.Envoy.AdminPort = envoy.DefaultAdminPort // compile refuses a colliding port rather than moving it
	}
	// Emitting is per cluster, so only the chosen ones are emitted (one of fifty is 50× less work).
	var clusters []string
	p := startProgress(e, f.quiet)
	defer p.stop()
	in.Parsed = func() { p.files.Add(1) }
	opts.Select = func(m *model.Model) (*model.Model, error) {
		if cache.readsVIPs {
			claims := pipeline.ClaimedVIPs(m) // not the model: it is dropped before the cache records
			cache.vips = &claims
		}
		only, names, err := f.selectClusters(m)
		clusters = names
		p.total.Store(int64(len(names)))
		return only, err
	}
	if f.outDir != "" && !f.checkOnly {
		return streamOutDir(ctx, e, od, f, in, opts, p, cache, func() []string { return clusters })
	}
	res, ds, err := pipeline.Compile(ctx, in, opts)
	p.stop()
	if len(ds) > 0 {
		if err := report.Text(e.stderr, ds, e.color); err != nil {
			return err
		}
	}
	if diag.HasErrors(ds) {
		return &exitError{code: exitProblems}
	}
	if err != nil {
		return compileError(err)
	}
	if f.outDir != "" {
		return checkOutDir(e, f, res, clusters)
	}
	return writeStdout(e, f, res, clusters[0])
}

// isNamespacedName accepts NAMESPACE/NAME with both parts present.
func isNamespacedName(s string) bool {
	ns, name, ok := strings.Cut(s, "/")
	return ok && ns != "" && name != "" && !strings.Contains(name, "/")
}

// selectClusters checks --cluster against the declared clusters and returns the model restricted
// to the clusters to write, with their names: the named ones, or all of them. Without --out-dir
// exactly one is allowed. The restriction itself is the model's (model.Only); what is left here
// is what the flags mean, and their messages.
func (f *compileFlags) selectClusters(m *model.Model) (*model.Model, []string, error) {
	declared := m.ClusterNames()
	if len(declared) == 0 {
		return nil, nil, usageErrorf("no Cluster is declared in the inputs, so there is nothing to compile (see docs/getting-started.md)")
	}
	list := strings.Join(declared, ", ")
	if len(f.clusters) == 0 {
		if f.outDir == "" && len(declared) > 1 {
			return nil, nil, usageErrorf("%d clusters are declared (%s): choose one with --cluster, or write them all with --out-dir", len(declared), list)
		}
		return m, declared, nil
	}
	only, err := m.Only(f.clusters)
	var unknown *model.UnknownClusterError
	if errors.As(err, &unknown) {
		return nil, nil, usageErrorf("%s", unknown.Error())
	}
	if err != nil {
		return nil, nil, err
	}
	chosen := only.ClusterNames()
	if f.outDir == "" && len(chosen) > 1 {
		return nil, nil, usageErrorf("standard output holds one cluster: pass a single --cluster (one of %s) or use --out-dir", list)
	}
	return only, chosen, nil
}

// gatewayName is how --gateway and error messages name an Envoy bootstrap.
func gatewayName(b envoy.Bootstrap) string {
	return b.Gateway.Namespace + "/" + b.Gateway.Name
}

// pickBootstrap chooses the bootstrap for standard output: the only one, or the one --gateway
// names (by generated gateway name or by gateway Service name, in its namespace).
func (f *compileFlags) pickBootstrap(cluster string, bs []envoy.Bootstrap) (envoy.Bootstrap, error) {
	var names []string
	var matches []envoy.Bootstrap
	ns, name, _ := strings.Cut(f.gateway, "/")
	for _, b := range bs {
		names = append(names, fmt.Sprintf("%s (Service %s/%s)", gatewayName(b), b.Gateway.Namespace, b.Gateway.Service))
		if b.Gateway.Namespace == ns && (b.Gateway.Name == name || b.Gateway.Service == name) {
			matches = append(matches, b)
		}
	}
	switch {
	case len(bs) == 0:
		return envoy.Bootstrap{}, usageErrorf("cluster %s has no gateway, so there is no Envoy bootstrap to print", cluster)
	case f.gateway == "" && len(bs) == 1:
		return bs[0], nil
	case f.gateway == "":
		return envoy.Bootstrap{}, usageErrorf("cluster %s has %d gateways: choose one with --gateway NS/NAME: %s", cluster, len(bs), strings.Join(names, ", "))
	case len(matches) == 1:
		return matches[0], nil
	case len(matches) == 0:
		return envoy.Bootstrap{}, usageErrorf("no gateway %s in cluster %s: its gateways are %s", f.gateway, cluster, strings.Join(names, ", "))
	}
	return envoy.Bootstrap{}, usageErrorf("--gateway %s matches several gateways in cluster %s; name one by its gateway name: %s", f.gateway, cluster, strings.Join(names, ", "))
}
