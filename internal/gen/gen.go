// Package gen builds random but valid-looking meshroute inputs from a seed, for the property
// tests of the main module and of the conformance/ module (which is why it is a regular package
// and not a _test file: test files cannot be imported across modules). The same seed always
// yields the same bytes. Most cases are valid; a few carry one small, realistic mistake (a
// missing east-west gateway, a port the Service lacks, an unknown destination…) so the
// diagnostics paths are exercised as well.
package gen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing/fstest"

	"sigs.k8s.io/yaml"
)

// Doc is one YAML document and the file it is written to.
type Doc struct {
	File string
	YAML []byte
}

// Case is one generated input.
type Case struct {
	Seed int64
	Docs []Doc
}

// Generate builds the input of one seed, in the default shape.
func Generate(seed int64) *Case { return GenerateShape(seed, DefaultShape()) }

// GenerateShape builds the input of one seed in the given shape (the fuzz target's knobs).
func GenerateShape(seed int64, s Shape) *Case {
	g := &gen{r: rand.New(rand.NewPCG(uint64(seed), 0x6d657368726f7574)), c: &Case{Seed: seed}, s: s.withDefaults()}
	g.inventory()
	g.gateways()
	g.virtualDestinations()
	g.routeTables()
	return g.c
}

// Files joins the documents of each file, in order, as multi-document YAML.
func (c *Case) Files() map[string][]byte {
	out := map[string][]byte{}
	for _, d := range c.Docs {
		if b, ok := out[d.File]; ok {
			out[d.File] = append(append(b, "---\n"...), d.YAML...)
		} else {
			out[d.File] = slices.Clone(d.YAML)
		}
	}
	return out
}

