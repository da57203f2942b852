package render

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	bootstrapv3 "github.com/envoyproxy/go-control-plane/envoy/config/bootstrap/v3"
	clusterv3 "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	listenerv3 "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	hcmv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	matcherv3 "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	yamlv3 "go.yaml.in/yaml/v3"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/structpb"
	networking "istio.io/api/networking/v1alpha3"
	"sigs.k8s.io/yaml"
)

// yaml11Forms are the plain scalars YAML 1.1 or 1.2 readers retype: booleans, nulls, ints and
// floats in every notation, timestamps, merge and value keys; plus near misses and strings that
// need quoting for syntax alone.
var yaml11Forms = []string{
	"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
	"true", "True", "TRUE", "false", "False", "FALSE", "tRuE", "nO", "yES",
	"~", "null", "Null", "NULL", "",
	"0", "00", "017", "-017", "0o17", "0O17", "0x1f", "0X1F", "-0x1F", "0b101", "0B101", "-0b1", "1_000",
	"+1", "-1", "1:30", "-1:30", "190:20:30", "0x_1f", "0b_1", "99999999999999999999", "0o",
	".inf", "-.Inf", "+.INF", ".NaN", ".nan", "1e3", "1E3", "1e+3", "1.5e-3", "1_0.5", "1.", ".5",
	"190:20:30.15", "6.8523015e+5", "685.230_15e+03", "._5", "1__", "0x1p-2",
	"2001-12-14", "2002-1-2", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5",
	"2001-12-15T02:59:43.1Z", "2001-12-14T",
	"<<", "=",
	"shop", "/api/v1", "x-user", "a b", "127.0.0.1", "1.2.3", "0s", ".", "-", "+", "*", "*.example.com",
	"- x", "a: b", "a:b", "#c", "a #c", "@x", "`x", "!x", "&a", "%x", "|", ">", "'", `"`, "{", "[]", ",",
	"? x", ": x", " lead", "trail ", "tab\there", "multi\nline", "\n", "x\n ", "no\n", " no", "no ", "#",
	"a\\b", "inf", "nan", "Infinity",
	// Line breaks in YAML 1.1 only (NEL, LS, PS), a BOM, controls, astral characters.
	"é", "\u0085", "a\u0085b", "\u2028", "a\u2029", "\ufeffx", "\x7f", "\x00", "a\tb", "\t", " ", "a\r\nb",
	"\r", "\U0001F600",
}

// fragments build random mixes of the forms' pieces.
var fragments = []string{"0", "1", "7", "9", "_", ".", ":", "-", "+", "e", "E", "x", "o", "b", "t", "T", "Z",
	" ", "y", "n", "on", "no", "yes", "off", "inf", "nan", "~", "<", "=", "2001-12-14", "30", "a",
	"\n", "\u0085", "#", ": ", "'", `"`, "\\"}

// yaml11Strings is the forms plus n random mixes, the same on every run.
func yaml11Strings(n int) []string {
	r := rand.New(rand.NewPCG(1, 1))
	out := append([]string{}, yaml11Forms...)
	for range n {
		var b strings.Builder
		for range 1 + r.IntN(4) {
			b.WriteString(fragments[r.IntN(len(fragments))])
		}
		out = append(out, b.String())
	}
	return out
}

// TestYAML11ReadersReadTheSameStrings is the property: every emitted document, Istio object or
// Envoy bootstrap, reads back under go.yaml.in/yaml/v2 through sigs.k8s.io/yaml (what kubectl,
// Argo CD and Flux do) to the same JSON as under go.yaml.in/yaml/v3, and that JSON is what
// the renderer meant, for strings placed as names, namespaces, label keys and values, header and
// query names and values, hosts and direct-response bodies.
func TestYAML11ReadersReadTheSameStrings(t *testing.T) {
	ss := yaml11Strings(500)
	for i, s := range ss {
		o := ss[(i+1)%len(ss)] // another string beside s, so keys and values differ
		obj := yaml11VirtualService(s, o)
		node, err := objectNode(obj)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := writeNodeJSON(&want, node); err != nil {
			t.Fatal(err)
		}
		y, err := ObjectYAML(obj)
		if err != nil {
			t.Fatal(err)
		}
		checkReadBack(t, "Istio", s, o, y, want.Bytes())

		b := yaml11Bootstrap(t, s, o)
		wantEnvoy, err := ProtoJSON(b)
		if err != nil {
			t.Fatal(err)
		}
		y, err = ProtoYAML(b)
		if err != nil {
			t.Fatal(err)
		}
		checkReadBack(t, "Envoy", s, o, y, wantEnvoy)
	}
}

// checkReadBack reads y with yaml v2 (as sigs.k8s.io/yaml does) and with v3 and compares both
// with the intended JSON.
func checkReadBack(t *testing.T, target, s, o string, y, want []byte) {
	t.Helper()
	v2, err := yaml.YAMLToJSON(y)
	if err != nil {
		t.Errorf("%s document for %q, %q: yaml v2 cannot read it: %v\n%s", target, s, o, err, y)
		return
	}
	var v3 any
	if err := yamlv3.Unmarshal(y, &v3); err != nil {
		t.Errorf("%s document for %q, %q: yaml v3 cannot read it: %v\n%s", target, s, o, err, y)
		return
	}
	v3JSON, err := json.Marshal(v3)
	if err != nil {
		t.Fatal(err)
	}
	wantN, v2N, v3N := normalJSON(t, want), normalJSON(t, v2), normalJSON(t, v3JSON)
	if v2N != wantN || v3N != wantN {
		t.Errorf("%s document for %q, %q reads back differently:\nmeant: %s\nv2:    %s\nv3:    %s\n%s", target, s, o, wantN, v2N, v3N, y)
	}
}

