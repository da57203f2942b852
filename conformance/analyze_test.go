package conformance

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"istio.io/istio/pkg/config/analysis/analyzers"
	"istio.io/istio/pkg/config/analysis/diag"
	"istio.io/istio/pkg/config/analysis/local"
	"istio.io/istio/pkg/config/analysis/msg"
	"istio.io/istio/pkg/config/resource"
	"sigs.k8s.io/yaml"

	"github.com/meshroute/meshroute/internal/gen"
	"github.com/meshroute/meshroute/render"
	"github.com/meshroute/meshroute/schema"
)

// TestAnalyzeExamples runs Istio's analyzers — what `istioctl analyze` runs on files, offline —
// over each cluster's compiled output of every example, given what that cluster would hold
// besides: the inventory's Services of the cluster and a Namespace for every namespace. An error
// or warning fails, unless offlineOnly explains it as an artefact of having no live cluster.
func TestAnalyzeExamples(t *testing.T) {
	dirs, err := filepath.Glob("../examples/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no examples under ../examples: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			res := compileDir(t, dir)
			for _, cluster := range slices.Sorted(maps.Keys(res.Istio.Istio)) {
				faults, offline := findings(analyze(t, clusterObjects(t, res, cluster)), res.Set)
				for _, f := range offline {
					t.Logf("%s: %s", cluster, f)
				}
				for _, f := range faults {
					t.Errorf("%s: %s", cluster, f)
				}
			}
		})
	}
}

// findings splits the errors and warnings (infos are left out) into meshroute's faults and the
// ones offlineOnly explains.
func findings(ms diag.Messages, set *schema.Set) (faults, offline []string) {
	for i := range ms {
		m := &ms[i]
		if !m.Type.Level().IsWorseThanOrEqualTo(diag.Warning) {
			continue
		}
		if why, ok := inputAsWritten(m, set); ok {
			offline = append(offline, "the input's choice ("+why+"): "+m.String())
		} else if why, ok := offlineOnly(m); ok {
			offline = append(offline, "offline only ("+why+"): "+m.String())
		} else {
			faults = append(faults, m.String())
		}
	}
	return faults, offline
}

// offlineOnly says why a message comes only from analysing files instead of a live cluster, and
// so is not meshroute's fault; each entry is as narrow as its reason (docs/istio-output.md, "What
// istioctl analyze says offline").
func offlineOnly(m *diag.Message) (string, bool) {
	switch {
	// A Gateway's TLS credentialName names the VirtualGateway's secretName: the Secret lives in
	// the cluster, and files (meshroute's input and output alike) hold no Secrets.
	case m.Type == msg.ReferencedResourceNotFound && len(m.Parameters) > 0 && m.Parameters[0] == "credentialName":
		return "no Secrets offline", true
	// A subset's labels (version: v2) are on the pods, which the inventory does not describe: the
	// pods given here carry only their Service's selector.
	case m.Type == msg.DestinationRuleSubsetNotSelectPods:
		return "no pod labels beyond the Service selector offline", true
	}
	return "", false
}

// inputAsWritten says why a message restates a choice the input makes on purpose, which
// meshroute translates as written: an ExternalService port whose clientsideTls names no
// caCertificates (Solo's labs write clientsideTls: {}), where the proxy verifies the server with
// its system roots (docs/istio-output.md, ExternalService).
func inputAsWritten(m *diag.Message, set *schema.Set) (string, bool) {
	if m.Type != msg.NoServerCertificateVerificationPortLevel || len(m.Parameters) < 4 {
		return "", false
	}
	host, _ := m.Parameters[3].(string)
	for _, es := range set.ExternalServices {
		if !slices.Contains(es.Spec.Hosts, host) {
			continue
		}
		for _, p := range es.Spec.Ports {
			if p.ClientsideTLS != nil && p.ClientsideTLS.CACertificates == "" {
				return "ExternalService " + es.Namespace() + "/" + es.Name() + " sets clientsideTls without caCertificates", true
			}
		}
	}
	return "", false
}

// analyze runs every analyzer of `istioctl analyze` over one cluster's objects, as istioctl
// does for files (AddDefaultResources, then the files as a source), over all namespaces.
func analyze(t *testing.T, objects string) diag.Messages {
	t.Helper()
	sa := local.NewIstiodAnalyzer(analyzers.AllCombined(), "", resource.Namespace("istio-system"), nil)
	if err := sa.AddTestReaderKubeSource([]local.ReaderSource{{Name: "meshroute", Reader: strings.NewReader(objects)}}); err != nil {
		t.Fatalf("analyzer cannot read the objects: %v", err)
	}
	if err := sa.AddDefaultResources(); err != nil {
		t.Fatal(err)
	}
	cancel := make(chan struct{})
	defer close(cancel)
	res, err := sa.Analyze(cancel)
	if err != nil {
		t.Fatal(err)
	}
	return res.Messages.SortedDedupedCopy()
}

// compileDir compiles an example folder through the library calls `meshroute compile` makes.
func compileDir(t *testing.T, dir string) *gen.Result {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := &gen.Case{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		c.Docs = append(c.Docs, gen.Doc{File: e.Name(), YAML: data})
	}
	res, err := gen.Compile(c)
	if err != nil {
		t.Fatal(err)
	}
	if res.HasErrors() || len(res.Istio.Istio) == 0 {
		t.Fatalf("%s does not compile: %v", dir, res.Diagnostics)
	}
	return res
}