// FS is the case as an in-memory file system for schema.Loader.FS, every file under dir.
func (c *Case) FS(dir string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range c.Files() {
		fsys[dir+"/"+name] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return fsys
}

// Shuffled is the same objects in another document order and another split into files (a
// permutation chosen by seed): the output must not depend on either.
func (c *Case) Shuffled(seed int64) *Case {
	r := rand.New(rand.NewPCG(uint64(seed), 0x73687566666c65))
	docs := slices.Clone(c.Docs)
	r.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	files := 1 + r.IntN(3)
	for i := range docs {
		docs[i].File = fmt.Sprintf("part-%d.yaml", r.IntN(files))
	}
	return &Case{Seed: c.Seed, Docs: docs}
}

// YAML is the whole case as one multi-document stream (for failure reports).
func (c *Case) YAML() string {
	var b strings.Builder
	for i, d := range c.Docs {
		if i > 0 {
			b.WriteString("---\n")
		}
		fmt.Fprintf(&b, "# %s\n", d.File)
		b.Write(d.YAML)
	}
	return b.String()
}

// obj is a YAML object under construction; sigs.k8s.io/yaml sorts map keys, so output is stable.
type obj = map[string]any

type service struct {
	name, ns string
	ports    []svcPort
	clusters []string
	versions []string
}

type svcPort struct {
	name       string
	port       int
	targetPort any // int or a port name
}

type vdest struct {
	name, ns string
	hosts    []string
	ports    []int
}

type gen struct {
	r         *rand.Rand
	s         Shape
	c         *Case
	clusters  []string
	gwPorts   []svcPort // ports of every gateway Service
	gwLabels  []string  // `istio` label values of the gateway Services
	vgs       []vgInfo
	services  []service
	vds       []vdest
	tables    int             // counter for unique names
	usedMatch map[string]bool // matcher sets already used: the same twice is MR3003
	meshHost  map[string]bool // hosts already served to sidecars (MR3005)
}

type vgInfo struct {
	name, ns string
	ports    []int // listener Service ports
}

func (g *gen) chance(p float64) bool   { return g.r.Float64() < p }
func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

// mistake is true rarely: the case gets one slightly wrong field.
func (g *gen) mistake() bool { return g.chance(g.s.Mistakes) }

func (g *gen) emit(file string, o obj) {
	data, err := yaml.Marshal(o)
	if err != nil { // maps of strings, numbers and lists always marshal
		data = []byte(fmt.Sprintf("# marshal: %v\n", err))
	}
	g.c.Docs = append(g.c.Docs, Doc{File: file, YAML: data})
}

func meta(name, ns string, extra obj) obj {
	m := obj{"name": name}
	if ns != "" {
		m["namespace"] = ns
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// inventory: 1–4 clusters, each with a gateway Service and some backend Services.
func (g *gen) inventory() {
	n := 1 + g.r.IntN(g.s.Clusters)
	sharedNet := g.chance(0.3)
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("cluster-%d", i)
		g.clusters = append(g.clusters, name)
		spec := obj{}
		if sharedNet {
			spec["network"] = "network-1"
		} else if g.chance(0.7) {
			spec["network"] = fmt.Sprintf("network-%d", i)
		}
		if g.chance(0.8) {
			region := g.pick([]string{"us-east-1", "us-west-2", "eu-west-1"})
			spec["locality"] = obj{"region": region, "zone": region + string(rune('a'+g.r.IntN(3)))}
		}
		if !(n > 1 && g.mistake()) {
			ew := obj{"address": fmt.Sprintf("172.18.%d.10", i)}
			if g.chance(0.5) {
				ew["port"] = 15443
			}
			spec["eastWestGateway"] = ew
		}
		if g.chance(0.1) {
			spec["clusterDomain"] = "cluster.local"
		}
		g.emit("clusters.yaml", obj{"apiVersion": "meshroute.dev/v1alpha1", "kind": "Cluster", "metadata": meta(name, "", nil), "spec": spec})
	}
	// Gateway Services: the same ports in every cluster (port ≠ targetPort, named ports).
	g.gwPorts = []svcPort{{"http2", 80, 8080}, {"https", 443, 8443}}
	if g.chance(0.4) {
		g.gwPorts = append(g.gwPorts, svcPort{"http-alt", 8081, 9081})
	}
	g.gwLabels = []string{"ingressgateway"}
	if g.chance(0.3) {
		g.gwLabels = append(g.gwLabels, "edgegateway")
	}
	for _, c := range g.clusters {
		for _, l := range g.gwLabels {
			g.emitService("istio-"+l, "istio-gateways", c, g.gwPorts, obj{"app": "istio-" + l, "istio": l}, true)
		}
	}
	// Backends: a pool of Services, each in some clusters, with one to three ports.
	pool := []struct{ name, ns string }{{"shop", "shop"}, {"cart", "shop"}, {"api", "api"}, {"users", "api"}, {"web", "web"}}
	for _, p := range pool {
		if g.chance(0.3) {
			continue
		}
		s := service{name: p.name, ns: p.ns}
		for _, c := range g.clusters {
			if c == "cluster-1" || g.chance(0.6) {
				s.clusters = append(s.clusters, c)
			}
		}
		// A named targetPort cannot be resolved without pods (MR2012 behind a VirtualDestination),
		// so it is rare.
		s.ports = []svcPort{{"http", 8080, 8080}}
		if len(g.clusters) == 1 && g.chance(0.1) || g.mistake() {
			s.ports[0].targetPort = "http-web"
		}
		if g.chance(0.5) {
			s.ports = append(s.ports, svcPort{"grpc", 9090, 9090})
		}
		if g.chance(0.3) {
			s.ports = append(s.ports, svcPort{"http-admin", 8443, 9443})
		}
		if g.chance(0.5) {
			s.versions = []string{"v1", "v2"}
		}
		g.services = append(g.services, s)
		for _, c := range s.clusters {
			g.emitService(s.name, s.ns, c, s.ports, obj{"app": s.name}, false)
		}
	}
}

func (g *gen) emitService(name, ns, cluster string, ports []svcPort, selector obj, lb bool) {
	var ps []any
	for _, p := range ports {
		po := obj{"name": p.name, "port": p.port, "protocol": "TCP"}
		if p.targetPort != nil && p.targetPort != p.port {
			po["targetPort"] = p.targetPort
		}
		ps = append(ps, po)
	}
	spec := obj{"selector": selector, "ports": ps}
	if lb {
		spec["type"] = "LoadBalancer"
	}
	md := meta(name, ns, obj{"labels": obj{"app": name}})
	if len(g.clusters) > 1 || g.chance(0.5) {
		md["annotations"] = obj{"meshroute.dev/cluster": cluster}
	}
	g.emit("services-"+cluster+".yaml", obj{"apiVersion": "v1", "kind": "Service", "metadata": md, "spec": spec})
}

// gateways: one or two VirtualGateways with HTTP, HTTPS (TLS) and redirect listeners.
func (g *gen) gateways() {
	// One VirtualGateway per kind of gateway Service: two on the same Service would claim its
	// ports with the same first host (MR3010) unless their allowedRouteTables differ.
	for i := range g.gwLabels {
		vg := vgInfo{name: fmt.Sprintf("gw-%d", i), ns: "gloo-mesh"}
		label := g.gwLabels[i]
		var workloads []any
		if label != "ingressgateway" || g.chance(0.7) {
			sel := obj{"labels": obj{"istio": label}}
			if g.chance(0.3) {
				sel["namespace"] = "istio-gateways"
			}
			if len(g.clusters) > 1 && g.chance(0.2) {
				sel["cluster"] = g.pick(g.clusters)
			}
			workloads = append(workloads, obj{"selector": sel})
		}
		var listeners []any
		https := g.chance(0.6)
		redirect := https && g.chance(0.4)
		http := obj{"port": g.portSel(g.gwPorts[0]), "http": obj{}}
		if redirect {
			http["httpsRedirect"] = true
		}
		listeners = append(listeners, http)
		vg.ports = append(vg.ports, 80)
		if https {
			tls := obj{"secretName": "gw-cert"}
			if g.chance(0.3) {
				tls["mode"] = g.pick([]string{"SIMPLE", "MUTUAL"})
			}
			l := obj{"port": g.portSel(g.gwPorts[1]), "http": obj{}, "tls": tls}
			listeners = append(listeners, l)
			vg.ports = append(vg.ports, 443)
		}
		if len(g.gwPorts) > 2 && g.chance(0.5) {
			l := obj{"port": g.portSel(g.gwPorts[2]), "http": obj{}}
			if g.chance(0.5) {
				l["allowedRouteTables"] = []any{g.allowed()}
			}
			listeners = append(listeners, l)
			vg.ports = append(vg.ports, 8081)
		}
		if g.mistake() {
			listeners = append(listeners, obj{"port": obj{"number": 7777}, "http": obj{}})
		}
		spec := obj{"listeners": listeners}
		if workloads != nil {
			spec["workloads"] = workloads
		}
		g.vgs = append(g.vgs, vg)
		g.emit("gateways.yaml", obj{"apiVersion": "networking.gloo.solo.io/v2", "kind": "VirtualGateway", "metadata": meta(vg.name, vg.ns, nil), "spec": spec})
	}
}

// allowed is an allowedRouteTables entry in one of its host forms.
func (g *gen) allowed() obj {
	switch g.r.IntN(4) {
	case 0:
		return obj{"host": "*.example.com"}
	case 1:
		return obj{"host": "shop/*"}
	case 2:
		return obj{"host": "*", "selector": obj{"namespace": g.pick([]string{"shop", "api", "web"})}}
	}
	return obj{"host": "a.example.com"}
}

func (g *gen) portSel(p svcPort) obj {
	if g.chance(0.3) {
		return obj{"name": p.name}
	}
	return obj{"number": p.port}
}

// virtualDestinations: zero to two global hosts backed by Services in several clusters.
func (g *gen) virtualDestinations() {
	if len(g.services) == 0 {
		return
	}
	n := g.r.IntN(g.s.VirtualDestinations + 1)
	for i := 0; i < n; i++ {
		s := g.services[g.r.IntN(len(g.services))]
		if _, named := s.ports[0].targetPort.(string); named && !g.mistake() {
			continue
		}
		if slices.ContainsFunc(g.vds, func(v vdest) bool { return v.name == s.name+"-global" && v.ns == s.ns }) {
			continue
		}
		vd := vdest{name: s.name + "-global", ns: s.ns, hosts: []string{s.name + ".mesh.internal"}}
		if g.chance(0.4) {
			vd.hosts = append(vd.hosts, s.name+".global.internal")
		}
		var ports []any
		vd.ports = []int{80}
		ports = append(ports, obj{"number": 80, "protocol": "HTTP", "targetPort": g.portSel(s.ports[0])})
		if len(s.ports) > 1 && g.chance(0.5) {
			ports = append(ports, obj{"number": 9090, "protocol": g.pick([]string{"HTTP", "GRPC"}), "targetPort": obj{"number": s.ports[1].port}})
			vd.ports = append(vd.ports, 9090)
		}
		var sels []any
		sel := obj{"labels": obj{"app": s.name}, "namespace": s.ns}
		if len(s.clusters) > 1 && g.chance(0.3) {
			for _, c := range s.clusters[:1+g.r.IntN(len(s.clusters))] {
				sels = append(sels, obj{"labels": obj{"app": s.name}, "namespace": s.ns, "cluster": c})
			}
		} else {
			sels = append(sels, sel)
		}
		g.vds = append(g.vds, vd)
		g.emit("virtualdestinations.yaml", obj{"apiVersion": "networking.gloo.solo.io/v2", "kind": "VirtualDestination",
			"metadata": meta(vd.name, vd.ns, nil), "spec": obj{"hosts": vd.hosts, "ports": ports, "services": sels}})
	}
}
