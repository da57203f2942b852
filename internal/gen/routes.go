package gen

import (
	"fmt"
	"slices"
)

// Paths, hosts and header names are drawn from small pools so that routes overlap, shadow and
// delegate into each other often, which is where ordering bugs hide.
var (
	paths        = []string{"/", "/api", "/api/v1", "/shop", "/Login", "/static/", "/a-b", "/v2/items"}
	regexes      = []string{"/api/v[0-9]+/.*", "/(shop|cart)/[a-z]+", ".*\\.png", "/items/[0-9]{1,4}"}
	ingressHosts = []string{"a.example.com", "b.example.com", "*.wild.example.com", "shop.example.com", "*", "api.example.org"}
	headerNames  = []string{"x-user", "x-canary", "x-debug", "x-tenant"}
	methods      = []string{"GET", "POST", "PUT", "DELETE"}
)

// tableCtx is what a route's generation depends on: the table's namespace, whether it serves
// a gateway (listener ports for matcher port) and how deep it sits in delegation.
type tableCtx struct {
	ns      string
	ingress bool
	ports   []int // Service ports of the bound gateway's listeners
	depth   int
}

func (g *gen) routeTables() {
	used := map[string]bool{}
	g.usedMatch, g.meshHost = map[string]bool{}, map[string]bool{}
	for i, n := 0, 1+g.r.IntN(g.s.RootTables); i < n; i++ {
		var hosts []string
		for j, m := 0, 1+g.r.IntN(2); j < m; j++ {
			h := g.pick(ingressHosts)
			// "*" covers every other host of its table (MR3012), so it stands alone.
			if (h == "*" && len(hosts) > 0 || slices.Contains(hosts, "*")) && !g.mistake() {
				continue
			}
			if !used[h] || g.mistake() {
				used[h] = true
				hosts = append(hosts, h)
			}
		}
		if len(hosts) == 0 {
			continue
		}
		ns := g.pick([]string{"shop", "api", "web"})
		vg := g.vgs[g.r.IntN(len(g.vgs))]
		ref := obj{"name": vg.name, "namespace": vg.ns}
		if g.mistake() {
			delete(ref, "namespace")
		}
		spec := obj{"hosts": hosts, "virtualGateways": []any{ref}, "http": g.routes(tableCtx{ns: ns, ingress: true, ports: vg.ports})}
		if g.chance(0.15) && len(g.services) > 0 {
			// Both: gateway and mesh. Only valid with mesh-safe hosts, so give it a service host.
			s := g.services[g.r.IntN(len(g.services))]
			host := fmt.Sprintf("%s.%s.svc.cluster.local", s.name, s.ns)
			if !slices.Contains(hosts, "*") && !g.meshHost[host] {
				g.meshHost[host] = true
				spec["hosts"] = append(hosts, host)
				spec["workloadSelectors"] = []any{obj{"selector": obj{"labels": obj{"app": "web"}}}}
			}
		}
		g.emitTable(fmt.Sprintf("ingress-%d", i), ns, nil, spec)
	}
	// Mesh roots: a Service's Kubernetes name or a VirtualDestination host, for sidecars.
	for i, n := 0, g.r.IntN(3); i < n; i++ {
		var host, ns string
		if len(g.vds) > 0 && g.chance(0.5) {
			vd := g.vds[g.r.IntN(len(g.vds))]
			host, ns = vd.hosts[0], vd.ns
		} else if len(g.services) > 0 {
			s := g.services[g.r.IntN(len(g.services))]
			host, ns = fmt.Sprintf("%s.%s.svc.cluster.local", s.name, s.ns), s.ns
		} else {
			continue
		}
		if g.meshHost[host] {
			continue
		}
		g.meshHost[host] = true
		spec := obj{"hosts": []any{host}, "http": g.routes(tableCtx{ns: ns})}
		if g.chance(0.5) {
			spec["workloadSelectors"] = []any{obj{"selector": obj{"labels": obj{"app": g.pick([]string{"web", "shop", "api"})}}}}
		}
		g.emitTable(fmt.Sprintf("mesh-%d", i), ns, nil, spec)
	}
}

func (g *gen) emitTable(name, ns string, labels obj, spec obj) {
	extra := obj{}
	if labels != nil {
		extra["labels"] = labels
	}
	g.emit("routetables.yaml", obj{"apiVersion": "networking.gloo.solo.io/v2", "kind": "RouteTable", "metadata": meta(name, ns, extra), "spec": spec})
}