// normalJSON re-encodes JSON with sorted keys and one spelling per number.
func normalJSON(t *testing.T, data []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func yaml11VirtualService(s, o string) Object {
	name := s
	if name == "" {
		name = "x" // a name is required
	}
	exact := func(v string) *networking.StringMatch {
		return &networking.StringMatch{MatchType: &networking.StringMatch_Exact{Exact: v}}
	}
	return Object{
		APIVersion: "networking.istio.io/v1", Kind: "VirtualService", Name: name, Namespace: o,
		Labels: map[string]string{s: o, "meshroute.dev/parent-namespace": s},
		Spec: &networking.VirtualService{
			Hosts: []string{s, o},
			Http: []*networking.HTTPRoute{{
				Name: o,
				Match: []*networking.HTTPMatchRequest{{
					Headers:     map[string]*networking.StringMatch{s: exact(o), o: {}},
					QueryParams: map[string]*networking.StringMatch{o: exact(s)},
				}},
				Route: []*networking.HTTPRouteDestination{{Destination: &networking.Destination{Host: s, Subset: o}}},
			}, {
				Name:           s,
				DirectResponse: &networking.HTTPDirectResponse{Status: 200, Body: &networking.HTTPBody{Specifier: &networking.HTTPBody_String_{String_: o}}},
			}},
		},
	}
}

func yaml11Bootstrap(t *testing.T, s, o string) *bootstrapv3.Bootstrap {
	t.Helper()
	exact := func(v string) *matcherv3.StringMatcher {
		return &matcherv3.StringMatcher{MatchPattern: &matcherv3.StringMatcher_Exact{Exact: v}}
	}
	hcm, err := anypb.New(&hcmv3.HttpConnectionManager{
		StatPrefix: s,
		RouteSpecifier: &hcmv3.HttpConnectionManager_RouteConfig{RouteConfig: &routev3.RouteConfiguration{
			Name: o,
			VirtualHosts: []*routev3.VirtualHost{{Name: s, Domains: []string{s, o}, Routes: []*routev3.Route{{
				Name: o,
				Match: &routev3.RouteMatch{
					PathSpecifier:   &routev3.RouteMatch_Path{Path: s},
					Headers:         []*routev3.HeaderMatcher{{Name: s, HeaderMatchSpecifier: &routev3.HeaderMatcher_StringMatch{StringMatch: exact(o)}}},
					QueryParameters: []*routev3.QueryParameterMatcher{{Name: o, QueryParameterMatchSpecifier: &routev3.QueryParameterMatcher_StringMatch{StringMatch: exact(s)}}},
				},
				Action: &routev3.Route_DirectResponse{DirectResponse: &routev3.DirectResponseAction{
					Status: 200, Body: &corev3.DataSource{Specifier: &corev3.DataSource_InlineString{InlineString: o}},
				}},
			}}}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	meta, err := structpb.NewStruct(map[string]any{s: o, o: s})
	if err != nil {
		t.Fatal(err)
	}
	return &bootstrapv3.Bootstrap{
		Node: &corev3.Node{Id: s, Cluster: o, Metadata: meta},
		StaticResources: &bootstrapv3.Bootstrap_StaticResources{
			Listeners: []*listenerv3.Listener{{Name: o, FilterChains: []*listenerv3.FilterChain{{Filters: []*listenerv3.Filter{{
				Name: s, ConfigType: &listenerv3.Filter_TypedConfig{TypedConfig: hcm},
			}}}}}},
			Clusters: []*clusterv3.Cluster{{Name: s, AltStatName: o}},
		},
	}
}

// TestRetyped pins the quoting decision, including what yaml v2 itself reads as a string but
// other YAML 1.1 readers (PyYAML, SnakeYAML) do not, which the property test cannot see, and
// the ordinary strings that must stay plain so the output stays readable.
func TestRetyped(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"", true}, {"~", true}, {"null", true}, {"NULL", true}, {"nULL", true},
		{"y", true}, {"N", true}, {"yes", true}, {"No", true}, {"ON", true}, {"oFF", true}, {"tRUE", true},
		{"<<", true}, {"=", true},
		{"017", true}, {"0o17", true}, {"0O17", true}, {"0x1f", true}, {"0X1F", true}, {"0b101", true},
		{"1_000", true}, {"+1", true}, {"-0", true}, {"99999999999999999999", true},
		{"1:30", true}, {"-1:30", true}, {"190:20:30", true}, {"190:20:30.15", true},
		{".inf", true}, {"-.Inf", true}, {".NaN", true}, {"1e3", true}, {"1_0.5", true}, {"1.", true},
		{".5", true}, {"._5", true}, {"6.8523015e+5", true},
		{"2001-12-14", true}, {"2002-1-2", true}, {"2001-12-14t21:59:43.10-05:00", true},
		{"2001-12-14 21:59:43.10 -5", true},
		{"shop", false}, {"yesterday", false}, {"nope", false}, {"onion", false}, {"inf", false},
		{"nan", false}, {"Null-route", false}, {"x-user", false}, {".", false}, {"-", false},
		{"*", false}, {"0s", false}, {"127.0.0.1", false}, {"1.2.3", false}, {"8080:80", false},
		{"2001-12-14x", false}, {"1a", false}, {"0x", false}, {"/api/v1", false}, {"<<<", false},
		{"==", false}, {"shop.no.svc.cluster.local", false}, {"123.example.com", false},
	} {
		if got := retyped(tc.s); got != tc.want {
			t.Errorf("retyped(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}
