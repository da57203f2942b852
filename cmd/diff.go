package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/report"
	"github.com/meshroute/meshroute/routediff"
	"github.com/meshroute/meshroute/schema"
)

// diff output formats beyond text and json.
const (
	formatMarkdown = "markdown"
	formatPatch    = "patch"
)

func newDiffCommand(e env, g *globalFlags) *cobra.Command {
	var base, output string
	c := &cobra.Command{
		Use:   "diff [--base REV | OLD_DIR NEW_DIR]",
		Short: "Show what a change does to traffic: routes, hosts and backends per cluster",
		Long: `Compile two versions of the routing config and compare their routing models, per cluster and
gateway or route set: routes added, removed, reordered, re-targeted, weights and actions changed,
matchers changed, hosts gained or lost, VirtualDestination backends and their clusters.

With --base REV, the old version is the same inputs (-f, or meshroute.yaml's) at
git revision REV, checked out with git worktree into a temporary folder that is always removed;
the new version is the working tree. With OLD_DIR NEW_DIR, each folder is one version.

-o patch prints the unified diff of the Istio manifests instead (like diff -ru of two
compile --out-dir folders).

Exit code 0: no change; 1: changes found, or either version has errors (printed on standard
error); 2: the command could not run (bad REV, not a git repository, inputs that do not load).`,
		Example: `  # What does this branch change for traffic, compared with main?
  meshroute diff --base origin/main -f routing/

  # The same as a pull-request comment
  meshroute diff --base origin/main -f routing/ -o markdown > diff.md

  # Two folders of routing config, and the raw manifest diff
  meshroute diff old-routing/ new-routing/ -o patch`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkEnum("output", output, formatText, formatJSON, formatMarkdown, formatPatch); err != nil {
				return err
			}
			in, err := g.pipelineInputs(e)
			if err != nil {
				return err
			}
			var oldIn, newIn pipeline.Inputs
			var oldName string
			switch {
			case base != "" && len(args) > 0:
				return flagErrorf("give --base REV or OLD_DIR NEW_DIR, not both")
			case base != "":
				dir, cleanup, err := checkoutRevision(c.Context(), e.workDir, base)
				if err != nil {
					return err
				}
				defer cleanup()
				if oldIn, err = atRevision(in, dir, e.workDir); err != nil {
					return err
				}
				newIn, oldName = in, base
			case len(args) == 2 && c.Flags().Changed("filename"):
				return flagErrorf("OLD_DIR NEW_DIR are the inputs; -f cannot be added to them")
			case len(args) == 2:
				oldIn, newIn = withPaths(in, args[0]), withPaths(in, args[1])
				oldName = args[0]
			default:
				return flagErrorf("diff needs --base REV or OLD_DIR NEW_DIR")
			}
			oldRes := &pipeline.Result{Model: &model.Model{}}
			if base == "" || hasInputs(oldIn) {
				if oldRes, err = compileSide(c.Context(), e, oldIn, oldName); err != nil {
					return err
				}
			}
			newRes, err := compileSide(c.Context(), e, newIn, "new")
			if err != nil {
				return err
			}
			if oldRes == nil || newRes == nil {
				return &exitError{code: exitProblems}
			}
			changed, err := writeDiff(e, output, oldRes, newRes)
			if err != nil || !changed {
				return err
			}
			return &exitError{code: exitProblems}
		},
	}
	fs := c.Flags()
	fs.StringVar(&base, "base", "", "the git revision to compare the working tree's inputs with (branch, tag or commit)")
	enumFlag(c, fs, &output, "output", "o", formatText, "output format", formatText, formatJSON, formatMarkdown, formatPatch)
	// Two folders replace meshroute.yaml's inputs, as positional paths do for validate.
	c.Annotations = map[string]string{pathsAnnotation: "true"}
	return c
}

// withPaths is in reading dir instead of its -f paths (--services and limits kept).
func withPaths(in pipeline.Inputs, dir string) pipeline.Inputs {
	paths := []schema.Input{{Path: dir}}
	for _, p := range in.Paths {
		if p.ServicesCluster != "" {
			paths = append(paths, p)
		}
	}
	in.Paths = paths
	return in
}

// compileSide compiles one version to Istio. Its error diagnostics are printed under name and
// give a nil Result (exit code 1); inputs that cannot be read are exit code 2.
func compileSide(ctx context.Context, e env, in pipeline.Inputs, name string) (*pipeline.Result, error) {
	res, ds, err := pipeline.Compile(ctx, in, pipeline.Options{Target: pipeline.TargetIstio})
	if err != nil {
		return nil, &exitError{err: fmt.Errorf("%s: %w", name, err), code: exitUsage}
	}
	if diag.HasErrors(ds) {
		fmt.Fprintf(e.stderr, "%s: the routing config has errors; nothing to compare\n", name)
		return nil, report.Text(e.stderr, ds, e.color)
	}
	return res, nil
}

