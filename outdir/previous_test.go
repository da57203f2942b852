package outdir

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	networking "istio.io/api/networking/v1alpha3"

	"github.com/meshroute/meshroute/render"
)

// seYAML renders a ServiceEntry as compile writes it.
func seYAML(t *testing.T, name string, hosts []string, addr string) []byte {
	t.Helper()
	data, err := render.ObjectYAML(render.Object{
		APIVersion: "networking.istio.io/v1", Kind: "ServiceEntry", Name: name, Namespace: "shop",
		Spec: &networking.ServiceEntry{
			Hosts: hosts, Addresses: []string{addr},
			Ports:      []*networking.ServicePort{{Number: 8080, Protocol: "HTTP", Name: "http-8080"}},
			Resolution: networking.ServiceEntry_STATIC,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestPreviousVIPs(t *testing.T) {
	dir := t.TempDir()
	multi := seYAML(t, "vd-a", []string{"a.example.com", "a2.example.com"}, "240.1.1.1")
	// What an out-dir write produces, so the reader follows the writer's format.
	if err := writeTree(dir, map[string][]byte{
		"cluster-1/" + render.ManifestFileName(render.Object{Kind: "ServiceEntry", Namespace: "shop", Name: "vd-a"}): multi,
		"cluster-1/serviceentry-shop-fed-b.yaml":   seYAML(t, "fed-b", []string{"b.global"}, "240.2.2.2"),
		"cluster-1/destinationrule-shop-dr-a.yaml": []byte("kind: DestinationRule\n"),
		"cluster-2/serviceentry-shop-fed-b.yaml":   seYAML(t, "fed-b", []string{"b.global"}, "240.3.3.3"),
		"cluster-2/serviceentry-shop-broken.yaml":  []byte("kind: ServiceEntry\nspec: [\n"),
	}, nil); err != nil {
		t.Fatal(err)
	}
	write := func(rel string, data []byte) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rel), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The user's own ServiceEntry (no header) and a staging folder are not meshroute's output.
	write("cluster-1/serviceentry-shop-mine.yaml", seYAML(t, "mine", []string{"mine.example.com"}, "240.4.4.4"))
	write(".meshroute-staging-1/cluster-1/serviceentry-shop-c.yaml", append([]byte(GeneratedHeader), seYAML(t, "c", []string{"c.example.com"}, "240.5.5.5")...))

	got, err := PreviousVIPs(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"a.example.com":  "240.1.1.1",
		"a2.example.com": "240.1.1.1",
		"b.global":       "240.2.2.2", // cluster-1 comes first
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("previous VIPs (-want +got):\n%s", diff)
	}

	if got, err := PreviousVIPs(filepath.Join(dir, "missing")); err != nil || got != nil {
		t.Errorf("missing folder: %v, %v; want no previous output", got, err)
	}
}
