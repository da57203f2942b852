package gen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Fleet is the regular, valid estate the fleet benchmark compiles (make bench-fleet): every
// cluster has an ingress gateway; each VirtualDestination is backed in BackingPerVD
// consecutive clusters; one VirtualGateway serves RootTables root tables, each delegating
// ChildrenPerRoot path ranges to its own child tables of RoutesPerChild routes. Unlike
// Generate it has no mistakes and no random shape: the counts are exact, so figures from two
// runs compare. The seed only varies which VirtualDestination a route forwards to and which
// routes carry a header condition.
type Fleet struct {
	Clusters, VirtualDestinations, BackingPerVD             int
	RootTables, ChildrenPerRoot, RoutesPerChild, Namespaces int
	Seed                                                    int64
}

// IssueFleet is the size the performance goals are stated for (docs/performance.md): 13,541
// input documents, 50,000 routes.
func IssueFleet() Fleet {
	return Fleet{Clusters: 20, VirtualDestinations: 2000, BackingPerVD: 3, RootTables: 500, ChildrenPerRoot: 10, RoutesPerChild: 10, Namespaces: 20, Seed: 1}
}

// Scaled is the fleet with k times the VirtualDestinations and tables (k times the input and
// the output; the cluster count stays).
func (f Fleet) Scaled(k int) Fleet {
	f.VirtualDestinations *= k
	f.RootTables *= k
	return f
}

// Documents is how many input documents the fleet has.
func (f Fleet) Documents() int {
	return 2*f.Clusters + f.VirtualDestinations*min(f.BackingPerVD, f.Clusters) + 1 +
		f.VirtualDestinations + f.RootTables*(1+f.ChildrenPerRoot)
}

// Write lays the fleet out under dir as a GitOps repository would: inventory per cluster, one
// file per VirtualDestination, one file per root table with its children.
func (f Fleet) Write(dir string) error {
	w := fleetWriter{dir: dir}
	for c := range f.Clusters {
		var b strings.Builder
		fmt.Fprintf(&b, "apiVersion: meshroute.dev/v1alpha1\nkind: Cluster\nmetadata:\n  name: %s\nspec:\n  network: net-%02d\n  locality:\n    region: region-%d\n    zone: region-%d-%c\n  eastWestGateway:\n    address: 10.%d.%d.10\n    port: 15443\n",
			f.cluster(c), c, c%4, c%4, 'a'+c%3, c/250, c%250)
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: istio-ingressgateway\n  namespace: istio-gateways\n  annotations:\n    meshroute.dev/cluster: %s\nspec:\n  type: LoadBalancer\n  selector:\n    istio: ingressgateway\n  ports:\n  - name: http2\n    port: 80\n    targetPort: 8080\n  - name: https\n    port: 443\n    targetPort: 8443\n", f.cluster(c))
		for v := range f.VirtualDestinations {
			if !f.backs(c, v) {
				continue
			}
			fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-%05d\n  namespace: %s\n  labels:\n    app: svc-%05d\n  annotations:\n    meshroute.dev/cluster: %s\nspec:\n  selector:\n    app: svc-%05d\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n",
				v, f.namespace(v), v, f.cluster(c), v)
		}
		w.put(filepath.Join("inventory", f.cluster(c)+".yaml"), b.String())
	}
	w.put("gateways/north.yaml", "apiVersion: networking.gloo.solo.io/v2\nkind: VirtualGateway\nmetadata:\n  name: north\n  namespace: istio-gateways\nspec:\n  workloads:\n  - selector:\n      labels:\n        istio: ingressgateway\n  listeners:\n  - port:\n      number: 80\n    http: {}\n")
	for v := range f.VirtualDestinations {
		w.put(filepath.Join("destinations", f.namespace(v), fmt.Sprintf("vd-%05d.yaml", v)), fmt.Sprintf(
			"apiVersion: networking.gloo.solo.io/v2\nkind: VirtualDestination\nmetadata:\n  name: vd-%05d\n  namespace: %s\nspec:\n  hosts:\n  - svc-%05d.mesh.internal\n  services:\n  - labels:\n      app: svc-%05d\n  ports:\n  - number: 80\n    protocol: HTTP\n    targetPort:\n      number: 8080\n",
			v, f.namespace(v), v, v))
	}
	r := rand.New(rand.NewPCG(uint64(f.Seed), 0x666c656574))
	for t := range f.RootTables {
		ns := f.namespace(t)
		var b strings.Builder
		fmt.Fprintf(&b, "apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata:\n  name: app-%05d\n  namespace: %s\nspec:\n  hosts:\n  - app-%05d.example.com\n  virtualGateways:\n  - name: north\n    namespace: istio-gateways\n  http:\n", t, ns, t)
		for k := range f.ChildrenPerRoot {
			fmt.Fprintf(&b, "  - name: part-%02d\n    matchers:\n    - uri:\n        prefix: /part-%02d\n    delegate:\n      routeTables:\n      - name: app-%05d-part-%02d\n", k, k, t, k)
		}
		for k := range f.ChildrenPerRoot {
			fmt.Fprintf(&b, "---\napiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata:\n  name: app-%05d-part-%02d\n  namespace: %s\nspec:\n  http:\n", t, k, ns)
			for i := range f.RoutesPerChild {
				fmt.Fprintf(&b, "  - name: r-%02d\n    matchers:\n    - uri:\n        prefix: /r-%02d\n", i, i)
				if r.IntN(4) == 0 {
					fmt.Fprintf(&b, "      headers:\n      - name: x-tenant\n        value: t-%d\n", r.IntN(10))
				}
				fmt.Fprintf(&b, "    forwardTo:\n      destinations:\n      - ref:\n          name: vd-%05d\n        kind: VIRTUAL_DESTINATION\n        port:\n          number: 80\n", f.destination(r, ns, t))
			}
		}
		w.put(filepath.Join("routes", ns, fmt.Sprintf("app-%05d.yaml", t)), b.String())
	}
	return w.err
}

func (f Fleet) cluster(c int) string { return fmt.Sprintf("cluster-%02d", c) }

func (f Fleet) namespace(i int) string { return fmt.Sprintf("team-%02d", i%max(f.Namespaces, 1)) }

// backs reports whether cluster c has a backing Service of VirtualDestination v.
func (f Fleet) backs(c, v int) bool { return (c-v%f.Clusters+f.Clusters)%f.Clusters < f.BackingPerVD }

// destination picks a VirtualDestination in the table's namespace (a reference's namespace
// defaults to the table's), so every route resolves.
func (f Fleet) destination(r *rand.Rand, ns string, t int) int {
	n := max(f.Namespaces, 1)
	perNS := max((f.VirtualDestinations-t%n+n-1)/n, 1)
	return t%n + n*r.IntN(perNS)
}

// fleetWriter writes files under dir, keeping the first error.
type fleetWriter struct {
	dir string
	err error
}

func (w *fleetWriter) put(rel, content string) {
	if w.err != nil {
		return
	}
	path := filepath.Join(w.dir, rel)
	if w.err = os.MkdirAll(filepath.Dir(path), 0o755); w.err == nil {
		w.err = os.WriteFile(path, []byte(content), 0o644)
	}
}