func (g *gen) routes(ctx tableCtx) []any {
	var out []any
	n := 1 + g.r.IntN(g.s.Routes)
	for i := 0; i < n; i++ {
		r := obj{}
		if g.chance(0.85) {
			r["name"] = fmt.Sprintf("r%d", i)
		}
		switch k := g.r.IntN(100); {
		case k < 15 && ctx.depth < 3:
			r["matchers"] = g.delegateMatchers()
			r["delegate"] = g.delegate(ctx)
		case k < 27:
			r["matchers"] = g.matchers(ctx)
			r["redirect"] = g.redirect()
		case k < 37:
			r["matchers"] = g.matchers(ctx)
			dr := obj{"status": g.pick2n(200, 404, 503)}
			if g.chance(0.5) {
				dr["body"] = g.wordOr(`{"ok": true}`)
			}
			r["directResponse"] = dr
		default:
			ms := g.matchers(ctx)
			r["matchers"] = ms
			r["forwardTo"] = g.forwardTo(ctx, ms)
		}
		if ms, _ := r["matchers"].([]any); len(ms) == 0 {
			delete(r, "matchers")
		}
		out = append(out, r)
	}
	return out
}

func (g *gen) pick2n(xs ...int) int { return xs[g.r.IntN(len(xs))] }

// delegateMatchers are prefix-only (MR4010 otherwise), or none.
func (g *gen) delegateMatchers() []any {
	if g.chance(0.2) {
		return nil
	}
	m := obj{"uri": obj{"prefix": g.path()}}
	if g.chance(0.2) {
		// A header child routes never test: different conditions on one name contradict (MR3007).
		m["headers"] = []any{obj{"name": "x-region", "value": "eu"}}
	}
	return []any{m}
}

// delegate creates one or two child tables and selects them by name or by labels.
func (g *gen) delegate(parent tableCtx) obj {
	child := tableCtx{ns: g.pick([]string{"shop", "api", "web"}), ingress: parent.ingress, ports: parent.ports, depth: parent.depth + 1}
	team := fmt.Sprintf("team-%d", g.tables)
	var sels []any
	for i, n := 0, 1+g.r.IntN(2); i < n; i++ {
		g.tables++
		name := fmt.Sprintf("child-%d", g.tables)
		spec := obj{"http": g.routes(child)}
		if g.chance(0.5) {
			spec["weight"] = g.r.IntN(3) * 10
		}
		g.emitTable(name, child.ns, obj{"team": team}, spec)
		if g.chance(0.5) {
			sels = append(sels, obj{"name": name, "namespace": child.ns})
		}
	}
	if len(sels) == 0 {
		sel := obj{"labels": obj{"team": team}}
		if g.chance(0.5) {
			sel["namespace"] = child.ns
		}
		sels = append(sels, sel)
	}
	d := obj{"routeTables": sels}
	if g.chance(0.6) {
		d["sortMethod"] = g.pick([]string{"TABLE_WEIGHT", "ROUTE_SPECIFICITY"})
	}
	return d
}

func (g *gen) matchers(ctx tableCtx) []any {
	var out []any
	for i, n := 0, g.r.IntN(3); i < n; i++ {
		m := obj{}
		switch g.r.IntN(4) {
		case 0:
			m["uri"] = obj{"exact": g.path()}
		case 1, 2:
			m["uri"] = obj{"prefix": g.path()}
		default:
			m["uri"] = obj{"regex": g.word(regexes)}
		}
		if g.chance(0.2) {
			m["uri"].(obj)["ignoreCase"] = true
		}
		if g.chance(0.35) {
			var hs []any
			for j, k := 0, 1+g.r.IntN(2); j < k; j++ {
				h := obj{"name": g.wordOr(headerNames[(j+g.r.IntN(len(headerNames)))%len(headerNames)])}
				switch g.r.IntN(4) {
				case 0:
					h["value"] = g.wordOr("alice")
				case 1:
					h["value"], h["regex"] = "t.*", true
				case 2:
					h["value"], h["invertMatch"] = "1", true
				}
				if !slices.ContainsFunc(hs, func(x any) bool { return x.(obj)["name"] == h["name"] }) {
					hs = append(hs, h)
				}
			}
			m["headers"] = hs
		}
		if g.chance(0.2) {
			q := obj{"name": g.word([]string{"page", "lang", "q"})}
			if g.chance(0.5) {
				q["value"] = g.wordOr("en")
			} else if g.chance(0.5) {
				q["value"], q["regex"] = "en|fr", true
			}
			m["queryParameters"] = []any{q}
		}
		if g.chance(0.2) {
			m["method"] = g.pick(methods)
		}
		if len(ctx.ports) > 0 && g.chance(0.1) {
			m["port"] = ctx.ports[g.r.IntN(len(ctx.ports))]
		}
		out = append(out, m)
	}
	// The same matchers twice for one host is MR3003; retry once with other ones.
	key := fmt.Sprint(out)
	if g.usedMatch[key] && !g.mistake() {
		return g.matchers2(ctx)
	}
	g.usedMatch[key] = true
	return out
}

