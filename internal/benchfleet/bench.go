package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/meshroute/meshroute/internal/gen"
)

// bench holds the measurements of one bench-fleet run.
type bench struct {
	opts    options
	bin     string
	machine machine

	inputBytes, outputBytes int64
	outputFiles             int

	validate, compile, rerun series
	rerunChanged             int // files a no-change re-run created, changed or removed
	kubeconform              series
	kubeconformErr           string
	floor                    floorResult

	scale          int
	scaledValidate series
	scaledCompile  series
}

func (b *bench) measure(f gen.Fleet) error {
	in := filepath.Join(b.opts.work, "in")
	out := filepath.Join(b.opts.work, "out")
	if err := removeOutputs(out); err != nil { // an earlier -keep run's
		return err
	}
	logf("generating the fleet (%d documents) into %s", f.Documents(), in)
	if err := os.RemoveAll(in); err != nil {
		return err
	}
	if err := f.Write(in); err != nil {
		return err
	}
	b.inputBytes, _ = treeSize(in)
	var err error
	if b.validate, err = b.repeat("validate", b.opts.runs, nil, b.bin, "validate", "-f", in); err != nil {
		return err
	}
	b.kubeconformRun(in)
	if b.compile, out, err = b.firstRuns("compile --out-dir (first run)", b.opts.runs, in, out); err != nil {
		return err
	}
	b.outputBytes, b.outputFiles = treeSize(out)
	before, err := snapshot(out)
	if err != nil {
		return err
	}
	if b.rerun, err = b.repeat("compile --out-dir (nothing changed)", b.opts.runs, nil, b.bin, "compile", "-f", in, "--out-dir", out); err != nil {
		return err
	}
	after, err := snapshot(out)
	if err != nil {
		return err
	}
	b.rerunChanged = before.changes(after)
	logf("floor: goyaml.v3 decoding the input and encoding the output, single-threaded")
	if b.floor, err = measureFloor(in, out); err != nil {
		return err
	}
	return nil
}

// measureScaled times validate and a first compile on a fleet -scale times larger.
func (b *bench) measureScaled(f gen.Fleet) error {
	b.scale = b.opts.scale
	in := filepath.Join(b.opts.work, "in-scaled")
	out := filepath.Join(b.opts.work, "out-scaled")
	logf("generating the %d× fleet (%d documents) into %s", b.scale, f.Documents(), in)
	if err := f.Write(in); err != nil {
		return err
	}
	defer os.RemoveAll(in)
	var err error
	if b.scaledValidate, err = b.repeat(fmt.Sprintf("validate %d×", b.scale), b.opts.scaleRuns, nil, b.bin, "validate", "-f", in); err != nil {
		return err
	}
	b.scaledCompile, _, err = b.firstRuns(fmt.Sprintf("compile --out-dir %d×", b.scale), b.opts.scaleRuns, in, out)
	return err
}

// firstRuns times n compiles, each into a new folder OUT.1, OUT.2, … that no earlier run wrote,
// and returns the last one's. Nothing is deleted between runs: on a file system without a
// journal, ext4 skips inodes freed in the last minutes when it allocates new ones (the kernel's
// recently_deleted check), so a run right after removing the previous run's 200,000 files spent
// half its CPU in that scan — a cost of the bench's own clean-up, not of compile.
func (b *bench) firstRuns(job string, n int, in, out string) (series, string, error) {
	var s series
	var last string
	for i := range n {
		last = fmt.Sprintf("%s.%d", out, i+1)
		x, err := timed(fmt.Sprintf("%s, run %d/%d into %s", job, i+1, n, filepath.Base(last)), b.bin, "compile", "-f", in, "--out-dir", last)
		if err != nil {
			return nil, "", err
		}
		s = append(s, x)
	}
	return s, last, nil
}

// removeOutputs removes the folders firstRuns wrote for out, once nothing more is timed.
func removeOutputs(out string) error {
	runs, err := filepath.Glob(out + ".*")
	if err != nil {
		return err
	}
	for _, dir := range runs {
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	return nil
}

// repeat runs a job n times, calling before (when set) ahead of each run, untimed.
func (b *bench) repeat(job string, n int, before func() error, name string, args ...string) (series, error) {
	var s series
	for i := range n {
		if before != nil {
			if err := before(); err != nil {
				return nil, err
			}
		}
		x, err := timed(fmt.Sprintf("%s, run %d/%d", job, i+1, n), name, args...)
		if err != nil {
			return nil, err
		}
		s = append(s, x)
	}
	return s, nil
}

// timed runs one process and logs its wall time and peak RSS under label.
func timed(label, name string, args ...string) (sample, error) {
	x, err := runProcess(name, args...)
	if err == nil {
		logf("%s: %.2f s, peak RSS %s", label, x.wall.Seconds(), mib(x.rss))
	}
	return x, err
}

// treeSize is the bytes and files under dir, hidden ones (the out-dir's marker) left out.
func treeSize(dir string) (int64, int) {
	var size int64
	var files int
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && !strings.HasPrefix(d.Name(), ".") {
			if info, err := d.Info(); err == nil {
				size += info.Size()
				files++
			}
		}
		return nil
	})
	return size, files
}

// tree is every file's identity and modification time, to tell whether a run wrote anything.
type tree map[string]fileStamp

type fileStamp struct {
	size    int64
	modTime time.Time
}

func snapshot(dir string) (tree, error) {
	t := tree{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		t[path] = fileStamp{size: info.Size(), modTime: info.ModTime()}
		return nil
	})
	return t, err
}

// changes counts the paths created, removed or modified between two snapshots (folders count:
// a file replaced by rename changes its folder's modification time).
func (t tree) changes(after tree) int {
	n := 0
	for path, s := range t {
		if a, ok := after[path]; !ok || a != s {
			n++
		}
	}
	for path := range after {
		if _, ok := t[path]; !ok {
			n++
		}
	}
	return n
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }
