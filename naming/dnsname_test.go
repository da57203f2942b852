package naming

import (
	"strings"
	"testing"

	_ "github.com/meshroute/meshroute/internal/goldentest"
)

func TestDNSName(t *testing.T) {
	long := strings.Repeat("a", 70)
	for _, tc := range []struct{ in, want string }{
		{"virtualgateway-istio-ingressgateway-gloo-mesh", "virtualgateway-istio-ingressgateway-gloo-mesh"},
		{"vd-Global-App.example.com", "vd-global-app-example-com"},
		{"http-8080-*.example.com", "http-8080---example-com"},
		{"version_v1/é", "version-v1---"},
		{strings.Repeat("a", 63), strings.Repeat("a", 63)},
		// 31 kept characters, '-', then the first 31 hex digits of md5(70 × "a").
		{long, strings.Repeat("a", 31) + "-0f5c6c4e740bfcc08c3c26ccb2673d4"},
	} {
		if got := DNSName(tc.in); got != tc.want {
			t.Errorf("DNSName(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := DNSName(tc.in); len(got) > 63 {
			t.Errorf("DNSName(%q) is %d characters long", tc.in, len(got))
		}
	}
}
