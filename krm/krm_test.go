package krm

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	_ "github.com/meshroute/meshroute/internal/goldentest" // the -update flag every test binary has
)

// inputs is a small complete config as kpt sends it: each item annotated with its file.
const inputs = `
- apiVersion: meshroute.dev/v1alpha1
  kind: Cluster
  metadata:
    name: cluster-1
    annotations:
      internal.config.kubernetes.io/path: inventory.yaml
  spec:
    network: network-1
- apiVersion: meshroute.dev/v1alpha1
  kind: Cluster
  metadata:
    name: cluster-2
    annotations:
      internal.config.kubernetes.io/path: inventory.yaml
      internal.config.kubernetes.io/index: '1'
  spec:
    network: network-2
- apiVersion: v1
  kind: Service
  metadata:
    name: istio-ingressgateway
    namespace: gloo-mesh-gateways
    annotations:
      meshroute.dev/cluster: cluster-1
  spec:
    selector: {istio: ingressgateway}
    ports: [{name: http2, port: 80, targetPort: 8080}]
- apiVersion: networking.gloo.solo.io/v2
  kind: VirtualGateway
  metadata:
    name: gw
    namespace: gloo-mesh
    annotations:
      config.kubernetes.io/path: routing/gateway.yaml
  spec:
    workloads: [{selector: {labels: {istio: ingressgateway}}}]
    listeners: [{port: {number: 80}, http: {}}]
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: unrelated
- apiVersion: meshroute.dev/v1alpha1
  kind: RouteTest
  metadata:
    name: tests
`

func list(config, items string) []byte {
	return []byte("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n" + config + "items:" + items)
}

type outList struct {
	Items []struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Metadata   struct {
			Name        string            `yaml:"name"`
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"metadata"`
	} `yaml:"items"`
	Results []result `yaml:"results"`
}

// summary is each item as kind/name and its path annotation.
func (l outList) summary() []string {
	var out []string
	for _, it := range l.Items {
		out = append(out, it.Kind+"/"+it.Metadata.Name+" "+it.Metadata.Annotations[pathAnnotation])
	}
	return out
}

func TestRun(t *testing.T) {
	gateway := func(cluster string) string {
		return "Gateway/virtualgateway-gw-gloo-mesh " + cluster + "/gateway-gloo-mesh-gateways-virtualgateway-gw-gloo-mesh.yaml"
	}
	inputItems := []string{"Cluster/cluster-1 inventory.yaml", "Cluster/cluster-2 inventory.yaml", "Service/istio-ingressgateway ",
		"VirtualGateway/gw ", "Deployment/unrelated ", "RouteTest/tests "}
	for _, tc := range []struct {
		name        string
		config      string
		items       string
		wantItems   []string
		wantResults []result
	}{{
		name:      "every cluster: the compiled objects with their out-dir path; what meshroute does not read passes through",
		items:     inputs,
		wantItems: []string{"Deployment/unrelated ", gateway("cluster-1")},
	}, {
		name:      "functionConfig data.cluster picks the clusters",
		config:    "functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: fn}\n  data: {cluster: ' cluster-2'}\n",
		items:     inputs,
		wantItems: []string{"Deployment/unrelated "}, // cluster-2 has no gateway Service
	}, {
		name:        "an unknown cluster is an error result; the items come back as they were",
		config:      "functionConfig:\n  data: {cluster: cluster-9}\n",
		items:       inputs,
		wantItems:   inputItems,
		wantResults: []result{{Message: `functionConfig data.cluster: unknown cluster "cluster-9": declared clusters are cluster-1, cluster-2`, Severity: "error"}},
	}, {
		name:      "an unknown functionConfig key is an error result",
		config:    "functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: fn}\n  data: {clusters: cluster-1}\n",
		items:     inputs,
		wantItems: inputItems,
		wantResults: []result{{Message: "functionConfig data.clusters: unknown key (meshroute krm reads only data.cluster)", Severity: "error",
			ResourceRef: &resourceRef{APIVersion: "v1", Kind: "ConfigMap", Name: "fn"}, Field: &field{Path: "data.clusters"}}},
	}, {
		name:      "a diagnostic names the item it is in, the item's file and index, and the field",
		items:     strings.Replace(inputs, "name: cluster-2\n", "name: cluster-2\n    bogus: 1\n", 1),
		wantItems: inputItems,
		wantResults: []result{{Message: "MR1001: unknown field \"bogus\" in metadata", Severity: "error",
			ResourceRef: &resourceRef{APIVersion: "meshroute.dev/v1alpha1", Kind: "Cluster", Name: "cluster-2"},
			Field:       &field{Path: "metadata.bogus"}, File: &file{Path: "inventory.yaml", Index: 1}, Tags: map[string]string{"code": "MR1001"}}},
	}, {
		name:        "no items",
		items:       " []\n",
		wantResults: []result{{Message: "the ResourceList has no items to compile (in a kustomization, list meshroute under transformers:, not generators:)", Severity: "error"}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			out, failed, err := Run(list(tc.config, tc.items), Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got outList
			if err := yaml.Unmarshal(out, &got); err != nil {
				t.Fatalf("output is not YAML: %v\n%s", err, out)
			}
			if diff := cmp.Diff(tc.wantItems, got.summary()); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
			for i := range got.Results { // the hints' wording is the catalogue's; the CLI script shows it
				got.Results[i].Message, _, _ = strings.Cut(got.Results[i].Message, " (hint: ")
			}
			if diff := cmp.Diff(tc.wantResults, got.Results); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
			wantFailed := false
			for _, r := range tc.wantResults {
				wantFailed = wantFailed || r.Severity == "error"
			}
			if failed != wantFailed {
				t.Errorf("failed = %v, want %v", failed, wantFailed)
			}
		})
	}
}

func TestRunWithoutItems(t *testing.T) {
	out, failed, err := Run([]byte("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n"), Options{})
	if err != nil || !failed || !strings.Contains(string(out), "has no items to compile") || strings.Contains(string(out), "MR1004") {
		t.Errorf("failed %v, %v:\n%s\nwant only the no-items error", failed, err, out)
	}
}

func TestRunRefusesWhatIsNotAResourceList(t *testing.T) {
	for _, in := range []string{"", "a: [", "apiVersion: v1\nkind: List\nitems: []\n", "- 1\n"} {
		if _, _, err := Run([]byte(in), Options{}); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

func TestFieldPath(t *testing.T) {
	for pointer, want := range map[string]string{
		"/spec/http/0/matchers":                    "spec.http[0].matchers",
		"/metadata/annotations/meshroute.dev~1vip": "metadata.annotations[meshroute.dev/vip]",
		"/spec": "spec",
	} {
		if got := fieldPath(pointer); got != want {
			t.Errorf("fieldPath(%q) = %q, want %q", pointer, got, want)
		}
	}
}
