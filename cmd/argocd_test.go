package cmd

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/meshroute/meshroute/internal/goldentest"
)

// pluginCommand is a command of Argo CD's ConfigManagementPlugin spec.
type pluginCommand struct {
	Command []string `yaml:"command"`
	Args    []string `yaml:"args"`
}

// TestArgoCDPlugin checks plugin.yaml: the ConfigManagementPlugin fields Argo CD reads (decoded
// strictly, so a misspelt key fails here rather than being ignored by the sidecar), that generate
// runs a meshroute compile that parses with meshroute's real flags and takes the cluster from the
// Application's CLUSTER env var, and that discover matches an example and not meshroute's output.
func TestArgoCDPlugin(t *testing.T) {
	var p struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Metadata   struct {
			Name string `yaml:"name"`
		} `yaml:"metadata"`
		Spec struct {
			Generate pluginCommand `yaml:"generate"`
			Discover struct {
				Find pluginCommand `yaml:"find"`
			} `yaml:"discover"`
		} `yaml:"spec"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(readRepoFile(t, "plugin.yaml")))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("plugin.yaml: %v", err)
	}
	if p.APIVersion != "argoproj.io/v1alpha1" || p.Kind != "ConfigManagementPlugin" || p.Metadata.Name != "meshroute" {
		t.Errorf("plugin.yaml is %s %s %q; want argoproj.io/v1alpha1 ConfigManagementPlugin meshroute", p.APIVersion, p.Kind, p.Metadata.Name)
	}

	// Argo CD runs command + args without a shell; the shell expands the env var.
	gen := p.Spec.Generate
	if !slices.Equal(gen.Command, []string{"sh", "-c"}) || len(gen.Args) != 1 {
		t.Fatalf("generate: %q %q; want sh -c and one script", gen.Command, gen.Args)
	}
	words := shellCommand(gen.Args[0], map[string]string{"ARGOCD_ENV_CLUSTER": "cluster-1"})
	if len(words) < 2 || words[0] != "meshroute" || words[1] != "compile" {
		t.Fatalf("generate runs %q; want meshroute compile", words)
	}
	if c := parseCommandLine(t, words[1:]); c != nil {
		if got := c.Flags().Lookup("cluster").Value.String(); got != "[cluster-1]" {
			t.Errorf("generate: --cluster %s; want it from ARGOCD_ENV_CLUSTER", got)
		}
		if c.Flags().Lookup("out-dir").Value.String() != "" {
			t.Error("generate: Argo CD applies standard output; --out-dir would print nothing")
		}
	}

	find := p.Spec.Discover.Find
	if len(find.Command) == 0 {
		t.Fatal("discover.find.command is empty: Argo CD would never pick the plugin")
	}
	if _, err := exec.LookPath(find.Command[0]); err != nil {
		t.Skipf("no %s to run discover with", find.Command[0])
	}
	// meshroute's own output carries meshroute.dev labels but no inventory: not a match.
	output := t.TempDir()
	istioOnly := "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  labels:\n    meshroute.dev/parent-kind: virtualgateway\n"
	if err := os.WriteFile(filepath.Join(output, "gateway.yaml"), []byte(istioOnly), 0o644); err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]bool{goldentest.Path("examples", "global-app"): true, output: false} {
		cmd := exec.Command(find.Command[0], append(find.Command[1:], find.Args...)...)
		cmd.Dir = dir
		out, err := cmd.Output()
		// Argo CD's rule: a match is exit code 0 and some output.
		if got := err == nil && strings.TrimSpace(string(out)) != ""; got != want {
			t.Errorf("discover in %s: matched %v (output %q, %v); want %v", dir, got, out, err, want)
		}
	}
}
