package envoy

import (
	"fmt"
	"math"
	"net/netip"
	"strings"

	bootstrapv3 "github.com/envoyproxy/go-control-plane/envoy/config/bootstrap/v3"
	clusterv3 "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	listenerv3 "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	"google.golang.org/protobuf/proto"
)

// loadRules are checks Envoy makes when it loads a configuration that the proto annotations do
// not express. hcms are the connection managers found inside typed_configs.
func loadRules(b *bootstrapv3.Bootstrap, hcms []found, tcps []foundTCP) []error {
	var errs []error
	fail := func(path, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
	}
	sr := b.GetStaticResources()

	listenerNames := map[string]int{}
	addresses := map[string]int{}
	for i, l := range sr.GetListeners() {
		path := fmt.Sprintf("static_resources.listeners[%d]", i)
		if prev, dup := listenerNames[l.GetName()]; dup && l.GetName() != "" {
			fail(path, "listener name %q is also listeners[%d]'s", l.GetName(), prev)
		} else {
			listenerNames[l.GetName()] = i
		}
		if sa := l.GetAddress().GetSocketAddress(); sa != nil {
			addr := fmt.Sprintf("%s:%d", sa.GetAddress(), sa.GetPortValue())
			if prev, dup := addresses[addr]; dup {
				fail(path, "address %s is also listeners[%d]'s", addr, prev)
			} else {
				addresses[addr] = i
			}
		}
		if sa, adm := l.GetAddress().GetSocketAddress(), b.GetAdmin().GetAddress().GetSocketAddress(); sa != nil && adm != nil &&
			sa.GetPortValue() == adm.GetPortValue() && overlaps(sa.GetAddress(), adm.GetAddress()) {
			fail(path, "listens on port %d, which the admin interface (%s) binds too", sa.GetPortValue(), adm.GetAddress())
		}
		if len(l.GetFilterChains()) == 0 && l.GetDefaultFilterChain() == nil {
			fail(path, "listener %q has no filter chain", l.GetName())
		}
		checkFilterChains(path, l, fail)
		checkServerNames(path, l, fail)
	}

	clusters := map[string]bool{}
	for i, c := range sr.GetClusters() {
		path := fmt.Sprintf("static_resources.clusters[%d]", i)
		switch {
		case c.GetName() == "":
			fail(path, "a static cluster needs a name")
		case clusters[c.GetName()]:
			fail(path, "cluster name %q is defined twice", c.GetName())
		}
		clusters[c.GetName()] = true
		if c.GetType() == clusterv3.Cluster_STATIC {
			checkStaticEndpoints(path, c, fail)
		}
	}

	for _, t := range tcps {
		if c := t.proxy.GetCluster(); c != "" && !clusters[c] {
			fail(t.path+".cluster", "cluster %q is not defined in static_resources.clusters", c)
		}
		for k, wc := range t.proxy.GetWeightedClusters().GetClusters() {
			if !clusters[wc.GetName()] {
				fail(fmt.Sprintf("%s.weighted_clusters.clusters[%d]", t.path, k), "cluster %q is not defined in static_resources.clusters", wc.GetName())
			}
		}
	}
	re2Limit := re2ProgramLimit(b)
	for _, h := range hcms {
		if rc := h.hcm.GetRouteConfig(); rc != nil {
			checkRouteConfig(h.path+".route_config", rc, clusters, fail)
			checkDirectResponseBodies(h.path+".route_config", rc, fail)
			checkRegexes(h.path+".route_config", rc, re2Limit, fail)
		}
	}
	return errs
}

