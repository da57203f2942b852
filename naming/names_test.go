package naming

import (
	"strings"
	"testing"
)

func TestObjectNames(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Gateway("public", "gloo-mesh", ""), "virtualgateway-public-gloo-mesh"},
		{Gateway("public", "gloo-mesh", "istio-ingressgateway"), "virtualgateway-public-gloo-mesh-istio-ingressgateway"},
		{RouteSet("shop", "web", false), "routetable-shop-web"},
		{RouteSet("shop", "web", true), "routetable-shop-web-mesh"},
		{VirtualDestinationEntry("Global-App.example.com"), "vd-global-app-example-com"},
		{WorkloadEntry("app.global", "east"), "vd-app-global-east"},
		{FederatedEntry("reviews", "bookinfo", "west"), "fed-reviews-bookinfo-west"},
		{DestinationRule("reviews.bookinfo.svc.cluster.local"), "dr-reviews-bookinfo-svc-cluster-local"},
		{DestinationRule("*.example.com"), "dr---example-com"},
		{ListenerPort("HTTPS", 8443, "shop.example.com", 1), "https-8443-shop-example-com"},
		{ListenerPort("HTTP", 8080, "*", 1), "http-8080-all"},
		{ListenerPort("HTTP", 8080, "*", 3), "http-8080-all-3"},
		{BackendPort("GRPC", 9000), "grpc-9000"},
		{Subset(map[string]string{"version": "v1", "track": "canary"}), "track-canary-version-v1"},
		{Subset(map[string]string{"version": "v_1"}), "version-v-1"},
		{Subset(nil), ""},
		{EnvoySNI(8080, "version-v1", "app.global"), "outbound_.8080_.version-v1_.app.global"},
		{EnvoyListener(8443), "0.0.0.0_8443"},
		{EnvoyNode("virtualgateway-public-gloo-mesh", "istio-gateways"), "virtualgateway-public-gloo-mesh.istio-gateways"},
		{EnvoyRouteConfig(8080, ""), "http.8080"},
		{EnvoyRouteConfig(8443, "https-8443-shop-example-com"), "https.8443.https-8443-shop-example-com"},
		{EnvoyStatPrefix(8080, ""), "http_8080"},
		{EnvoyStatPrefix(8443, "https-8443-all"), "https_8443_https-8443-all"},
		{EnvoyVirtualHost("*.example.com", 8080), "*.example.com:8080"},
		{IsolationPolicy("reviews", 9080, "bookinfo"), "settings-reviews-9080-bookinfo"},
		{IsolationSidecar("reviews", "Book_Info"), "settings-reviews-book-info"},
		{TrimSidecar("Reviews"), "trim-reviews"},
		{Principal("cluster-1", "shop", "cart"), "cluster-1/ns/shop/sa/cart"},
		{AccessPolicy("readers", "shop", "cart", 8080), "access-readers-shop-cart-8080"},
		{AccessOtherPorts("cart"), "access-cart-other-ports"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	// A long name stays a DNS label, and distinct long names stay distinct.
	a, b := DestinationRule(strings.Repeat("a", 80)+".com"), DestinationRule(strings.Repeat("a", 80)+".org")
	if len(a) > 63 || a == b {
		t.Errorf("long names: %q, %q", a, b)
	}
}

func TestServiceFQDN(t *testing.T) {
	for _, tc := range []struct {
		host, svc, ns, domain string
		ok                    bool
	}{
		{ServiceFQDN("reviews", "bookinfo", "cluster.local"), "reviews", "bookinfo", "cluster.local", true},
		{ServiceFQDN("a", "b", "east.corp"), "a", "b", "east.corp", true},
		{"reviews.bookinfo", "", "", "", false},
		{"reviews.bookinfo.svc.", "", "", "", false},
		{"a.b.c.svc.cluster.local", "", "", "", false},
		{"*.b.svc.cluster.local", "", "", "", false},
		{FederatedHost("reviews", "bookinfo", "west"), "", "", "", false},
	} {
		svc, ns, domain, ok := ParseServiceFQDN(tc.host)
		if svc != tc.svc || ns != tc.ns || domain != tc.domain || ok != tc.ok {
			t.Errorf("ParseServiceFQDN(%q) = %q %q %q %v", tc.host, svc, ns, domain, ok)
		}
	}
}

func TestFederatedHost(t *testing.T) {
	for _, tc := range []struct {
		host, svc, ns, cluster string
		ok                     bool
	}{
		{FederatedHost("reviews", "bookinfo", "west"), "reviews", "bookinfo", "west", true},
		{"reviews.bookinfo.svc.west", "", "", "", false},
		{"app.global", "", "", "", false},
		{"a.b.svc.west.east.global", "", "", "", false},
		{"a.b.cluster.west.global", "", "", "", false},
	} {
		svc, ns, cluster, ok := ParseFederatedHost(tc.host)
		if svc != tc.svc || ns != tc.ns || cluster != tc.cluster || ok != tc.ok {
			t.Errorf("ParseFederatedHost(%q) = %q %q %q %v", tc.host, svc, ns, cluster, ok)
		}
	}
}

func TestEnvoyCluster(t *testing.T) {
	for _, tc := range []struct {
		name, host string
		port       uint32
		subset     string
		ok         bool
	}{
		{EnvoyCluster(8080, "", "a.b"), "a.b", 8080, "", true},
		{EnvoyCluster(80, "version-v1", "a.b"), "a.b", 80, "version-v1", true},
		{"outbound|8080||a.b", "a.b", 8080, "", true},
		{"static-cluster", "static-cluster", 0, "", false},
		{"outbound|x||a", "outbound|x||a", 0, "", false},
		{"inbound|80||a", "inbound|80||a", 0, "", false},
	} {
		host, port, subset, ok := ParseEnvoyCluster(tc.name)
		if host != tc.host || port != tc.port || subset != tc.subset || ok != tc.ok {
			t.Errorf("ParseEnvoyCluster(%q) = %q %d %q %v", tc.name, host, port, subset, ok)
		}
	}
}

func TestRouteNames(t *testing.T) {
	for _, tc := range []struct {
		chain []RouteHop // root first
		name  string
	}{
		{[]RouteHop{{"api", "shop", "web"}}, "api.shop.web"},
		{[]RouteHop{{UnnamedRoute(0), "shop", "web"}}, "route-0.shop.web"},
		{[]RouteHop{{"shop", "root", "app"}, {"m", "mid", "app"}, {UnnamedRoute(1), "leaf", "app"}}, "route-1.leaf.app--m.mid.app--shop.root.app"},
	} {
		if got := Route(tc.chain); got != tc.name {
			t.Errorf("Route = %q, want %q", got, tc.name)
		}
		hops, ok := ParseRoute(tc.name)
		if !ok || len(hops) != len(tc.chain) {
			t.Fatalf("ParseRoute(%q) = %v %v", tc.name, hops, ok)
		}
		for i, h := range hops { // leaf first
			if want := tc.chain[len(tc.chain)-1-i]; h != want {
				t.Errorf("ParseRoute(%q) hop %d = %v, want %v", tc.name, i, h, want)
			}
		}
	}
	hops, ok := ParseRoute("custom--a.b.c")
	if ok || len(hops) != 2 || hops[0] != (RouteHop{Route: "custom"}) || hops[0].String() != "custom" || hops[1].String() != "a.b.c" {
		t.Errorf("ParseRoute(custom--a.b.c) = %v %v", hops, ok)
	}
}
