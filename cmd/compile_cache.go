package cmd

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/outdir"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/report"
	"github.com/meshroute/meshroute/schema"
)

// compile --out-dir's build cache (outdir.Cached): a run whose key matches the record of the
// last change, on a folder exactly as that change left it, replays that run's diagnostics and
// summary instead of compiling. The key is everything the output and the diagnostics depend on
// but the folder: meshroute's own executable, the flags that change them and every byte the
// loader would read. The folder's part — the previous VIPs — is settled when recording: a
// change is remembered only when compiling again on the folder it left gives the same model
// (pipeline.ClaimedVIPs), so the record says "this key on this folder compiles to this folder".

// cachedRecord is outdir.Cached; tests count the hits through it.
var cachedRecord = outdir.Cached

// cachedRun is what a cache hit replays.
type cachedRun struct {
	Diagnostics []diag.Diagnostic
	Summaries   []clusterSummary // the clusters written, in order
}

type clusterSummary struct{ Cluster, Files string }

// executableSum is the SHA-256 of the running meshroute binary: a rebuilt meshroute may
// compile differently, whatever its version says.
var executableSum = sync.OnceValues(func() ([]byte, error) {
	path, err := os.Executable()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
})

// cacheKey hashes what a compile --out-dir's output and diagnostics depend on besides the
// folder; false when there is no key (standard input among the inputs, inputs that cannot be
// read: the compile itself reports those).
func cacheKey(g *globalFlags, cf *checkFlags, f *compileFlags, in pipeline.Inputs) ([sha256.Size]byte, bool) {
	var key [sha256.Size]byte
	exe, err := executableSum()
	if err != nil {
		return key, false
	}
	h := sha256.New()
	fmt.Fprintf(h, "meshroute compile cache key v1\n%x\n", exe)
	// %q keeps every list unambiguous; --check, -q and the colours change neither.
	fmt.Fprintf(h, "target %q\nclusters %q\nadmin %d\ncerts %q\nsuppress %q\nexclude %q\nmax %d %d\n",
		f.target, f.clusters, f.adminPort, f.certDir, cf.suppress, in.Exclude, in.MaxFileSize, in.MaxTotalSize)
	l := &schema.Loader{MaxFileSize: in.MaxFileSize, MaxTotalSize: in.MaxTotalSize, Exclude: in.Exclude}
	if l.Fingerprint(in.Paths, h) != nil {
		return key, false
	}
	copy(key[:], h.Sum(nil))
	return key, true
}

// replay prints what the cached run printed, when --out-dir holds its record and is as that
// run left it: its diagnostics, then (compile --out-dir) every cluster folder unchanged or
// (--check) the folder up to date. False: compile as usual.
func (c *runCache) replay(e env, f *compileFlags) (bool, error) {
	if !c.ok || !outdir.HasMarker(f.outDir) {
		return false, nil
	}
	payload, ok := cachedRecord(f.outDir, c.key)
	if !ok {
		return false, nil
	}
	var run cachedRun
	if gob.NewDecoder(bytes.NewReader(payload)).Decode(&run) != nil {
		return false, nil
	}
	if len(run.Diagnostics) > 0 {
		if err := report.Text(e.stderr, run.Diagnostics, e.color); err != nil {
			return true, err
		}
	}
	switch {
	case f.checkOnly:
		fmt.Fprintf(e.stderr, "%s: up to date\n", f.outDir)
	case !f.quiet:
		for _, s := range run.Summaries {
			fmt.Fprintf(e.stderr, "%s: %s (%s)\n", filepath.Join(f.outDir, s.Cluster), s.Files, describeCounts(outdir.Counts{}))
		}
	}
	return true, nil
}

// runCache carries a compile --out-dir run's key to the moment its change is committed.
type runCache struct {
	key  [sha256.Size]byte
	ok   bool
	vips *pipeline.VIPClaims // what the validated model (before --cluster) holds of the VIPs
	// readsVIPs: the target takes the previous output's VIPs (Istio), so the next run's model
	// depends on the folder.
	readsVIPs bool
}

// remember records a committed change when the folder it left compiles to itself. A failure
// here costs the next run its shortcut, never this run its result, so it is not reported.
func (c *runCache) remember(txn *outdir.Txn, ds []diag.Diagnostic, summaries []clusterSummary) {
	if !c.ok || (c.readsVIPs && c.vips == nil) {
		return
	}
	snap, err := txn.Snapshot()
	if err != nil || snap == nil {
		return
	}
	if c.readsVIPs {
		// The VIPs of the folder as the snapshot records it (what the change put is known, the
		// rest is read after the snapshot: a later change of the folder fails the next run's
		// comparison).
		vips, err := snap.PreviousVIPs()
		if err != nil || !c.vips.KeptBy(vips) {
			return
		}
	}
	var b bytes.Buffer
	if gob.NewEncoder(&b).Encode(cachedRun{Diagnostics: ds, Summaries: summaries}) != nil {
		return
	}
	_ = snap.Remember(c.key, b.Bytes())
}