// writeDiff prints the comparison in format and reports whether anything changed.
func writeDiff(e env, format string, oldRes, newRes *pipeline.Result) (bool, error) {
	if format == formatPatch {
		oldFiles, err := outputFiles(oldRes)
		if err != nil {
			return false, err
		}
		newFiles, err := outputFiles(newRes)
		if err != nil {
			return false, err
		}
		var b bytes.Buffer
		if err := routediff.Patch(&b, oldFiles, newFiles); err != nil {
			return false, err
		}
		_, err = e.stdout.Write(b.Bytes())
		return b.Len() > 0, err
	}
	r := routediff.Compare(oldRes.Model, newRes.Model)
	var err error
	switch format {
	case formatJSON:
		err = routediff.JSON(e.stdout, r)
	case formatMarkdown:
		err = routediff.Markdown(e.stdout, r)
	default:
		err = routediff.Text(e.stdout, r, e.stdoutColor)
	}
	return !r.Empty(), err
}

// outputFiles is every cluster's manifests as compile --out-dir lays them out: CLUSTER/FILE.
func outputFiles(res *pipeline.Result) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, c := range res.Model.Clusters {
		fs, err := res.Files(c.Name)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			files[c.Name+"/"+f.Name] = f.Data
		}
	}
	return files, nil
}

// checkoutRevision checks rev out with git worktree into a temporary folder and returns the
// folder matching workDir inside it; cleanup removes the checkout and its git bookkeeping.
func checkoutRevision(ctx context.Context, workDir, rev string) (string, func(), error) {
	git := func(dir string, args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			if msg := strings.TrimSpace(stderr.String()); msg != "" {
				err = errors.New(msg)
			}
			return "", err
		}
		return strings.TrimSpace(string(out)), nil
	}
	prefix, err := git(workDir, "rev-parse", "--show-prefix")
	if err != nil {
		return "", nil, usageErrorf("--base needs a git repository: %v", err)
	}
	commit, err := git(workDir, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if err != nil {
		return "", nil, usageErrorf("--base %s: not a revision of this repository", rev)
	}
	tmp, err := os.MkdirTemp("", "meshroute-diff-")
	if err != nil {
		return "", nil, usageErrorf("%v", err)
	}
	tree := filepath.Join(tmp, "base")
	cleanup := func() {
		// Run even when ctx is cancelled: the checkout must not outlive the command.
		rm := exec.Command("git", "worktree", "remove", "--force", tree)
		rm.Dir = workDir
		_ = rm.Run()
		_ = os.RemoveAll(tmp)
		prune := exec.Command("git", "worktree", "prune")
		prune.Dir = workDir
		_ = prune.Run()
	}
	if _, err := git(workDir, "worktree", "add", "--detach", "--quiet", tree, commit); err != nil {
		cleanup()
		return "", nil, usageErrorf("--base %s: git worktree add: %v", rev, err)
	}
	return filepath.Join(tree, filepath.FromSlash(prefix)), cleanup, nil
}

// atRevision is in read from the checkout dir: each path, relative to the working folder, is
// read at the same place there, so diagnostics and --exclude globs name the same paths. Paths
// missing at the revision are left out.
func atRevision(in pipeline.Inputs, dir, workDir string) (pipeline.Inputs, error) {
	var paths []schema.Input
	for _, p := range in.Paths {
		rel := p.Path
		if filepath.IsAbs(rel) {
			if r, err := filepath.Rel(workDir, rel); err == nil {
				rel = r
			}
		}
		if rel == schema.StdinPath || !filepath.IsLocal(rel) && filepath.Clean(rel) != "." {
			return in, usageErrorf("--base reads inputs inside the working folder; %s is not", p.Path)
		}
		p.Path = filepath.ToSlash(filepath.Clean(rel))
		// A path the revision does not have yet is an empty old version of it: a pull request
		// adding the routing config shows everything as added.
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p.Path))); err == nil {
			paths = append(paths, p)
		}
	}
	in.Paths, in.FS = paths, os.DirFS(dir)
	return in, nil
}

// hasInputs reports whether in reads anything besides --services inventories.
func hasInputs(in pipeline.Inputs) bool {
	return slices.ContainsFunc(in.Paths, func(p schema.Input) bool { return p.ServicesCluster == "" })
}