// clusterObjects is one cluster as the analyzers see it: meshroute's objects, the cluster's
// Services and a Namespace (labelled for sidecar injection, as in a mesh) per namespace used.
func clusterObjects(t *testing.T, res *gen.Result, cluster string) string {
	t.Helper()
	var docs []string
	namespaces := map[string]bool{}
	add := func(o any) {
		data, err := yaml.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(data))
	}
	for _, o := range res.Istio.Istio[cluster] {
		data, err := render.ObjectYAML(o)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(data))
		namespaces[o.Namespace] = true
	}
	for _, s := range res.Set.Services {
		if s.Cluster == cluster {
			add(service(s))
			add(pod(s))
			namespaces[s.Namespace()] = true
		}
	}
	for _, ns := range slices.Sorted(maps.Keys(namespaces)) {
		add(map[string]any{"apiVersion": "v1", "kind": "Namespace",
			"metadata": map[string]any{"name": ns, "labels": map[string]string{"istio-injection": "enabled"}}})
	}
	return strings.Join(docs, "---\n")
}

// service is an inventory Service as the Kubernetes object it stands for.
func service(s *schema.Service) map[string]any {
	var ports []map[string]any
	for _, p := range s.Spec.Ports {
		port := map[string]any{"name": p.Name, "port": p.Port, "protocol": cmp(p.Protocol, "TCP")}
		if n, name := p.Target(); name != "" {
			port["targetPort"] = name
		} else {
			port["targetPort"] = n
		}
		if p.AppProtocol != "" {
			port["appProtocol"] = p.AppProtocol
		}
		ports = append(ports, port)
	}
	return map[string]any{"apiVersion": "v1", "kind": "Service",
		"metadata": map[string]any{"name": s.Name(), "namespace": s.Namespace(), "labels": s.Metadata.Labels},
		"spec":     map[string]any{"selector": s.Spec.Selector, "ports": ports, "type": cmp(s.Spec.Type, "ClusterIP")}}
}

// pod is one pod a Service selects: labelled with exactly the Service's selector, and running
// Istio's proxy as an injected pod (or a gateway) does. Pods are invented from the inventory,
// so they tell the analyzers only what a Service already says (which pods it selects).
func pod(s *schema.Service) map[string]any {
	return map[string]any{"apiVersion": "v1", "kind": "Pod",
		"metadata": map[string]any{"name": s.Name() + "-0", "namespace": s.Namespace(), "labels": s.Spec.Selector,
			"annotations": map[string]string{"sidecar.istio.io/status": `{"containers":["istio-proxy"]}`}},
		"spec": map[string]any{"containers": []map[string]any{
			{"name": "app", "image": "app"},
			{"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.28.0"},
		}}}
}

func cmp(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// TestAnalyzeFindsFaults proves the analyzer check can fail, and that the offline allow-list
// does not hide a real fault: each case is a cluster state with one mistake an emitter could make.
func TestAnalyzeFindsFaults(t *testing.T) {
	const cluster = `apiVersion: v1
kind: Namespace
metadata: {name: gw, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Service
metadata: {name: ingress, namespace: gw}
spec:
  selector: {istio: ingressgateway}
  ports: [{name: http2, port: 80, targetPort: 8080, protocol: TCP}]
---
apiVersion: v1
kind: Pod
metadata: {name: ingress-0, namespace: gw, labels: {istio: ingressgateway}}
spec: {containers: [{name: istio-proxy, image: docker.io/istio/proxyv2:1.28.0}]}
---
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: shop}
spec:
  selector: {app: shop}
  ports: [{name: http, port: 8080, protocol: TCP}]
`
	const gateway = `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: gw}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: PORT, name: http, protocol: HTTP}, hosts: ['*']}]
`
	const vs = `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: gw}
spec:
  hosts: ['*']
  gateways: [gw/gw]
  http: [{route: [{destination: {host: HOST, port: {number: 8080}}}]}]
`
	tests := []struct {
		name, objects, want string // want: the code expected among the faults; empty: none
	}{
		{"as meshroute emits it", cluster + strings.Replace(gateway, "PORT", "8080", 1) + strings.Replace(vs, "HOST", "shop.shop.svc.cluster.local", 1), ""},
		{"server on a port the gateway Service lacks", cluster + strings.Replace(gateway, "PORT", "9999", 1) + strings.Replace(vs, "HOST", "shop.shop.svc.cluster.local", 1), "IST0162"},
		{"destination host that does not exist", cluster + strings.Replace(gateway, "PORT", "8080", 1) + strings.Replace(vs, "HOST", "shop.web.svc.cluster.local", 1), "IST0101"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			faults, _ := findings(analyze(t, tt.objects), &schema.Set{})
			got := strings.Join(faults, "\n")
			switch {
			case tt.want == "" && got != "":
				t.Errorf("faults on correct output:\n%s", got)
			case tt.want != "" && !strings.Contains(got, "["+tt.want+"]"):
				t.Errorf("want a %s fault, got:\n%s", tt.want, got)
			}
		})
	}
}
