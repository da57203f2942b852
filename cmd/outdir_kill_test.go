//go:build linux || darwin

package cmd

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/outdir"
)

// outDirCase is a pair of inputs whose outputs differ everywhere a tree can: files added,
// replaced and removed in every cluster folder.
type outDirCase struct {
	old, new string // input folders
	oldDir   string // the old output, to copy for every run
	oldTree  map[string]string
	newTree  map[string]string
	took     time.Duration // the new compile over the old tree
}

// scratch is a folder for trees of thousands of files: tmpfs when there is one (fsync is the
// cost of a run, and a SIGKILL does not need it: the page cache outlives the process).
func scratch(t *testing.T) string {
	t.Helper()
	if info, err := os.Stat("/dev/shm"); err == nil && info.IsDir() {
		dir, err := os.MkdirTemp("/dev/shm", "meshroute-test-")
		if err == nil {
			t.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	return t.TempDir()
}

// inputs writes global-app's inventory and gateway plus VirtualDestinations from..to-1, each
// on port, into a new folder.
func inputs(t *testing.T, root string, from, to, port int) string {
	t.Helper()
	dir, err := os.MkdirTemp(root, "in-")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"clusters.yaml", "services.yaml", "virtualgateway.yaml"} {
		data, err := os.ReadFile(goldentest.Path("examples", "global-app", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	for i := from; i < to; i++ {
		fmt.Fprintf(&b, `---
apiVersion: networking.gloo.solo.io/v2
kind: VirtualDestination
metadata: {name: app-%d, namespace: global}
spec:
  hosts: [app-%d.example.com]
  services: [{labels: {app: global-app}}]
  ports: [{number: %d, protocol: HTTP, targetPort: {name: http}}]
`, i, i, port)
	}
	if err := os.WriteFile(filepath.Join(dir, "vds.yaml"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// compileCmd is the real program compiling in into out.
func compileCmd(t *testing.T, in, out string) *exec.Cmd {
	t.Helper()
	bin, err := exec.LookPath("meshroute") // the test binary as meshroute (TestMain)
	if err != nil {
		t.Fatal(err)
	}
	c := exec.Command(bin, "compile", "-f", in, "--out-dir", out)
	c.Env = append(os.Environ(), "NO_COLOR=1")
	return c
}

func compileInto(t *testing.T, in, out string) {
	t.Helper()
	if b, err := compileCmd(t, in, out).CombinedOutput(); err != nil {
		t.Fatalf("compile -f %s: %v\n%s", in, err, b)
	}
}

// newOutDirCase compiles both inputs: the old tree from nothing, the new one over the old.
func newOutDirCase(t *testing.T, root string, vds int) *outDirCase {
	t.Helper()
	c := &outDirCase{old: inputs(t, root, 0, vds, 8080), new: inputs(t, root, vds/3, vds+vds/3, 8081),
		oldDir: filepath.Join(root, "reference-old")}
	compileInto(t, c.old, c.oldDir)
	c.oldTree = outputTree(t, c.oldDir)
	out := filepath.Join(root, "reference-new")
	if err := os.CopyFS(out, os.DirFS(c.oldDir)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	compileInto(t, c.new, out)
	c.took = time.Since(start)
	c.newTree = outputTree(t, out)
	return c
}

// outputTree reads an out-dir's files but the build cache's record, which depends on the files'
// times and inodes, not only on their bytes.
func outputTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	tree := goldentest.ReadTree(t, dir)
	delete(tree, outdir.CacheFile)
	return tree
}

// which says whether tree is exactly the old or the new output.
func (c *outDirCase) which(tree map[string]string) string {
	switch {
	case equalTrees(tree, c.oldTree):
		return "old"
	case equalTrees(tree, c.newTree):
		return "new"
	}
	return ""
}

func equalTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// mixed describes how tree differs from both outputs.
func (c *outDirCase) mixed(tree map[string]string) string {
	var fromOld, fromNew, other int
	for k, v := range tree {
		switch {
		case c.oldTree[k] == v && c.newTree[k] == v:
		case c.oldTree[k] == v:
			fromOld++
		case c.newTree[k] == v:
			fromNew++
		default:
			other++
		}
	}
	return fmt.Sprintf("%d entries only in the old output, %d only in the new, %d in neither", fromOld, fromNew, other)
}

// waitFor polls until a path matching pattern exists or the process exits.
func waitFor(pattern string, done <-chan struct{}) {
	for {
		if m, _ := filepath.Glob(pattern); len(m) > 0 {
			return
		}
		select {
		case <-done:
			return
		case <-time.After(200 * time.Microsecond):
		}
	}
}

// TestOutDirSurvivesKillAndInterrupt runs the real program compiling a few thousand files over
// an older output and stops it at random moments (seeded): SIGKILL at any time or right after
// its journal appears (the rename phase), SIGINT while it stages. After a SIGKILL, the folder
// that the next run's recovery leaves must be exactly the old or the new output; after a SIGINT,
// the folder as the program left it must be, with no staging folder. A full run then gives the
// new output.
func TestOutDirSurvivesKillAndInterrupt(t *testing.T) {
	root := scratch(t)
	vds, iterations := 250, 6
	if testing.Short() {
		vds, iterations = 100, 3
	}
	c := newOutDirCase(t, root, vds)
	r := rand.New(rand.NewPCG(9, 13))
	seen := map[string]int{}
	for i := range iterations {
		out := filepath.Join(root, fmt.Sprintf("out-%d", i))
		if err := os.CopyFS(out, os.DirFS(c.oldDir)); err != nil {
			t.Fatal(err)
		}
		cmd := compileCmd(t, c.new, out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		how := ""
		switch i % 3 {
		case 0: // SIGKILL at a random moment of the run
			how = "SIGKILL at random"
			select {
			case <-time.After(time.Duration(r.Int64N(int64(c.took)))):
			case <-done:
			}
			cmd.Process.Signal(syscall.SIGKILL)
		case 1: // SIGKILL in the rename phase
			how = "SIGKILL while renaming"
			waitFor(filepath.Join(out, ".meshroute-staging-*", "journal"), done)
			time.Sleep(time.Duration(r.Int64N(int64(3 * time.Millisecond))))
			cmd.Process.Signal(syscall.SIGKILL)
		case 2: // SIGINT while staging
			how = "SIGINT while staging"
			waitFor(filepath.Join(out, ".meshroute-staging-*", "new", "cluster-2"), done)
			time.Sleep(time.Duration(r.Int64N(int64(20 * time.Millisecond))))
			cmd.Process.Signal(syscall.SIGINT)
		}
		<-done
		if i%3 != 2 {
			if c.which(outputTree(t, out)) == "" {
				how += " (mixed before recovery)"
			}
			o, err := outdir.Open(context.Background(), out, 0)
			if err != nil {
				t.Fatalf("%d (%s): recovering: %v", i, how, err)
			}
			o.Close()
		}
		tree := outputTree(t, out)
		got := c.which(tree)
		if got == "" {
			t.Fatalf("%d (%s): the folder is a mix: %s", i, how, c.mixed(tree))
		}
		seen[how+" → "+got]++
	}
	t.Logf("outcomes: %v", seen)
	last := filepath.Join(root, fmt.Sprintf("out-%d", iterations-1))
	compileInto(t, c.new, last)
	if got := outputTree(t, last); !equalTrees(got, c.newTree) {
		t.Errorf("a full run after the interruptions: %s", c.mixed(got))
	}
}

// TestOutDirConcurrentCompiles: two compiles of different inputs into one folder at once both
// succeed (the second waits for the first's lock) and the folder is exactly one of the outputs.
func TestOutDirConcurrentCompiles(t *testing.T) {
	root := scratch(t)
	c := newOutDirCase(t, root, 60)
	out := filepath.Join(root, "out")
	a, b := compileCmd(t, c.old, out), compileCmd(t, c.new, out)
	var errA, errB bytes.Buffer
	a.Stderr, b.Stderr = &errA, &errB
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	if err := a.Wait(); err != nil {
		t.Errorf("first compile: %v\n%s", err, errA.String())
	}
	if err := b.Wait(); err != nil {
		t.Errorf("second compile: %v\n%s", err, errB.String())
	}
	if tree := outputTree(t, out); c.which(tree) == "" {
		t.Errorf("the folder mixes both runs: %s", c.mixed(tree))
	}
}

// TestOutDirLocked: a compile that cannot get the lock in time exits 2 and says why.
func TestOutDirLocked(t *testing.T) {
	out := t.TempDir()
	held, err := outdir.Open(context.Background(), out, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	defer func(w time.Duration) { outDirLockWait = w }(outDirLockWait)
	outDirLockWait = 100 * time.Millisecond
	var stdout, stderr bytes.Buffer
	code := run([]string{"compile", "-f", goldentest.Path("examples", "global-app"), "--out-dir", out},
		env{stdout: &stdout, stderr: &stderr})
	if code != exitUsage || !strings.Contains(stderr.String(), "another meshroute run is writing this folder") {
		t.Errorf("exit %d, stderr %q; want 2 and the lock named", code, stderr.String())
	}
}
