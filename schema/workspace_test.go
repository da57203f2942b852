package schema

import "testing"

const workspaceYAML = "apiVersion: admin.gloo.solo.io/v2\nkind: Workspace\nmetadata: {name: shop, namespace: gloo-mesh}\nspec:\n  workloadClusters: [{name: '*', namespaces: [{name: shop, labels: {team: shop}}]}]\n---\n"

func TestWorkspaceKinds(t *testing.T) {
	delegate := "apiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata: {name: r, namespace: shop}\nspec:\n  http: [{delegate: {routeTables: [{workspace: shop}]}}]\n"
	for _, tc := range []struct {
		name, doc string
		want      []want
	}{
		{"workspace and settings", workspaceYAML + "apiVersion: admin.gloo.solo.io/v2\nkind: WorkspaceSettings\nmetadata: {name: s, namespace: shop}\nspec:\n  importFrom: [{workspaces: [{name: web}], resources: [{kind: SERVICE, labels: {a: b}}]}]\n  exportTo: [{workspaces: [{selector: {team: web}}], resources: [{kind: 1}]}]\n", nil},
		{"did you mean", workspaceYAML + "apiVersion: admin.gloo.solo.io/v2\nkind: WorkspaceSettings\nmetadata: {name: s, namespace: shop}\nspec:\n  importsFrom: []\n", []want{{"MR1001", 11, 3, "importFrom"}}},
		{"bad kind", "apiVersion: admin.gloo.solo.io/v2\nkind: WorkspaceSettings\nmetadata: {name: s}\nspec:\n  exportTo: [{resources: [{kind: GATEWAY}]}]\n", []want{{"MR1003", 5, 34, "GATEWAY"}}},
		{"options are refused, but federation and isolation", "apiVersion: admin.gloo.solo.io/v2\nkind: WorkspaceSettings\nmetadata: {name: s}\nspec:\n  options: {federation: {enabled: true}, serviceIsolation: {enabled: true}, trimAllProxyConfig: true, virtualDestClientMode: {auto: {}}}\n", []want{{"MR1006", 5, 103, "virtualDestClientMode is not implemented"}}},
		{"east-west gateway selectors are read, their termination ports refused", workspaceYAML + "apiVersion: admin.gloo.solo.io/v2\nkind: WorkspaceSettings\nmetadata: {name: s, namespace: shop}\nspec:\n  options: {eastWestGateways: [{selector: {labels: {istio: eastwestgateway}, workspace: shop}, port: {name: tls}}, {tlsTerminationPort: {number: 15443}}]}\n", []want{{"MR1006", 11, 117, "tlsTerminationPort is not implemented"}}},
		{"isolation enforcement layers are refused", "apiVersion: admin.gloo.solo.io/v2\nkind: WorkspaceSettings\nmetadata: {name: s}\nspec:\n  options: {serviceIsolation: {enabled: true, enforcementLayers: {cni: true}}}\n", []want{{"MR1006", 5, 47, "enforcementLayers is not implemented"}}},
		{"workspace field with Workspaces declared", workspaceYAML + delegate, nil},
		{"workspace field without Workspaces", delegate, []want{{"MR1005", 5, 37, "no Workspace object is declared"}}},
		{"namespace of an undeclared cluster", clusterYAML + "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop, annotations: {meshroute.dev/cluster: c9}}\n", []want{{"MR2013", 8, 38, "Namespace shop names cluster \"c9\""}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkDiags(t, loadString(t, tc.doc), tc.want)
		})
	}
}

// A Namespace is cluster-scoped: it gets no default namespace, and without a cluster it
// describes that namespace in every cluster.
func TestNamespaceInventory(t *testing.T) {
	set := loadSet(t, clusterYAML+"---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: shop}}\n")
	if len(set.Namespaces) != 1 {
		t.Fatalf("loaded %d Namespaces", len(set.Namespaces))
	}
	ns := set.Namespaces[0]
	if ns.Namespace() != "" || ns.Cluster != "" || ns.Metadata.Labels["team"] != "shop" || ns.Ref().Namespace != "" {
		t.Errorf("got namespace %q, cluster %q, labels %v", ns.Namespace(), ns.Cluster, ns.Metadata.Labels)
	}
}
