package cmd

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/meshroute/meshroute/internal/goldentest"
)

// TestPlainConstructorReachesRoot: a command built without arguments sees the root's -f flags
// and streams.
func TestPlainConstructorReachesRoot(t *testing.T) {
	var gotObjects int
	var gotErr error
	newProbe := func() *cobra.Command {
		return &cobra.Command{Use: "probe", RunE: func(c *cobra.Command, _ []string) error {
			set, _, err := loadInputs(c)
			gotErr = err
			if set != nil {
				gotObjects = set.Len()
			}
			_, err = stateOf(c).env.stdout.Write([]byte("probe ran\n"))
			return err
		}}
	}
	saved := subcommands
	subcommands = append(subcommands, plain(newProbe))
	defer func() { subcommands = saved }()

	var out, errOut bytes.Buffer
	file := filepath.Join(goldentest.Root(), "examples", "global-app", "clusters.yaml")
	code := run([]string{"probe", "-f", file}, env{stdout: &out, stderr: &errOut, stdin: strings.NewReader("")})
	if code != 0 || gotErr != nil || gotObjects != 2 || out.String() != "probe ran\n" {
		t.Errorf("code %d, err %v, %d objects, stdout %q, stderr %q", code, gotErr, gotObjects, out.String(), errOut.String())
	}
}
