package envoy

import (
	"fmt"
	"slices"
	"testing"

	clusterv3 "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	listenerv3 "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	hcmv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	"google.golang.org/protobuf/proto"

	"github.com/meshroute/meshroute/compiler"
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/naming"
)

func emitFixture(t *testing.T, opts Options) Bootstrap {
	t.Helper()
	out := Emit(fixture(), opts)
	if len(out) != 1 || len(out["cluster-1"]) != 1 {
		t.Fatalf("want one bootstrap for cluster-1 only, got %v", out)
	}
	return out["cluster-1"][0]
}

func routeConfigOf(t *testing.T, fc *listenerv3.FilterChain) *routev3.RouteConfiguration {
	t.Helper()
	var h hcmv3.HttpConnectionManager
	if err := fc.GetFilters()[0].GetTypedConfig().UnmarshalTo(&h); err != nil {
		t.Fatal(err)
	}
	return h.GetRouteConfig()
}

func TestEmitIsValidAndDeterministic(t *testing.T) {
	a := emitFixture(t, Options{})
	if err := Validate(a.Config); err != nil {
		t.Fatalf("emitted bootstrap does not validate:\n%v", err)
	}
	if a.FileName() != "envoy-gateways-virtualgateway-ingress-gloo-mesh.yaml" {
		t.Errorf("FileName() = %q", a.FileName())
	}
	b := emitFixture(t, Options{})
	ab, _ := proto.MarshalOptions{Deterministic: true}.Marshal(a.Config)
	bb, _ := proto.MarshalOptions{Deterministic: true}.Marshal(b.Config)
	if string(ab) != string(bb) {
		t.Error("two Emit runs differ")
	}
	adm := a.Config.GetAdmin().GetAddress().GetSocketAddress()
	if adm.GetAddress() != "127.0.0.1" || adm.GetPortValue() != DefaultAdminPort {
		t.Errorf("admin on %s:%d", adm.GetAddress(), adm.GetPortValue())
	}
	if p := emitFixture(t, Options{AdminPort: 15000}).Config.GetAdmin().GetAddress().GetSocketAddress().GetPortValue(); p != 15000 {
		t.Errorf("AdminPort option ignored: %d", p)
	}
}

func TestListeners(t *testing.T) {
	type chain struct {
		serverNames []string
		routeConfig string
		domains     []string
	}
	tests := []struct {
		name   string
		chains []chain
	}{
		{"0.0.0.0_8080", []chain{{nil, "http.8080", []string{"*", "extra.example.com"}}}},
		{"0.0.0.0_8081", []chain{{nil, "http.8081", []string{"a.example.com"}}}},
		// a.example.com is served by the first TLS listener only: Envoy refuses one SNI in two chains.
		{"0.0.0.0_8443", []chain{
			{[]string{"a.example.com"}, "https.8443.https-8443-a-example-com", []string{"a.example.com"}},
			{[]string{"b.example.com"}, "https.8443.https-8443-b-example-com", []string{"b.example.com", "a.example.com"}},
		}},
	}
	ls := emitFixture(t, Options{}).Config.GetStaticResources().GetListeners()
	if len(ls) != len(tests) {
		t.Fatalf("got %d listeners, want %d", len(ls), len(tests))
	}
	for i, tt := range tests {
		l := ls[i]
		if l.GetName() != tt.name {
			t.Errorf("listener %d is %q, want %q", i, l.GetName(), tt.name)
			continue
		}
		if len(l.GetFilterChains()) != len(tt.chains) {
			t.Errorf("%s: %d filter chains, want %d", tt.name, len(l.GetFilterChains()), len(tt.chains))
			continue
		}
		for j, want := range tt.chains {
			fc := l.GetFilterChains()[j]
			if got := fc.GetFilterChainMatch().GetServerNames(); !slices.Equal(got, want.serverNames) {
				t.Errorf("%s chain %d: server names %v, want %v", tt.name, j, got, want.serverNames)
			}
			rc := routeConfigOf(t, fc)
			var domains []string
			for _, vh := range rc.GetVirtualHosts() {
				domains = append(domains, vh.GetDomains()...)
			}
			if rc.GetName() != want.routeConfig || !slices.Equal(domains, want.domains) {
				t.Errorf("%s chain %d: route config %q domains %v, want %q %v", tt.name, j, rc.GetName(), domains, want.routeConfig, want.domains)
			}
		}
		if hasTLS := l.GetFilterChains()[0].GetTransportSocket() != nil; hasTLS != (len(l.GetListenerFilters()) == 1) {
			t.Errorf("%s: TLS chains need exactly the TLS inspector listener filter", tt.name)
		}
	}
}