// matchers2 is a fresh matcher guaranteed to be new: a prefix no pool path has.
func (g *gen) matchers2(ctx tableCtx) []any {
	g.tables++
	return []any{obj{"uri": obj{"prefix": fmt.Sprintf("/u%d", g.tables)}}}
}

func (g *gen) redirect() obj {
	r := obj{}
	switch g.r.IntN(3) {
	case 0:
		r["hostRedirect"] = "www.example.com"
	case 1:
		r["pathRedirect"] = g.path()
	default:
		r["hostRedirect"], r["pathRedirect"] = "new.example.com", "/moved"
	}
	if g.chance(0.6) {
		r["responseCode"] = g.pick([]string{"MOVED_PERMANENTLY", "FOUND", "SEE_OTHER", "TEMPORARY_REDIRECT", "PERMANENT_REDIRECT"})
	}
	return r
}

func (g *gen) forwardTo(ctx tableCtx, matchers []any) obj {
	var dests []any
	n := 1 + g.r.IntN(3)
	// Explicit weights sum to at most 100 (MR4001); some destinations are left unweighted, by
	// leaving the weight out (-1) or by writing 0, which Gloo reads as unset.
	splits := map[int][][]int{
		1: {{-1}},
		2: {{50, 50}, {90, 10}, {30, -1}, {-1, -1}, {0, 70}},
		3: {{20, 30, 50}, {10, -1, -1}, {-1, -1, -1}, {0, 50, 0}},
	}[n]
	split := splits[g.r.IntN(len(splits))]
	if n > 1 && g.mistake() {
		split = []int{60, 60, -1}
	}
	for i := 0; i < n; i++ {
		if d := g.destination(ctx); d != nil {
			if split[i] >= 0 {
				d["weight"] = split[i]
			}
			dests = append(dests, d)
		}
	}
	if len(dests) == 0 && !g.mistake() {
		dests = append(dests, obj{"ref": obj{"name": "missing", "namespace": ctx.ns}, "port": obj{"number": 8080}})
	}
	f := obj{"destinations": dests}
	prefixOnly := len(matchers) > 0 && !slices.ContainsFunc(matchers, func(m any) bool {
		u, _ := m.(obj)["uri"].(obj)
		return u == nil || u["prefix"] == nil
	})
	switch k := g.r.IntN(10); {
	case k == 0 && (prefixOnly || g.mistake()):
		f["pathRewrite"] = g.pick([]string{"/", "/v2", "/internal/"})
	case k == 1:
		f["regexRewrite"] = obj{"pattern": obj{"regex": "^/api/(.*)$"}, "substitution": "/\\1"}
	case k == 2:
		f["hostRewrite"] = "internal.example.com"
	case k == 3 && len(dests) == 1:
		f["autoHostRewrite"] = true
	}
	return f
}

// destination is a Service (port by number or name, maybe a subset or a cluster) or a
// VirtualDestination; weighted when the route splits.
func (g *gen) destination(ctx tableCtx) obj {
	var d obj
	if len(g.vds) > 0 && g.chance(0.3) {
		vd := g.vds[g.r.IntN(len(g.vds))]
		d = obj{"kind": "VIRTUAL_DESTINATION", "ref": obj{"name": vd.name, "namespace": vd.ns}, "port": obj{"number": vd.ports[g.r.IntN(len(vd.ports))]}}
	} else if len(g.services) > 0 {
		s := g.services[g.r.IntN(len(g.services))]
		ref := obj{"name": s.name}
		if s.ns != ctx.ns || g.chance(0.3) {
			ref["namespace"] = s.ns
		}
		// Without ref.cluster the Service must exist in every cluster the route is emitted in
		// (MR2002): pin it when it does not, and sometimes when it does.
		if len(g.clusters) > 1 && (len(s.clusters) < len(g.clusters) && !g.mistake() || g.chance(0.15)) {
			ref["cluster"] = g.pick(s.clusters)
		}
		d = obj{"ref": ref, "port": g.portSel(s.ports[g.r.IntN(len(s.ports))])}
		if g.chance(0.3) {
			d["kind"] = "SERVICE"
		}
		if len(s.versions) > 0 && g.chance(0.4) {
			d["subset"] = obj{"version": g.pick(s.versions)}
		}
		if g.mistake() {
			d["port"] = obj{"number": 1234}
		}
	} else {
		return nil
	}
	return d
}
