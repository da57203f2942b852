package cmd

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time:
//
//	go build -ldflags "-X github.com/meshroute/meshroute/cmd.version=v1.2.3"
var version = "dev"

// versionString is the build-time version, or the module version `go install …@v1.2.3` records.
func versionString() string {
	if version != "dev" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return version
}

func newVersionCommand(e env, _ *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print meshroute's version and the Go version it was built with",
		Example: "  meshroute version",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(e.stdout, "meshroute %s (%s, %s/%s)\n", versionString(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		},
	}
}

func newCompletionCommand(e env, _ *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print a shell completion script",
		Long: `Print the completion script for a shell on standard output. Load it in the current shell, or
install it where your shell reads completions.`,
		Example: `  # bash, current shell
  source <(meshroute completion bash)

  # zsh, installed
  meshroute completion zsh > "${fpath[1]}/_meshroute"

  # fish
  meshroute completion fish > ~/.config/fish/completions/meshroute.fish

  # PowerShell
  meshroute completion powershell | Out-String | Invoke-Expression`,
		ValidArgs:             []string{"bash", "zsh", "fish", "powershell"},
		Args:                  cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs),
		DisableFlagsInUseLine: true,
		RunE: func(c *cobra.Command, args []string) error {
			root := c.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(e.stdout, true)
			case "zsh":
				return root.GenZshCompletion(e.stdout)
			case "fish":
				return root.GenFishCompletion(e.stdout, true)
			default:
				return root.GenPowerShellCompletionWithDesc(e.stdout)
			}
		},
	}
}
