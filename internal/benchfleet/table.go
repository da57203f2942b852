package main

import (
	"fmt"
	"io"
	"time"

	"github.com/meshroute/meshroute/internal/gen"
)

// print writes the one table of docs/performance.md, with the machine and the raw sizes.
func (b *bench) print(w io.Writer, f gen.Fleet) {
	m := b.machine
	fmt.Fprintf(w, "\nFleet: %d clusters, %d VirtualDestinations, %d root tables × %d children × %d routes = %d routes; %d input documents, %.1f MB in; output %d files, %.1f MB (%d documents)\n",
		f.Clusters, f.VirtualDestinations, f.RootTables, f.ChildrenPerRoot, f.RoutesPerChild, f.RootTables*f.ChildrenPerRoot*f.RoutesPerChild,
		f.Documents(), float64(b.inputBytes)/1e6, b.outputFiles, float64(b.outputBytes)/1e6, b.floor.docsOut)
	fmt.Fprintf(w, "Machine: %d CPUs (%s), %s; load average before %s, after %s; medians of %d runs\n\n",
		m.cpus, m.cpu, m.goVersion, m.loadBefore, m.loadAfter, b.opts.runs)
	fmt.Fprintln(w, "| job | meshroute | yardstick | ratio | goal |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- |")
	kcWall, kcRSS, kcRatio := "kubeconform: n/a ("+b.kubeconformErr+")", "kubeconform: n/a", "—"
	if len(b.kubeconform) > 0 {
		kcWall = "kubeconform 0.8 `-strict`: " + secs(b.kubeconform.median())
		kcRSS = "kubeconform: " + mib(b.kubeconform.peak())
		kcRatio = ratio(b.validate.median(), b.kubeconform.median())
	}
	fmt.Fprintf(w, "| `validate` wall | %s | %s | %s | ≤ 0.5× |\n", secs(b.validate.median()), kcWall, kcRatio)
	fmt.Fprintf(w, "| `validate` peak RSS | %s | %s | — | ≤ 512 MiB |\n", mib(b.validate.peak()), kcRSS)
	fmt.Fprintf(w, "| `compile --out-dir` wall | %s | floor (goyaml.v3 decode %s + encode %s): %s | %s | ≤ 0.5× |\n",
		secs(b.compile.median()), secs(b.floor.decode), secs(b.floor.encode), secs(b.floor.total()), ratio(b.compile.median(), b.floor.total()))
	fmt.Fprintf(w, "| `compile` peak RSS | %s | — | — | ≤ 1 GiB |\n", mib(max(b.compile.peak(), b.rerun.peak())))
	fmt.Fprintf(w, "| re-run, nothing changed | %s, %d paths touched | first run %s | %s | ≤ 0.2×, writes no file |\n",
		secs(b.rerun.median()), b.rerunChanged, secs(b.compile.median()), ratio(b.rerun.median(), b.compile.median()))
	if b.scale > 1 {
		fmt.Fprintf(w, "| %d× the input: `validate` | %s | %s | %s | ≤ %.1f× |\n", b.scale, secs(b.scaledValidate.median()),
			secs(b.validate.median()), ratio(b.scaledValidate.median(), b.validate.median()), 1.05*float64(b.scale))
		fmt.Fprintf(w, "| %d× the input: `compile --out-dir` | %s, peak RSS %s | %s | %s | ≤ %.1f× |\n", b.scale, secs(b.scaledCompile.median()),
			mib(b.scaledCompile.peak()), secs(b.compile.median()), ratio(b.scaledCompile.median(), b.compile.median()), 1.05*float64(b.scale))
	}
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func ratio(a, b time.Duration) string {
	if b == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", a.Seconds()/b.Seconds())
}
