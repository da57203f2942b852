package cmd

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/compiler/envoy"
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/goldentest"
	"github.com/meshroute/meshroute/schema"
	"github.com/meshroute/meshroute/validate"
)

// caseModel is the model of a valid case with one gateway; broken, every forwarding route gets
// an empty rewrite pattern, which the schema never lets through: the model a bug would produce,
// and one whose bootstrap Envoy refuses.
func caseModel(t *testing.T, broken bool) *model.Model {
	t.Helper()
	fsys := goldentest.LoadDiagCase(t, "mr4015-weights-scaled-ok").FS()
	set, loaded, err := (&schema.Loader{FS: fsys}).Load([]schema.Input{{Path: "."}})
	if err != nil {
		t.Fatal(err)
	}
	m, ds := validate.Run(set, validate.Options{Loaded: loaded})
	if diag.HasErrors(ds) {
		t.Fatalf("case does not compile: %v", ds)
	}
	if !broken {
		return m
	}
	for _, c := range m.Clusters {
		for _, g := range c.Gateways {
			for _, l := range g.Listeners {
				for _, vh := range l.VirtualHosts {
					for _, r := range vh.Routes {
						if r.Forward != nil {
							r.Forward.RegexRewrite = &model.RegexRewrite{Pattern: ""}
						}
					}
				}
			}
		}
	}
	return m
}

// TestCompileEnvoyInternalError: a bootstrap that fails Envoy's load checks is an internal
// error naming it, exit code 2, and nothing is written — neither to standard output nor to an
// out-dir, whose previous contents stay as they were.
func TestCompileEnvoyInternalError(t *testing.T) {
	const want = "internal error: Envoy would refuse the bootstrap cluster-1/envoy-istio-gateways-virtualgateway-north-south-gloo-mesh.yaml"
	outDir := t.TempDir()
	previous := filepath.Join(outDir, "cluster-1", "envoy-istio-gateways-virtualgateway-north-south-gloo-mesh.yaml")
	for _, tc := range []struct {
		name  string
		write func(e env, f *compileFlags, m *model.Model) error
	}{
		{"stdout", func(e env, f *compileFlags, m *model.Model) error { return writeStdout(e, f, m, "cluster-1") }},
		{"out-dir", func(e env, f *compileFlags, m *model.Model) error {
			return writeOutDir(e, f, m, []string{"cluster-1"})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			e := env{stdout: &stdout, stderr: &stderr}
			f := &compileFlags{target: targetEnvoy, output: formatYAML, outDir: outDir}
			if tc.name == "stdout" {
				f.outDir = ""
			}
			// A good compile first, so the out-dir holds a previous output that must survive.
			if err := writeOutDir(e, &compileFlags{target: targetEnvoy, outDir: outDir}, caseModel(t, false), []string{"cluster-1"}); err != nil {
				t.Fatal(err)
			}
			before, err := os.ReadFile(previous)
			if err != nil {
				t.Fatal(err)
			}
			stdout.Reset()
			err = tc.write(e, f, caseModel(t, true))
			var ee *exitError
			var ib *envoy.InvalidBootstrapError
			if !errors.As(err, &ee) || ee.code != exitUsage || !errors.As(err, &ib) || !strings.Contains(err.Error(), want) {
				t.Fatalf("error %v, want exit code %d with %q", err, exitUsage, want)
			}
			if stdout.Len() > 0 {
				t.Errorf("standard output got %d bytes", stdout.Len())
			}
			if after, err := os.ReadFile(previous); err != nil || !bytes.Equal(before, after) {
				t.Errorf("the previous output changed (%v)", err)
			}
		})
	}
}
