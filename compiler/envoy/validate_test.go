package envoy

import (
	"strings"
	"testing"

	bootstrapv3 "github.com/envoyproxy/go-control-plane/envoy/config/bootstrap/v3"
	clusterv3 "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	listenerv3 "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	hcmv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	tlsv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/transport_sockets/tls/v3"
	matcherv3 "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// editHCM unpacks the connection manager of listener 0 (port 8080), lets f change it, and packs
// it back.
func editHCM(t *testing.T, b *bootstrapv3.Bootstrap, f func(*hcmv3.HttpConnectionManager)) {
	t.Helper()
	filter := b.GetStaticResources().GetListeners()[0].GetFilterChains()[0].GetFilters()[0]
	var h hcmv3.HttpConnectionManager
	if err := filter.GetTypedConfig().UnmarshalTo(&h); err != nil {
		t.Fatal(err)
	}
	f(&h)
	filter.ConfigType = &listenerv3.Filter_TypedConfig{TypedConfig: toAny(&h)}
}

func editRoutes(t *testing.T, b *bootstrapv3.Bootstrap, f func(*routev3.RouteConfiguration)) {
	t.Helper()
	editHCM(t, b, func(h *hcmv3.HttpConnectionManager) { f(h.GetRouteConfig()) })
}

func firstRoute(rc *routev3.RouteConfiguration) *routev3.RouteAction {
	return rc.GetVirtualHosts()[0].GetRoutes()[0].GetRoute()
}

// TestValidateRules breaks a valid bootstrap in one way per case and checks that the rule
// meant to catch it fires.
func TestValidateRules(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(t *testing.T, b *bootstrapv3.Bootstrap)
		want   string // "" = valid
	}{
		{"valid", func(*testing.T, *bootstrapv3.Bootstrap) {}, ""},
		{"unresolvable typed_config", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			b.GetStaticResources().GetListeners()[0].GetFilterChains()[0].GetFilters()[0].ConfigType =
				&listenerv3.Filter_TypedConfig{TypedConfig: &anypb.Any{TypeUrl: "type.googleapis.com/example.NoSuchFilter"}}
		}, "example.NoSuchFilter"},
		{"proto rule on the bootstrap", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			b.GetAdmin().GetAddress().GetSocketAddress().PortSpecifier = &corev3.SocketAddress_PortValue{PortValue: 70000}
		}, "PortValue"},
		{"proto rule inside a typed_config", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			editHCM(t, b, func(h *hcmv3.HttpConnectionManager) { h.StatPrefix = "" })
		}, "StatPrefix"},
		{"proto rule in the route configuration inside a typed_config", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			editRoutes(t, b, func(rc *routev3.RouteConfiguration) {
				rc.GetVirtualHosts()[0].GetRoutes()[0].Action = &routev3.Route_DirectResponse{DirectResponse: &routev3.DirectResponseAction{Status: 99}}
			})
		}, "Status"},
		{"proto rule in a transport socket", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			ts := b.GetStaticResources().GetClusters()[0].GetTransportSocketMatches()[0].GetTransportSocket()
			var ctx tlsv3.UpstreamTlsContext
			if err := ts.GetTypedConfig().UnmarshalTo(&ctx); err != nil {
				t.Fatal(err)
			}
			ctx.Sni = strings.Repeat("a", 300) // longer than a DNS name may be
			ts.ConfigType = &corev3.TransportSocket_TypedConfig{TypedConfig: toAny(&ctx)}
		}, "UpstreamTlsContext.Sni"},
		{"duplicate listener name", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			ls := b.GetStaticResources().GetListeners()
			ls[1].Name = ls[0].GetName()
		}, `listener name "0.0.0.0_8080" is also listeners[0]'s`},
		{"duplicate listener address", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			ls := b.GetStaticResources().GetListeners()
			ls[1].Address = proto.Clone(ls[0].GetAddress()).(*corev3.Address)
		}, "address 0.0.0.0:8080 is also listeners[0]'s"},
		{"listener on the admin port", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			b.GetAdmin().GetAddress().GetSocketAddress().PortSpecifier = &corev3.SocketAddress_PortValue{PortValue: 8081}
		}, "listens on port 8081, which the admin interface (127.0.0.1) binds too"},
		{"listener without filter chains", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			b.GetStaticResources().GetListeners()[1].FilterChains = nil
		}, `listener "0.0.0.0_8081" has no filter chain`},
		{"duplicate filter chain match", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			fcs := b.GetStaticResources().GetListeners()[2].GetFilterChains()
			fcs[1].FilterChainMatch.ServerNames = []string{"c.example.com", "A.example.com"}
		}, `same filter chain match as filter_chains[0] (server name "A.example.com")`},
		{"duplicate virtual host name", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			editRoutes(t, b, func(rc *routev3.RouteConfiguration) {
				vh := proto.Clone(rc.GetVirtualHosts()[0]).(*routev3.VirtualHost)
				vh.Domains = []string{"other.example.com"}
				rc.VirtualHosts = append(rc.VirtualHosts, vh)
			})
		}, `virtual host name "*:8080" is also virtual_hosts[0]'s`},
		{"duplicate domain", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			editRoutes(t, b, func(rc *routev3.RouteConfiguration) {
				vh := proto.Clone(rc.GetVirtualHosts()[0]).(*routev3.VirtualHost)
				vh.Name = "other"
				rc.VirtualHosts = append(rc.VirtualHosts, vh)
			})
		}, `domain "*" is also in virtual_hosts[0]`},
		{"undefined cluster", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			editRoutes(t, b, func(rc *routev3.RouteConfiguration) {
				firstRoute(rc).ClusterSpecifier = &routev3.RouteAction_Cluster{Cluster: "outbound|1||nowhere"}
			})
		}, `cluster "outbound|1||nowhere" is not defined`},
		{"undefined weighted cluster", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			editRoutes(t, b, func(rc *routev3.RouteConfiguration) {
				firstRoute(rc).GetWeightedClusters().GetClusters()[1].Name = "outbound|2||nowhere"
			})
		}, `weighted_clusters.clusters[1]: cluster "outbound|2||nowhere" is not defined`},
		{"weights summing to zero", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			editRoutes(t, b, func(rc *routev3.RouteConfiguration) {
				for _, c := range firstRoute(rc).GetWeightedClusters().GetClusters() {
					c.Weight = wrapperspb.UInt32(0)
				}
			})
		}, "weights sum to 0"},
		{"prefix and regex rewrite", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			editRoutes(t, b, func(rc *routev3.RouteConfiguration) {
				firstRoute(rc).RegexRewrite = &matcherv3.RegexMatchAndSubstitute{Pattern: &matcherv3.RegexMatcher{Regex: "x"}}
			})
		}, "prefix_rewrite and regex_rewrite cannot both be set"},
		{"STATIC cluster with a host name", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			c := b.GetStaticResources().GetClusters()[1] // global-app: a DNS name and two IPs
			c.ClusterDiscoveryType = &clusterv3.Cluster_Type{Type: clusterv3.Cluster_STATIC}
		}, `endpoint "global-app.global.svc.cluster.local", which is not an IP address`},
		{"partial wildcard server name", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			b.GetStaticResources().GetListeners()[2].GetFilterChains()[0].FilterChainMatch.ServerNames = []string{"*-a.example.com"}
		}, `server name "*-a.example.com": Envoy supports only whole-label wildcards`},
		{"server name *", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			b.GetStaticResources().GetListeners()[2].GetFilterChains()[0].FilterChainMatch.ServerNames = []string{"*"}
		}, `server name "*"`},
		{"whole-label wildcard server name", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			b.GetStaticResources().GetListeners()[2].GetFilterChains()[0].FilterChainMatch.ServerNames = []string{"*.example.com"}
		}, ""},
		{"direct response body over the default limit", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			editRoutes(t, b, func(rc *routev3.RouteConfiguration) {
				rc.GetVirtualHosts()[0].GetRoutes()[0].Action = &routev3.Route_DirectResponse{DirectResponse: &routev3.DirectResponseAction{
					Status: 200, Body: &corev3.DataSource{Specifier: &corev3.DataSource_InlineString{InlineString: strings.Repeat("x", 4097)}}}}
			})
		}, "response body size is 4097 bytes; maximum is 4096"},
		{"direct response body within a raised limit", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			editRoutes(t, b, func(rc *routev3.RouteConfiguration) {
				rc.MaxDirectResponseBodySizeBytes = wrapperspb.UInt32(5000)
				rc.GetVirtualHosts()[0].GetRoutes()[0].Action = &routev3.Route_DirectResponse{DirectResponse: &routev3.DirectResponseAction{
					Status: 200, Body: &corev3.DataSource{Specifier: &corev3.DataSource_InlineString{InlineString: strings.Repeat("x", 4097)}}}}
			})
		}, ""},
		{"regex that does not compile", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			editRoutes(t, b, func(rc *routev3.RouteConfiguration) {
				rc.GetVirtualHosts()[0].GetRoutes()[0].Match.PathSpecifier = &routev3.RouteMatch_SafeRegex{SafeRegex: &matcherv3.RegexMatcher{Regex: "/(a"}}
			})
		}, `regex "/(a" does not compile`},
		{"regex over Envoy's default program size", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			b.LayeredRuntime = nil // Envoy's default limit, 100
			editRoutes(t, b, func(rc *routev3.RouteConfiguration) {
				rc.GetVirtualHosts()[0].GetRoutes()[0].Match.PathSpecifier = &routev3.RouteMatch_SafeRegex{SafeRegex: &matcherv3.RegexMatcher{Regex: "/static/[a-zA-Z0-9._-]{0,200}/app.js"}}
			})
		}, "over the limit of 100 (re2.max_program_size.error_level)"},
		{"the same regex under the emitted runtime's limit", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			editRoutes(t, b, func(rc *routev3.RouteConfiguration) {
				rc.GetVirtualHosts()[0].GetRoutes()[0].Match.PathSpecifier = &routev3.RouteMatch_SafeRegex{SafeRegex: &matcherv3.RegexMatcher{Regex: "/static/[a-zA-Z0-9._-]{0,200}/app.js"}}
			})
		}, ""},
		{"duplicate cluster name", func(t *testing.T, b *bootstrapv3.Bootstrap) {
			cs := b.GetStaticResources().GetClusters()
			cs[2].Name = cs[1].GetName()
		}, `cluster name "outbound|8080||global-app.example.com" is defined twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := emitFixture(t, Options{}).Config
			tt.mutate(t, b)
			err := Validate(b)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("no error, want one containing %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestValidateNil(t *testing.T) {
	if Validate(nil) == nil {
		t.Error("a nil bootstrap validates")
	}
}