// checkFilterChains: Envoy refuses two filter chains of one listener with the same match. Server
// names are compared one by one, since two chains listing one name also collide.
func checkFilterChains(path string, l *listenerv3.Listener, fail func(string, string, ...any)) {
	seen := map[string]int{}
	for i, fc := range l.GetFilterChains() {
		m := proto.Clone(fc.GetFilterChainMatch()).(*listenerv3.FilterChainMatch)
		if m == nil {
			m = &listenerv3.FilterChainMatch{}
		}
		names := m.GetServerNames()
		if len(names) == 0 {
			names = []string{""}
		}
		m.ServerNames = nil
		rest, _ := proto.MarshalOptions{Deterministic: true}.Marshal(m)
		for _, n := range names {
			key := strings.ToLower(n) + "\x00" + string(rest)
			if prev, dup := seen[key]; dup {
				fail(fmt.Sprintf("%s.filter_chains[%d]", path, i), "same filter chain match as filter_chains[%d] (server name %q)", prev, n)
				continue
			}
			seen[key] = i
		}
	}
}

// checkStaticEndpoints: a STATIC cluster does no DNS, so every endpoint must be an IP address.
func checkStaticEndpoints(path string, c *clusterv3.Cluster, fail func(string, string, ...any)) {
	for i, lle := range c.GetLoadAssignment().GetEndpoints() {
		for j, lb := range lle.GetLbEndpoints() {
			sa := lb.GetEndpoint().GetAddress().GetSocketAddress()
			if sa == nil {
				continue
			}
			if _, err := netip.ParseAddr(sa.GetAddress()); err != nil {
				fail(fmt.Sprintf("%s.load_assignment.endpoints[%d].lb_endpoints[%d]", path, i, j),
					"STATIC cluster %q has endpoint %q, which is not an IP address (use STRICT_DNS)", c.GetName(), sa.GetAddress())
			}
		}
	}
}

// checkRouteConfig: unique virtual-host names and domains, every routed cluster defined, and at
// most one path rewrite per route.
func checkRouteConfig(path string, rc *routev3.RouteConfiguration, clusters map[string]bool, fail func(string, string, ...any)) {
	vhNames := map[string]int{}
	domains := map[string]int{}
	for i, vh := range rc.GetVirtualHosts() {
		vp := fmt.Sprintf("%s.virtual_hosts[%d]", path, i)
		if prev, dup := vhNames[vh.GetName()]; dup {
			fail(vp, "virtual host name %q is also virtual_hosts[%d]'s", vh.GetName(), prev)
		} else {
			vhNames[vh.GetName()] = i
		}
		for _, d := range vh.GetDomains() {
			k := strings.ToLower(d)
			if prev, dup := domains[k]; dup {
				fail(vp, "domain %q is also in virtual_hosts[%d] (Envoy needs unique domains)", d, prev)
				continue
			}
			domains[k] = i
		}
		for j, r := range vh.GetRoutes() {
			rp := fmt.Sprintf("%s.routes[%d]", vp, j)
			ra := r.GetRoute()
			if ra == nil {
				continue
			}
			if c := ra.GetCluster(); c != "" && !clusters[c] {
				fail(rp, "cluster %q is not defined in static_resources.clusters", c)
			}
			if wcs := ra.GetWeightedClusters(); wcs != nil {
				var sum uint64
				for k, wc := range wcs.GetClusters() {
					sum += uint64(wc.GetWeight().GetValue())
					if !clusters[wc.GetName()] {
						fail(fmt.Sprintf("%s.route.weighted_clusters.clusters[%d]", rp, k), "cluster %q is not defined in static_resources.clusters", wc.GetName())
					}
				}
				if sum == 0 || sum > math.MaxUint32 {
					fail(rp, "weighted cluster weights sum to %d; Envoy needs a sum between 1 and 2^32-1", sum)
				}
			}
			if ra.GetPrefixRewrite() != "" && ra.GetRegexRewrite() != nil {
				fail(rp, "prefix_rewrite and regex_rewrite cannot both be set")
			}
		}
	}
}

// overlaps reports whether two bind addresses clash on one port: the same address, or either one
// the wildcard.
func overlaps(a, b string) bool {
	wild := func(s string) bool { return s == "0.0.0.0" || s == "::" }
	return a == b || wild(a) || wild(b)
}
