package cmd

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// largeInput is the size of a big real-world estate: the benchmarks below run the CLI on it
// exactly as a user would (flags, loader, checks, emitters, renderers).
var largeInput = largeSpec{clusters: 50, tables: 500, routesPerTable: 40, vds: 1000, backingPerVD: 3}

type largeSpec struct{ clusters, tables, routesPerTable, vds, backingPerVD int }

// write lays the estate out as a GitOps repository would: inventory per cluster, one file per
// VirtualDestination group and per RouteTable.
func (s largeSpec) write(tb testing.TB, dir string) {
	tb.Helper()
	put := func(rel, content string) {
		path := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	for c := range s.clusters {
		var b strings.Builder
		fmt.Fprintf(&b, "apiVersion: meshroute.dev/v1alpha1\nkind: Cluster\nmetadata: {name: c%02d}\nspec:\n  network: net-%02d\n  locality: {region: r%d, zone: r%d-z%d}\n  eastWestGateway: {address: 10.%d.0.10, port: 15443}\n",
			c, c, c%5, c%5, c%3, c)
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Service\nmetadata: {name: istio-ingressgateway, namespace: istio-gateways, annotations: {meshroute.dev/cluster: c%02d}}\nspec:\n  selector: {istio: ingressgateway}\n  ports:\n  - {name: http2, port: 80, targetPort: 8080}\n  - {name: https, port: 443, targetPort: 8443}\n", c)
		// Each VirtualDestination is backed in backingPerVD consecutive clusters.
		for v := range s.vds {
			if (c-v%s.clusters+s.clusters)%s.clusters >= s.backingPerVD {
				continue
			}
			fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Service\nmetadata: {name: svc-%04d, namespace: team-%02d, labels: {app: svc-%04d}, annotations: {meshroute.dev/cluster: c%02d}}\nspec:\n  selector: {app: svc-%04d}\n  ports:\n  - {name: http, port: 80, targetPort: 8080}\n",
				v, v%20, v, c, v)
		}
		put(fmt.Sprintf("inventory/c%02d.yaml", c), b.String())
	}
	put("gateways/north.yaml", "apiVersion: networking.gloo.solo.io/v2\nkind: VirtualGateway\nmetadata: {name: north, namespace: istio-gateways}\nspec:\n  workloads:\n  - selector: {labels: {istio: ingressgateway}}\n  listeners:\n  - port: {number: 80}\n    http: {}\n")
	for v := range s.vds {
		put(fmt.Sprintf("destinations/team-%02d/vd-%04d.yaml", v%20, v), fmt.Sprintf(
			"apiVersion: networking.gloo.solo.io/v2\nkind: VirtualDestination\nmetadata: {name: vd-%04d, namespace: team-%02d}\nspec:\n  hosts: [svc-%04d.mesh.internal]\n  services:\n  - labels: {app: svc-%04d}\n  ports:\n  - number: 80\n    protocol: HTTP\n    targetPort: {number: 8080}\n",
			v, v%20, v, v))
	}
	for t := range s.tables {
		ns := fmt.Sprintf("team-%02d", t%20)
		var b strings.Builder
		fmt.Fprintf(&b, "apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata: {name: app-%03d, namespace: %s}\nspec:\n  hosts: [app-%03d.example.com]\n  virtualGateways: [{name: north, namespace: istio-gateways}]\n  http:\n", t, ns, t)
		for r := range s.routesPerTable {
			// Destinations stay in the table's namespace's VDs (v%20 == t%20).
			v := (t%20 + 20*(r+t*s.routesPerTable)) % s.vds
			fmt.Fprintf(&b, "  - name: r%02d\n    matchers:\n    - uri: {prefix: /api/v%d/r%02d}\n", r, t%3, r)
			if r%4 == 1 {
				fmt.Fprintf(&b, "      headers: [{name: x-tenant, value: t%d}]\n", r)
			}
			fmt.Fprintf(&b, "    forwardTo:\n      destinations:\n      - ref: {name: vd-%04d}\n        kind: VIRTUAL_DESTINATION\n        port: {number: 80}\n", v)
		}
		put(fmt.Sprintf("routes/%s/app-%03d.yaml", ns, t), b.String())
	}
}

// benchCLI runs meshroute with args on the large input, failing on an unexpected exit code.
func benchCLI(b *testing.B, want int, args ...string) {
	dir := b.TempDir()
	largeInput.write(b, dir)
	args = append(args, "-f", dir)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var out, errOut bytes.Buffer
		if code := run(args, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, workDir: dir}); code != want {
			b.Fatalf("exit code %d, want %d: %s", code, want, tail(errOut.String()))
		}
	}
}

func tail(s string) string {
	if len(s) > 2000 {
		return "…" + s[len(s)-2000:]
	}
	return s
}

func BenchmarkLargeValidate(b *testing.B) { benchCLI(b, exitOK, "validate") }

func BenchmarkLargeValidateSARIF(b *testing.B) { benchCLI(b, exitOK, "validate", "-o", "sarif") }

func BenchmarkLargeCompileOneCluster(b *testing.B) {
	benchCLI(b, exitOK, "compile", "--cluster", "c07")
}

func BenchmarkLargeCompileEnvoyOneCluster(b *testing.B) {
	benchCLI(b, exitOK, "compile", "--target", "envoy", "--cluster", "c07")
}

// BenchmarkLargeCompileOutDir writes five clusters' folders (about 27,000 files), then re-runs
// on them: the first iteration measures writing, the others the no-change path.
func BenchmarkLargeCompileOutDir(b *testing.B) {
	out := filepath.Join(b.TempDir(), "out")
	benchCLI(b, exitOK, "compile", "--out-dir", out, "--cluster", "c00,c01,c02,c03,c04")
}
