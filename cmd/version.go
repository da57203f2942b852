package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
)

// Set at build time by the Makefile's LDFLAGS, which make build, the Dockerfile and
// .goreleaser.yaml share:
//
//	go build -ldflags "-X github.com/meshroute/meshroute/cmd.version=v1.2.3 -X github.com/meshroute/meshroute/cmd.commit=SHA -X github.com/meshroute/meshroute/cmd.date=RFC3339"
var (
	version = "dev"
	commit  = ""
	date    = ""
)

// buildInfo is what `meshroute version` prints, in every format with the same fields.
type buildInfo struct {
	Version   string `json:"version" yaml:"version"`
	Commit    string `json:"commit" yaml:"commit"`
	Date      string `json:"date" yaml:"date"`
	GoVersion string `json:"goVersion" yaml:"goVersion"`
	Platform  string `json:"platform" yaml:"platform"`
}

// currentBuild is the stamped build, completed from what the Go toolchain recorded when nothing
// was stamped: `go install …@v1.2.3` records the module version, a build inside a Git checkout
// the commit and its time.
func currentBuild() buildInfo {
	info, _ := debug.ReadBuildInfo()
	return completeBuild(buildInfo{
		Version: version, Commit: commit, Date: date,
		GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH,
	}, info)
}

func completeBuild(b buildInfo, info *debug.BuildInfo) buildInfo {
	if info == nil {
		return b
	}
	if b.Version == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		b.Version = info.Main.Version
	}
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision" && b.Commit == "":
			b.Commit = s.Value
		case s.Key == "vcs.time" && b.Date == "":
			b.Date = s.Value
		}
	}
	return b
}

// versionString is the version alone, as SARIF's tool.driver.version records it.
func versionString() string { return currentBuild().Version }

// writeText writes one line; the commit and date only when known.
func (b buildInfo) writeText(w io.Writer) error {
	var parts []string
	if b.Commit != "" {
		parts = append(parts, "commit "+b.Commit)
	}
	if b.Date != "" {
		parts = append(parts, b.Date)
	}
	parts = append(parts, b.GoVersion, b.Platform)
	_, err := fmt.Fprintf(w, "meshroute %s (%s)\n", b.Version, strings.Join(parts, ", "))
	return err
}

func newVersionCommand(e env, _ *globalFlags) *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "version",
		Short: "Print meshroute's version, commit, date and the Go version it was built with",
		Example: `  meshroute version

  # For scripts
  meshroute version -o json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := checkEnum("output", output, formatText, formatJSON, formatYAML); err != nil {
				return err
			}
			b := currentBuild()
			switch output {
			case formatJSON:
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(b)
			case formatYAML:
				enc := yaml.NewEncoder(e.stdout)
				enc.SetIndent(2)
				if err := enc.Encode(b); err != nil {
					return err
				}
				return enc.Close()
			default:
				return b.writeText(e.stdout)
			}
		},
	}
	enumFlag(c, c.Flags(), &output, "output", "o", formatText, "output format", formatText, formatJSON, formatYAML)
	return c
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
