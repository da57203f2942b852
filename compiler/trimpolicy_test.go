package compiler

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
)

// sidecars summarises every Sidecar of the model: cluster/namespace/service → "name host…".
func sidecars(m *model.Model) map[string]string {
	out := map[string]string{}
	for _, c := range m.Clusters {
		for _, is := range c.Isolated {
			if is.Sidecar != nil {
				out[c.Name+"/"+is.Namespace+"/"+is.Service] = strings.Join(append([]string{is.Sidecar.Name}, is.Sidecar.Hosts...), " ")
			}
		}
	}
	return out
}

func trimPolicy(name, ns, spec string) string {
	return "apiVersion: resilience.policy.gloo.solo.io/v2\nkind: TrimProxyConfigPolicy\nmetadata: {name: " + name + ", namespace: " + ns + "}\nspec:\n" + spec + "---\n"
}

func TestTrimProxyConfigPolicy(t *testing.T) {
	const ratings, reviews = "*/ratings.app.svc.cluster.local", "*/reviews.app.svc.cluster.local"
	toRatings := trimPolicy("to-ratings", "app", "  applyToWorkloads: [{selector: {labels: {app: reviews}}}]\n  config: {includedDestinations: [{selector: {name: ratings}}]}\n")
	vd := `
apiVersion: networking.gloo.solo.io/v2
kind: VirtualDestination
metadata: {name: reviews-global, namespace: app}
spec:
  hosts: [reviews.global]
  services: [{labels: {app: reviews}}]
  ports: [{number: 9080, protocol: HTTP}]
---
`
	for _, tc := range []struct {
		name string
		docs []string
		want map[string]string
		// code is the one diagnostic expected, if any.
		code string
	}{
		{"labels select the Service's workloads; a cluster without the included Service is not trimmed",
			[]string{toRatings}, map[string]string{"c1/app/reviews": "trim-reviews " + ratings}, ""},
		{"no applyToWorkloads: every workload in scope but the gateway",
			[]string{trimPolicy("all", "app", "  config: {includedDestinations: [{selector: {labels: {app: reviews}}}]}\n")},
			map[string]string{"c1/app/reviews": "trim-reviews " + reviews, "c1/app/ratings": "trim-ratings " + reviews, "c2/app/reviews": "trim-reviews " + reviews}, ""},
		{"two policies on one workload add up",
			[]string{toRatings, trimPolicy("to-self", "app", "  applyToWorkloads: [{selector: {name: reviews, cluster: c1}}]\n  config: {includedDestinations: [{selector: {name: reviews}}]}\n")},
			map[string]string{"c1/app/reviews": "trim-reviews " + ratings + " " + reviews}, ""},
		{"included destinations that select nothing trim nothing",
			[]string{trimPolicy("nothing", "app", "  config: {includedDestinations: [{selector: {name: nope}}]}\n")}, map[string]string{}, ""},
		{"VM workloads are not in the inventory",
			[]string{trimPolicy("vms", "app", "  applyToWorkloads: [{kind: VM}]\n  config: {includedDestinations: [{selector: {name: ratings}}]}\n")}, map[string]string{}, "MR2018"},
		{"merged into the workspace's Sidecar",
			[]string{twoWorkspaces, settings("app", "app", "  options: {trimAllProxyConfig: true}\n"), vd,
				trimPolicy("to-vd", "app", "  applyToWorkloads: [{selector: {labels: {app: reviews}, workspace: app}}]\n  config: {includedDestinations: [{kind: VIRTUAL_DESTINATION, selector: {name: reviews-global}}]}\n")},
			map[string]string{
				"c1/app/reviews": "settings-reviews-app " + ratings + " " + reviews + " */reviews.global",
				"c1/app/ratings": "settings-ratings-app " + ratings + " " + reviews + " */reviews.global",
				"c2/app/reviews": "settings-reviews-app " + reviews + " */reviews.global",
			}, ""},
		{"workloads of another workspace are never selected",
			[]string{twoWorkspaces, settings("app", "app", "  exportTo: [{workspaces: [{name: gw}]}]\n"), settings("gw", "gw-ns", "  importFrom: [{workspaces: [{name: app}]}]\n"),
				trimPolicy("other", "gw-ns", "  applyToWorkloads: [{selector: {workspace: app}}]\n  config: {includedDestinations: [{selector: {name: ratings, workspace: app}}]}\n")},
			map[string]string{}, "MR2018"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, ds := build(t, tc.docs...)
			if got := codes(ds); tc.code == "" && len(got) > 0 || tc.code != "" && !slices.Equal(got, []string{tc.code}) {
				t.Errorf("diagnostics %v, want %q", ds, tc.code)
			}
			if got := sidecars(m); !maps.Equal(got, tc.want) {
				t.Errorf("sidecars:\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}
