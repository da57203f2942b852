package model

import (
	"testing"

	_ "github.com/meshroute/meshroute/internal/goldentest" // the -update flag
)

func TestHostPatterns(t *testing.T) {
	for _, tc := range []struct {
		a, b            string
		covers, overlap bool
		bind            string
	}{
		{"*", "a.x.com", true, true, "a.x.com"},
		{"a.x.com", "*", false, true, "a.x.com"},
		{"*.x.com", "a.x.com", true, true, "a.x.com"},
		{"*.x.com", "A.X.com", true, true, "a.x.com"},
		{"*.x.com", "x.com", false, false, ""},
		{"*.x.com", "*.a.x.com", true, true, "*.a.x.com"},
		{"*.a.x.com", "*.x.com", false, true, "*.a.x.com"},
		{"*.x.com", "*.y.com", false, false, ""},
		{"*x.com", "ax.com", true, true, "ax.com"},
		{"*x.com", "x.com", false, false, ""},
		{"*x.com", "*.x.com", true, true, "*.x.com"},
		{"a.x.com", "b.x.com", false, false, ""},
		{"a.x.com", "a.x.com", true, true, "a.x.com"},
	} {
		if got := HostCovers(tc.a, tc.b); got != tc.covers {
			t.Errorf("HostCovers(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.covers)
		}
		if got := HostsOverlap(tc.a, tc.b); got != tc.overlap {
			t.Errorf("HostsOverlap(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.overlap)
		}
		if got, ok := BindHost(tc.a, tc.b); got != tc.bind || ok != (tc.bind != "") {
			t.Errorf("BindHost(%q, %q) = %q, %v, want %q", tc.a, tc.b, got, ok, tc.bind)
		}
	}
}

func TestSNIName(t *testing.T) {
	for host, want := range map[string]string{
		"a.example.com":      "a.example.com",
		"*.example.com":      "*.example.com",
		"*":                  "*",
		"*-shop.example.com": "*.example.com",
		"*shop":              "*",
	} {
		if got := SNIName(host); got != want {
			t.Errorf("SNIName(%q) = %q, want %q", host, got, want)
		}
	}
}
