package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/meshroute/meshroute/compiler/envoy"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/outdir"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/render"
	"github.com/meshroute/meshroute/report"
)

// outDirLockWait is how long a compile waits for another one writing the same --out-dir.
var outDirLockWait = 10 * time.Second

// checkOutDir is --check: the chosen clusters' files compared with DIR, nothing written.
func checkOutDir(e env, f *compileFlags, res *pipeline.Result, clusters []string) error {
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
	return checkTree(e, f.outDir, tree.Files(), onlyClusters(f, clusters))
}

// onlyClusters is the cluster folders a write manages: with --cluster the chosen ones (no other
// folder is touched), else nil, every folder.
func onlyClusters(f *compileFlags, clusters []string) []string {
	if len(f.clusters) > 0 {
		return clusters
	}
	return nil
}

// streamOutDir is compile --out-dir: clusters are emitted a few at a time and each file is
// staged in DIR as soon as it is rendered (outdir.Txn), so memory holds the clusters in flight,
// not the whole output; the change is committed all or nothing once every cluster is in, and
// only when no diagnostic is an error. SIGINT and SIGTERM cancel it: before the commit point
// that leaves DIR as it was (no staging folder either); after it the few renames left are
// finished. A second signal kills at once (the default action is back), which the journal also
// survives. od is the lock taken before the previous output was read, if any; otherwise DIR
// is locked (and created) when the first cluster is ready to be staged.
func streamOutDir(ctx context.Context, e env, od *outdir.Dir, f *compileFlags, in pipeline.Inputs, opts pipeline.Options, p *progress, cache *runCache, chosen func() []string) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	w := &outDirWriter{ctx: ctx, e: e, od: od, f: f, chosen: chosen, progress: p, tree: render.NewClusterFiles()}
	defer w.close()
	ds, err := pipeline.CompileEach(ctx, in, opts, w.put)
	p.stop()
	if len(ds) > 0 {
		if err := report.Text(e.stderr, ds, e.color); err != nil {
			return err
		}
	}
	if diag.HasErrors(ds) {
		return &exitError{code: exitProblems}
	}
	var werr *writeError
	switch {
	case errors.As(err, &werr):
		return werr.err
	case err != nil && ctx.Err() != nil && w.txn != nil:
		return fmt.Errorf("interrupted: nothing in %s was changed", f.outDir)
	case err != nil:
		return compileError(err)
	}
	if err := w.begin(); err != nil { // a run whose clusters had no file still cleans their folders
		return err
	}
	txn := w.txn
	w.txn = nil
	done, err := txn.Commit()
	switch {
	case errors.Is(err, outdir.ErrPending):
		return fmt.Errorf("writing %s: %w", f.outDir, err)
	case err != nil && ctx.Err() != nil:
		return fmt.Errorf("interrupted: nothing in %s was changed", f.outDir)
	case err != nil:
		return fmt.Errorf("writing %s: %w (nothing was changed)", f.outDir, err)
	}
	summaries := make([]clusterSummary, len(chosen()))
	for i, c := range chosen() {
		summaries[i] = clusterSummary{c, w.tree.Summary(c)}
	}
	cache.remember(txn, ds, summaries)
	if f.quiet {
		return nil
	}
	for _, s := range summaries {
		fmt.Fprintf(e.stderr, "%s: %s (%s)\n", filepath.Join(f.outDir, s.Cluster), s.Files, describeCounts(done[s.Cluster]))
	}
	return nil
}

// outDirWriter stages each cluster's files into the out-dir change as pipeline.CompileEach
// hands them over, from several goroutines.
type outDirWriter struct {
	ctx      context.Context
	e        env
	od       *outdir.Dir
	f        *compileFlags
	chosen   func() []string
	progress *progress

	mu       sync.Mutex
	unlock   bool // od was locked here
	txn      *outdir.Txn
	beginErr error
	tree     *render.ClusterFiles // kinds per cluster for the summary (names only, no bytes)
}

// writeError is a failure of the out-dir itself, already worded for the user.
type writeError struct{ err error }

func (w *writeError) Error() string { return w.err.Error() }

// begin locks DIR unless the caller already did, and starts the change, once.
func (w *outDirWriter) begin() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.txn != nil || w.beginErr != nil {
		return w.beginErr
	}
	if w.od == nil {
		od, err := lockOutDir(w.ctx, w.e, w.f.outDir)
		if err != nil {
			w.beginErr = err
			return err
		}
		w.od, w.unlock = od, true
	}
	w.txn, w.beginErr = w.od.Begin(w.ctx, onlyClusters(w.f, w.chosen()))
	return w.beginErr
}

func (w *outDirWriter) put(cluster string, files []pipeline.File) error {
	if err := w.begin(); err != nil {
		return &writeError{err}
	}
	for _, file := range files {
		w.mu.Lock()
		err := w.tree.Add(cluster, file.Kind, file.Name, nil)
		w.mu.Unlock()
		if err != nil {
			return err
		}
		if err := w.putFile(cluster+"/"+file.Name, file); err != nil {
			if w.ctx.Err() != nil {
				return err
			}
			return &writeError{fmt.Errorf("writing %s: %w (nothing was changed)", w.f.outDir, err)}
		}
		w.progress.objects.Add(1)
	}
	w.progress.clusters.Add(1)
	return nil
}

// putFile puts one file, a ServiceEntry with its VIP as the next run reads it back.
func (w *outDirWriter) putFile(key string, file pipeline.File) error {
	if file.Entry == nil {
		return w.txn.Put(key, file.Data)
	}
	vip := outdir.VIP{Hosts: file.Entry.Hosts}
	if len(file.Entry.Addresses) > 0 {
		vip.Addr = file.Entry.Addresses[0]
	}
	return w.txn.PutEntry(key, file.Data, vip)
}

// close drops an uncommitted change and releases a lock taken here.
func (w *outDirWriter) close() {
	if w.txn != nil {
		w.txn.Discard()
	}
	if w.unlock {
		w.od.Close()
	}
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
