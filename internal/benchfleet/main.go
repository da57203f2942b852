// Command benchfleet is `make bench-fleet`: it generates the fleet of docs/performance.md with
// internal/gen, then times meshroute's validate and compile --out-dir as whole processes
// (median wall time of -runs, peak RSS from the operating system), side by side with
// kubeconform checking the same files against meshroute's own schemas and with the floor of
// decoding the input and encoding the output with goyaml.v3 in-process, and prints one table
// with the ratios. It is a measurement, not a test: nothing fails on a missed goal.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/meshroute/meshroute/internal/gen"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench-fleet:", err)
		os.Exit(1)
	}
}

type options struct {
	size        string
	runs        int
	scale       int
	scaleRuns   int
	work        string
	kubeconform string
	keep        bool
}

func run() error {
	var o options
	flag.StringVar(&o.size, "size", "quick", "quick (a tenth of the issue's fleet, for a first look) or issue (the size the goals are stated for)")
	flag.IntVar(&o.runs, "runs", 3, "runs per job; the table shows the median wall time")
	flag.IntVar(&o.scale, "scale", 10, "also time a fleet this many times larger (0: skip)")
	flag.IntVar(&o.scaleRuns, "scale-runs", 1, "runs per job on the larger fleet")
	flag.StringVar(&o.work, "work", "", "working folder (default: a new temporary folder, removed at the end)")
	flag.StringVar(&o.kubeconform, "kubeconform", "", "kubeconform binary (default: from PATH or GOBIN, else go install "+kubeconformModule+")")
	flag.BoolVar(&o.keep, "keep", false, "keep the working folder")
	flag.Parse()

	fleet, err := fleetOf(o.size)
	if err != nil {
		return err
	}
	if o.work == "" {
		if o.work, err = os.MkdirTemp("", "bench-fleet-"); err != nil {
			return err
		}
		if !o.keep {
			defer os.RemoveAll(o.work)
		}
	}
	b := &bench{opts: o, bin: filepath.Join(o.work, "meshroute")}
	logf("building meshroute into %s", b.bin)
	if out, err := exec.Command("go", "build", "-o", b.bin, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	b.machine = describeMachine()
	if err := b.measure(fleet); err != nil {
		return err
	}
	if o.scale > 1 {
		if err := b.measureScaled(fleet.Scaled(o.scale)); err != nil {
			return err
		}
	}
	b.machine.loadAfter = loadAverage()
	b.print(os.Stdout, fleet)
	if o.keep {
		return nil
	}
	return errors.Join(removeOutputs(filepath.Join(o.work, "out")), removeOutputs(filepath.Join(o.work, "out-scaled")))
}

// fleetOf is the fleet of a -size name.
func fleetOf(size string) (gen.Fleet, error) {
	f := gen.IssueFleet()
	switch size {
	case "issue":
		return f, nil
	case "quick":
		f.VirtualDestinations /= 10
		f.RootTables /= 10
		return f, nil
	}
	return f, fmt.Errorf("-size %q: want quick or issue", size)
}

// machine is what the figures depend on besides the code.
type machine struct {
	cpus                  int
	goVersion, cpu        string
	loadBefore, loadAfter string
}

func describeMachine() machine {
	m := machine{cpus: runtime.NumCPU(), goVersion: runtime.Version(), loadBefore: loadAverage()}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

// loadAverage is the 1, 5 and 15 minute load averages where the system tells them.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, "bench-fleet: "+format+"\n", args...) }