func TestHTTPSRedirectListener(t *testing.T) {
	l := emitFixture(t, Options{}).Config.GetStaticResources().GetListeners()[1]
	equalJSON(t, routeConfigOf(t, l.GetFilterChains()[0]), `{"name": "http.8081", "virtual_hosts": [{
		"name": "a.example.com:8081", "domains": ["a.example.com"],
		"routes": [{"name": "https-redirect", "match": {"prefix": "/"}, "redirect": {"https_redirect": true}}]}]}`)
}

func TestDownstreamTLS(t *testing.T) {
	l := emitFixture(t, Options{CertDir: "/certs"}).Config.GetStaticResources().GetListeners()[2]
	equalJSON(t, l.GetFilterChains()[1].GetTransportSocket(), `{"name": "envoy.transport_sockets.tls", "typed_config": {
		"@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
		"common_tls_context": {
			"tls_certificates": [{"certificate_chain": {"filename": "/certs/b-cert/tls.crt"}, "private_key": {"filename": "/certs/b-cert/tls.key"}}],
			"validation_context": {"trusted_ca": {"filename": "/certs/b-cert/ca.crt"}},
			"alpn_protocols": ["h2", "http/1.1"]},
		"require_client_certificate": true}}`)
}

// TestRoutesPerPort: routes keep the model's order, a route with two matchers becomes two
// routes, a matcher naming another listener port is left out, and a second table on the same
// domain adds its routes after the first's.
func TestRoutesPerPort(t *testing.T) {
	ls := emitFixture(t, Options{}).Config.GetStaticResources().GetListeners()
	tests := []struct {
		listener, chain int
		want            []string
	}{
		{0, 0, []string{"app.app.global", "two.app.global", "db.app.global", "teapot.app.global", "other.other.global"}},
		{2, 0, []string{"app.app.global", "two.app.global", "two.app.global", "db.app.global", "teapot.app.global", "other.other.global"}},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range routeConfigOf(t, ls[tt.listener].GetFilterChains()[tt.chain]).GetVirtualHosts()[0].GetRoutes() {
			got = append(got, r.GetName())
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("listener %d: routes %v, want %v", tt.listener, got, tt.want)
		}
	}
}

