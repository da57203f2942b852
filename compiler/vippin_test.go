package compiler

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/naming"
)

// vdWith is a VirtualDestination named after its first host, backed by reviews, with the given
// annotations (a YAML flow mapping body, may be empty).
func vdWith(annotations string, hosts ...string) string {
	return fmt.Sprintf(`apiVersion: networking.gloo.solo.io/v2
kind: VirtualDestination
metadata: {name: %s, namespace: app, annotations: {%s}}
spec:
  hosts: [%s]
  services: [{labels: {app: reviews}}]
  ports: [{number: 9080, protocol: HTTP}]
`, naming.DNSName(hosts[0]), annotations, strings.Join(hosts, ", "))
}

// vips maps every ServiceEntry host of the model to its VIP, checking that every cluster agrees.
func vips(t *testing.T, m *model.Model) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, c := range m.Clusters {
		for _, be := range c.Backends {
			if be.ServiceEntry == "" {
				continue
			}
			if v, ok := out[be.Host]; ok && v != be.VIP {
				t.Errorf("%s has VIP %s in %s, %s elsewhere", be.Host, be.VIP, c.Name, v)
			}
			out[be.Host] = be.VIP
		}
	}
	return out
}

// The case of the issue: app-153825.example.com took zeta.example.com's slot of the old
// 240.241.0.0/16 block, and zeta moved although nothing about it changed.
func TestVIPUnrelatedHostAdded(t *testing.T) {
	m1, ds := build(t, vdWith("", "zeta.example.com"))
	noErrors(t, ds)
	m2, ds := build(t, vdWith("", "zeta.example.com"), vdWith("", "app-153825.example.com"))
	noErrors(t, ds)
	before, after := vips(t, m1), vips(t, m2)
	if before["zeta.example.com"] != after["zeta.example.com"] {
		t.Errorf("adding app-153825.example.com moved zeta.example.com from %s to %s", before["zeta.example.com"], after["zeta.example.com"])
	}
}

// The previous output and pins reach the allocator through Build: VirtualDestination and
// federated hosts keep their previous address, a pin wins over it and holds for every host of a
// multi-host VirtualDestination.
func TestVIPPreviousAndPins(t *testing.T) {
	fed := ingress("t", `- name: pinned
  forwardTo: {destinations: [{ref: {name: ratings, cluster: c1}, port: {number: 9080}}]}
`)
	previous := map[string]string{
		"a.example.com":             "240.241.42.7",
		"b.example.com":             "240.241.42.8",
		"ratings.app.svc.c1.global": "240.1.2.3",
		"gone.example.com":          "240.9.9.9",
	}
	m, ds := buildWith(t, Options{PreviousVIPs: previous},
		vdWith("", "a.example.com"),
		vdWith("meshroute.dev/vip: 10.96.0.10", "b.example.com", "b2.example.com"),
		fed)
	noErrors(t, ds)
	want := map[string]string{
		"a.example.com":             "240.241.42.7",
		"b.example.com":             "10.96.0.10",
		"ratings.app.svc.c1.global": "240.1.2.3",
	}
	if diff := cmp.Diff(want, vips(t, m)); diff != "" {
		t.Errorf("VIPs (-want +got):\n%s", diff)
	}
}

func TestVIPPinDiagnostics(t *testing.T) {
	for _, tc := range []struct {
		name string
		docs []string
		want []string // code path line
	}{
		{"CIDR", []string{vdWith("meshroute.dev/vip: 10.0.0.0/24", "a.example.com")}, []string{"MR4016 /metadata/annotations/meshroute.dev~1vip 3"}},
		{"IPv6", []string{vdWith("meshroute.dev/vip: '2001:db8::1'", "a.example.com")}, []string{"MR4016 /metadata/annotations/meshroute.dev~1vip 3"}},
		{"name", []string{vdWith("meshroute.dev/vip: a.example.com", "a.example.com")}, []string{"MR4016 /metadata/annotations/meshroute.dev~1vip 3"}},
		{"Istio's range", []string{vdWith("meshroute.dev/vip: 240.240.0.7", "a.example.com")}, []string{"MR4016 /metadata/annotations/meshroute.dev~1vip 3"}},
		{"unspecified", []string{vdWith("meshroute.dev/vip: 0.0.0.0", "a.example.com")}, []string{"MR4016 /metadata/annotations/meshroute.dev~1vip 3"}},
		{"two pins on one address", []string{vdWith("meshroute.dev/vip: 240.0.10.1", "a.example.com"), vdWith("meshroute.dev/vip: 240.0.10.1", "b.example.com")},
			[]string{"MR3015 /metadata/annotations/meshroute.dev~1vip 3"}},
		{"fine", []string{vdWith("meshroute.dev/vip: 240.0.10.1", "a.example.com"), vdWith("meshroute.dev/vip: 10.96.0.10", "b.example.com")}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ds := build(t, tc.docs...)
			var got []string
			for _, d := range ds {
				got = append(got, fmt.Sprintf("%s %s %d", d.Code, d.Path, d.Pos.Line))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%v", diff, ds)
			}
		})
	}
}
