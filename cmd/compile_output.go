package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/meshroute/meshroute/compiler/envoy"
	"github.com/meshroute/meshroute/outdir"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/render"
)

// outDirLockWait is how long a compile waits for another one writing the same --out-dir.
var outDirLockWait = 10 * time.Second

// writeOutDir writes every chosen cluster's files in one all-or-nothing step, or with --check
// only reports what writing them would change.
func writeOutDir(ctx context.Context, e env, od *outdir.Dir, f *compileFlags, res *pipeline.Result, clusters []string) error {
	tree := render.NewClusterFiles()
	for _, c := range clusters {
		files, err := res.Files(c)
		if err != nil {
			return err
		}
		for _, file := range files {
			if err := tree.Add(c, file.Kind, file.Name, file.Data); err != nil {
				return err
			}
		}
	}
	var only []string
	if len(f.clusters) > 0 {
		only = clusters // --cluster: no other folder is touched
	}
	if f.checkOnly {
		return checkTree(e, f.outDir, tree.Files(), only)
	}
	done, err := writeTree(ctx, e, od, f.outDir, tree.Files(), only)
	if err != nil {
		return err
	}
	for _, c := range clusters {
		fmt.Fprintf(e.stderr, "%s: %s (%s)\n", filepath.Join(f.outDir, c), tree.Summary(c), describeCounts(done[c]))
	}
	return nil
}

// describeCounts says what a write did to one cluster folder: "unchanged" when it touched no
// file, else "3 written, 10 unchanged, 1 removed" without the zero parts.
func describeCounts(n outdir.Counts) string {
	if n.Written == 0 && n.Removed == 0 {
		return "unchanged"
	}
	var parts []string
	for _, p := range []struct {
		n    int
		word string
	}{{n.Written, "written"}, {n.Unchanged, "unchanged"}, {n.Removed, "removed"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.word))
		}
	}
	return strings.Join(parts, ", ")
}

// checkTree is --check: every file the write would change on standard output, a summary on
// standard error, exit 1 when there is one.
func checkTree(e env, dir string, files map[string][]byte, only []string) error {
	changes, err := outdir.PlanClusters(dir, files, only)
	if err != nil {
		return fmt.Errorf("checking %s: %w", dir, err)
	}
	for _, c := range changes {
		fmt.Fprintf(e.stdout, "%s: %s\n", c.Kind, filepath.Join(dir, filepath.FromSlash(c.Path)))
	}
	if len(changes) == 0 {
		fmt.Fprintf(e.stderr, "%s: up to date\n", dir)
		return nil
	}
	noun := "files"
	if len(changes) == 1 {
		noun = "file"
	}
	fmt.Fprintf(e.stderr, "%s: %d %s would change; run the same compile without --check to update it\n", dir, len(changes), noun)
	return &exitError{code: exitProblems}
}

// lockOutDir locks DIR and completes what an interrupted run left there.
func lockOutDir(ctx context.Context, e env, dir string) (*outdir.Dir, error) {
	od, err := outdir.Open(ctx, dir, outDirLockWait)
	switch {
	case err == nil:
	case errors.Is(err, outdir.ErrLocked):
		return nil, fmt.Errorf("%s: %w; try again when it has finished", dir, err)
	case ctx.Err() != nil:
		return nil, fmt.Errorf("interrupted while waiting for %s (nothing was changed)", dir)
	default:
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	if od.Completed > 0 {
		fmt.Fprintf(e.stderr, "%s: completed the change of an interrupted earlier run\n", dir)
	}
	return od, nil
}

// writeTree writes the tree into DIR, locking it first unless od (the lock taken before the
// previous output was read) already holds it. SIGINT and SIGTERM cancel the write: before its
// commit point that leaves DIR as it was (no staging folder either); after it the few renames
// left are finished. A second signal kills at once (the default action is back), which the
// journal also survives.
func writeTree(ctx context.Context, e env, od *outdir.Dir, dir string, files map[string][]byte, only []string) (outdir.Summary, error) {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	if od == nil {
		var err error
		if od, err = lockOutDir(ctx, e, dir); err != nil {
			return nil, err
		}
		defer od.Close()
	}
	done, err := od.WriteClusters(ctx, files, only)
	switch {
	case err == nil:
		return done, nil
	case errors.Is(err, outdir.ErrPending):
		return nil, fmt.Errorf("writing %s: %w", dir, err)
	case ctx.Err() != nil:
		return nil, fmt.Errorf("interrupted: nothing in %s was changed", dir)
	}
	return nil, fmt.Errorf("writing %s: %w (nothing was changed)", dir, err)
}

// writeStdout prints one cluster: Istio objects as a YAML stream or a v1 List, or one Envoy
// bootstrap. Only the documents go to standard output.
func writeStdout(e env, f *compileFlags, res *pipeline.Result, cluster string) error {
	var data []byte
	var err error
	switch {
	case f.target == targetEnvoy:
		b, perr := f.pickBootstrap(cluster, res.Envoy[cluster])
		if perr != nil {
			return perr
		}
		if f.output == formatJSON {
			data, err = render.ProtoJSON(b.Config)
		} else {
			data, err = render.ProtoYAML(b.Config)
		}
	case f.output == formatJSON:
		data, err = render.ListJSON(res.Istio[cluster])
	default:
		data, err = render.StreamYAML(res.Istio[cluster])
	}
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(data)
	return err
}

// compileError maps what stopped the pipeline after validation to exit code 2, the command
// could not do its job: a colliding admin port is the flag's problem (or its default's), and a
// bootstrap Envoy would refuse is meshroute's bug, never the input's (it passed validate), so
// it must not be exit code 1, which tells CI the change is wrong.
func compileError(err error) error {
	var port *pipeline.AdminPortError
	var bad *envoy.InvalidBootstrapError
	switch {
	case errors.As(err, &port):
		return flagErrorf("%v: choose another with --envoy-admin-port", port)
	case errors.As(err, &bad):
		return &exitError{err: fmt.Errorf("%w; nothing was written", err), code: exitUsage}
	case errors.As(err, new(*exitError)):
		return err // --cluster's own messages
	}
	return &exitError{err: err, code: exitUsage}
}