func TestRouteMatch(t *testing.T) {
	tests := []struct {
		name string
		m    *model.Matcher
		want string
	}{
		{"none", &model.Matcher{}, `{"prefix": "/"}`},
		{"prefix", &model.Matcher{URI: &model.URIMatch{Kind: model.MatchPrefix, Value: "/a"}}, `{"prefix": "/a"}`},
		{"exact ignore case", &model.Matcher{URI: &model.URIMatch{Kind: model.MatchExact, Value: "/A", IgnoreCase: true}},
			`{"path": "/A", "case_sensitive": false}`},
		{"regex", &model.Matcher{URI: &model.URIMatch{Kind: model.MatchRegex, Value: "/r.*"}}, `{"safe_regex": {"regex": "/r.*"}}`},
		{"regex ignore case", &model.Matcher{URI: &model.URIMatch{Kind: model.MatchRegex, Value: "/r.*", IgnoreCase: true}},
			`{"safe_regex": {"regex": "(?i)/r.*"}}`},
		{"headers and method", &model.Matcher{Method: "POST", Headers: []model.HeaderMatch{
			{Name: "X-Env", Value: "prod"}, {Name: "x-re", Value: "a.*", Regex: true, Invert: true}, {Name: "x-p", Present: true}}},
			`{"prefix": "/", "headers": [
				{"name": "x-env", "string_match": {"exact": "prod"}},
				{"name": "x-re", "string_match": {"safe_regex": {"regex": "a.*"}}, "invert_match": true, "treat_missing_header_as_empty": true},
				{"name": "x-p", "present_match": true},
				{"name": ":method", "string_match": {"exact": "POST"}}]}`},
		{"query", &model.Matcher{Query: []model.QueryMatch{{Name: "p", Present: true}, {Name: "v", Value: "1"}, {Name: "r", Value: "[0-9]+", Regex: true}}},
			`{"prefix": "/", "query_parameters": [
				{"name": "p", "present_match": true},
				{"name": "v", "string_match": {"exact": "1"}},
				{"name": "r", "string_match": {"safe_regex": {"regex": "[0-9]+"}}}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { equalJSON(t, routeMatch(tt.m), tt.want) })
	}
}

func TestRouteActions(t *testing.T) {
	dest := []*model.Destination{{Host: "a.ns.svc.cluster.local", Port: 80}}
	prefix := &routev3.RouteMatch{PathSpecifier: &routev3.RouteMatch_Prefix{Prefix: "/p"}}
	regex := routeMatch(&model.Matcher{URI: &model.URIMatch{Kind: model.MatchRegex, Value: "/r.*"}})
	// Istio's DefaultPolicy (pilot/pkg/networking/core/route/retry), spelled out.
	retry := `"retry_policy": {"retry_on": "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes",
		"num_retries": 2, "retriable_status_codes": [503], "host_selection_retry_max_attempts": "5",
		"retry_host_predicate": [{"name": "envoy.retry_host_predicates.previous_hosts",
			"typed_config": {"@type": "type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate"}}]}`
	tests := []struct {
		name  string
		r     *model.Route
		match *routev3.RouteMatch
		want  string
	}{
		{"cluster and prefix rewrite", &model.Route{Forward: &model.Forward{Destinations: dest, PathRewrite: ptr("/new"), HostRewrite: "h.example.com"}}, prefix,
			`{"route": {"cluster": "outbound|80||a.ns.svc.cluster.local", "timeout": "0s", "prefix_rewrite": "/new", "host_rewrite_literal": "h.example.com", ` + retry + `}}`},
		{"path rewrite on a regex match", &model.Route{Forward: &model.Forward{Destinations: dest, PathRewrite: ptr("/new")}}, regex,
			`{"route": {"cluster": "outbound|80||a.ns.svc.cluster.local", "timeout": "0s", "regex_rewrite": {"pattern": {"regex": "^.*$"}, "substitution": "/new"}, ` + retry + `}}`},
		{"regex rewrite", &model.Route{Forward: &model.Forward{Destinations: dest, RegexRewrite: &model.RegexRewrite{Pattern: "^/v1/(.*)", Substitution: "/\\1"}}}, prefix,
			`{"route": {"cluster": "outbound|80||a.ns.svc.cluster.local", "timeout": "0s", "regex_rewrite": {"pattern": {"regex": "^/v1/(.*)"}, "substitution": "/\\1"}, ` + retry + `}}`},
		{"weighted", &model.Route{Forward: &model.Forward{Destinations: []*model.Destination{
			{Host: "a", Port: 80, Subset: "version-v1", Weight: 75}, {Host: "a", Port: 80, Subset: "version-v2", Weight: 25}}}}, prefix,
			`{"route": {"timeout": "0s", "weighted_clusters": {"clusters": [
				{"name": "outbound|80|version-v1|a", "weight": 75}, {"name": "outbound|80|version-v2|a", "weight": 25}]}, ` + retry + `}}`},
		{"redirect", &model.Route{Redirect: &model.Redirect{Host: "x.example.com", Code: 302}}, prefix,
			`{"redirect": {"host_redirect": "x.example.com", "response_code": "FOUND"}}`},
		{"redirect default code", &model.Route{Redirect: &model.Redirect{Path: "/y", Code: 301}}, prefix,
			`{"redirect": {"path_redirect": "/y"}}`},
		{"direct response", &model.Route{DirectResponse: &model.DirectResponse{Status: 503, Body: "down"}}, prefix,
			`{"direct_response": {"status": 503, "body": {"inline_string": "down"}}}`},
		{"direct response without body", &model.Route{DirectResponse: &model.DirectResponse{Status: 204}}, prefix,
			`{"direct_response": {"status": 204}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &emitter{cluster: &model.Cluster{}, clusters: map[string]*destCluster{}}
			rt := &routev3.Route{Match: tt.match}
			if !e.setAction(rt, tt.r) {
				t.Fatal("no action")
			}
			rt.Match = nil
			equalJSON(t, rt, tt.want)
		})
	}
}

