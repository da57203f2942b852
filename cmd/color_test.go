package cmd

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/internal/goldentest"
)

// TestExplainColorFollowsStdout: explain writes to standard output, so whether it is coloured
// depends on standard output being a terminal, not standard error (DESIGN.md §5: colour only
// on a terminal). `meshroute explain … > file` from a terminal must leave no escape codes.
func TestExplainColorFollowsStdout(t *testing.T) {
	args := []string{"explain", "-f", goldentest.Path("examples", "global-app"), "--cluster", "cluster-1",
		"--gateway", "gloo-mesh-gateways/istio-ingressgateway", "--host", "www.example.com", "--path", "/global-app"}
	for _, tc := range []struct {
		name                string
		stderrTTY, stdoutTY bool
		wantEscapes         bool
	}{
		{"stdout redirected, stderr a terminal", true, false, false},
		{"stdout a terminal", false, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(args, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
				color: tc.stderrTTY, stdoutColor: tc.stdoutTY, workDir: filepath.Dir(goldentest.Path("examples"))})
			if code != exitOK {
				t.Fatalf("exit code %d: %s", code, errOut.String())
			}
			if got := strings.Contains(out.String(), "\x1b["); got != tc.wantEscapes {
				t.Errorf("escape codes on stdout: %v, want %v\n%s", got, tc.wantEscapes, out.String())
			}
		})
	}
}