func TestClusters(t *testing.T) {
	cs := emitFixture(t, Options{CertDir: "/certs"}).Config.GetStaticResources().GetClusters()
	byName := map[string]*clusterv3.Cluster{}
	var names []string
	for _, c := range cs {
		byName[c.GetName()] = c
		names = append(names, c.GetName())
	}
	want := []string{"outbound|5432||db.data.svc.cluster-2.global", "outbound|8080||global-app.example.com", "outbound|9080||reviews.global.svc.cluster.local"}
	if !slices.Equal(names, want) {
		t.Fatalf("clusters %v, want %v", names, want)
	}
	tlsMatch := `"transport_socket_matches": [{"name": "istio-mtls", "match": {"tlsMode": "istio"}, "transport_socket": {
		"name": "envoy.transport_sockets.tls", "typed_config": {
			"@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
			"common_tls_context": {
				"tls_certificates": [{"certificate_chain": {"filename": "/certs/istio/cert-chain.pem"}, "private_key": {"filename": "/certs/istio/key.pem"}}],
				"validation_context": {"trusted_ca": {"filename": "/certs/istio/root-cert.pem"}}},
			"sni": "outbound_.%s"}}}]`
	remote := func(ip string) string {
		return `{"endpoint": {"address": {"socket_address": {"address": "` + ip + `", "port_value": 15443}}},
			"metadata": {"filter_metadata": {"envoy.transport_socket_match": {"tlsMode": "istio"}}}}`
	}
	tests := []struct{ name, want string }{
		// The local Service FQDN on the pod (target) port 9080 (DESIGN §4), two remote clusters in one zone.
		{"outbound|8080||global-app.example.com", `{"name": "outbound|8080||global-app.example.com", "type": "STRICT_DNS",
			"load_assignment": {"cluster_name": "outbound|8080||global-app.example.com", "endpoints": [
				{"locality": {"region": "us-east-1", "zone": "us-east-1a"}, "lb_endpoints": [
					{"endpoint": {"address": {"socket_address": {"address": "global-app.global.svc.cluster.local", "port_value": 9080}}}}]},
				{"locality": {"region": "us-west-2", "zone": "us-west-2b"}, "lb_endpoints": [` + remote("172.18.0.20") + `, ` + remote("172.18.0.30") + `]}]},
			` + fmt.Sprintf(tlsMatch, "8080_._.global-app.example.com") + `}`},
		{"outbound|5432||db.data.svc.cluster-2.global", `{"name": "outbound|5432||db.data.svc.cluster-2.global", "type": "STATIC",
			"load_assignment": {"cluster_name": "outbound|5432||db.data.svc.cluster-2.global", "endpoints": [{"lb_endpoints": [` + remote("172.18.0.20") + `]}]},
			` + fmt.Sprintf(tlsMatch, "5432_._.db.data.svc.cluster-2.global") + `}`},
		{"outbound|9080||reviews.global.svc.cluster.local", `{"name": "outbound|9080||reviews.global.svc.cluster.local", "type": "STRICT_DNS",
			"load_assignment": {"cluster_name": "outbound|9080||reviews.global.svc.cluster.local", "endpoints": [
				{"locality": {"region": "us-east-1", "zone": "us-east-1a"}, "lb_endpoints": [
					{"endpoint": {"address": {"socket_address": {"address": "reviews.global.svc.cluster.local", "port_value": 9080}}}}]}]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { equalJSON(t, byName[tt.name], tt.want) })
	}
}

func TestHTTP2Upstream(t *testing.T) {
	tests := []struct {
		protocol string
		want     bool
	}{{"HTTP", false}, {"GRPC", true}, {"HTTP2", true}, {"TCP", false}, {"", false}}
	for _, tt := range tests {
		m := fixture()
		var d *model.Destination
		if tt.protocol != "" {
			m.Clusters[0].Backends[0].Ports[0].Protocol = tt.protocol
			d = m.Clusters[0].RouteSets[0].Routes[0].Forward.Destinations[0]
		} else {
			d = m.Clusters[0].RouteSets[0].Routes[0].Forward.Destinations[1] // no backend: no declared protocol
		}
		b := Emit(m, Options{})["cluster-1"][0].Config
		if err := Validate(b); err != nil {
			t.Fatalf("%s: %v", tt.protocol, err)
		}
		for _, c := range b.GetStaticResources().GetClusters() {
			if c.GetName() == naming.EnvoyCluster(d.Port, d.Subset, d.Host) {
				if got := c.GetTypedExtensionProtocolOptions()[upstreamHTTPOptions] != nil; got != tt.want {
					t.Errorf("protocol %q: HTTP/2 upstream options %v, want %v", tt.protocol, got, tt.want)
				}
			}
		}
	}
}

// TestSetServedOnlyOnAdmittingListeners: a route set whose table only the first TLS listener
// admits gets no virtual host on the other listeners, even where their hosts overlap its own.
func TestSetServedOnlyOnAdmittingListeners(t *testing.T) {
	m := fixture()
	c := m.Clusters[0]
	gw := c.Gateways[0]
	c.RouteSets[0].Listeners = gw.Listeners[:1]
	c.RouteSets[1].Listeners = nil
	compiler.Resolve(m)
	ls := Emit(m, Options{})["cluster-1"][0].Config.GetStaticResources().GetListeners()
	var got []string
	for _, l := range ls {
		for _, fc := range l.GetFilterChains() {
			for _, vh := range routeConfigOf(t, fc).GetVirtualHosts() {
				got = append(got, vh.GetName())
			}
		}
	}
	// The redirect listener answers for its own hosts whatever tables it admits.
	want := []string{"a.example.com:8081", "a.example.com:8443"}
	if !slices.Equal(got, want) {
		t.Errorf("virtual hosts %v, want %v", got, want)
	}
}
