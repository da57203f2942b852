package cmd

import (
	"context"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/report"
	"github.com/meshroute/meshroute/validate"
)

// Diagnostic output formats.
const (
	formatText   = "text"
	formatJSON   = "json"
	formatSARIF  = "sarif"
	formatGitHub = "github"
)

// checkFlags are the flags that decide which findings are kept; validate and compile share them
// so they can never disagree. A new filter is a field, a line in register and one in options.
type checkFlags struct {
	suppress []string
}

func (f *checkFlags) register(c *cobra.Command, fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.suppress, "suppress", nil, "drop warnings and infos with this code: CODE or CODE=Kind/namespace/name, * wildcards (repeatable; errors cannot be suppressed)")
}

func (f *checkFlags) options() (pipeline.Options, error) {
	var opts pipeline.Options
	for _, s := range f.suppress {
		sup, err := validate.ParseSuppression(s)
		if err != nil {
			return opts, &exitError{err: flagError{err}, code: exitUsage}
		}
		opts.Suppress = append(opts.Suppress, sup)
	}
	return opts, nil
}

// check loads the inputs and runs every check: what validate reports.
func check(ctx context.Context, e env, g *globalFlags, cf *checkFlags) ([]diag.Diagnostic, error) {
	opts, err := cf.options()
	if err != nil {
		return nil, err
	}
	in, err := g.pipelineInputs(e)
	if err != nil {
		return nil, err
	}
	_, ds, err := pipeline.Validate(ctx, in, opts)
	if err != nil {
		return nil, &exitError{err: err, code: exitUsage} // a missing path, no objects
	}
	return ds, nil
}

func newValidateCommand(e env, g *globalFlags) *cobra.Command {
	var output, failOn, show string
	cf := &checkFlags{}
	c := &cobra.Command{
		Use:   "validate",
		Short: "Check routing config and report every problem with its file:line:col",
		Long: `Load every input, resolve it against the inventory and run every check meshroute makes —
the same checks compile runs — then report each finding, sorted by file and line.

Text diagnostics go to standard error. The machine formats (json, sarif, github) are the
command's result, so they go to standard output, ready to redirect into a file.

Exit code 0: nothing at or above --fail-on; 1: findings at or above --fail-on;
2: the command could not run. The exit code does not depend on -o.`,
		Example: `  # Check a folder (recursively); the same as -f examples/global-app
  meshroute validate examples/global-app

  # Fail on warnings too, e.g. as a pre-commit hook
  meshroute validate -f routing/ --fail-on warning

  # SARIF for GitHub code scanning
  meshroute validate -f routing/ -o sarif > meshroute.sarif

  # Annotations on the pull request, in a GitHub Actions step
  meshroute validate -f routing/ -o github`,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := checkEnum("output", output, formatText, formatJSON, formatSARIF, formatGitHub); err != nil {
				return err
			}
			threshold, err := diag.ParseSeverity(failOn)
			if err != nil {
				return &exitError{err: flagError{err}, code: exitUsage}
			}
			shown, err := diag.ParseSeverity(show)
			if err != nil {
				return &exitError{err: flagError{err}, code: exitUsage}
			}
			ds, err := check(c.Context(), e, g, cf)
			if err != nil {
				return err
			}
			// The exit code is decided before rendering, so every -o gives the same one.
			code := exitOK
			if top, ok := diag.Max(ds); ok && top >= threshold {
				code = exitProblems
			}
			// --show filters what prints; the exit code above still counts every finding.
			printed, hidden := diag.Split(ds, shown)
			if err := renderDiagnostics(e, output, printed, hidden); err != nil {
				return err
			}
			if code != exitOK {
				return &exitError{code: code}
			}
			return nil
		},
	}
	fs := c.Flags()
	enumFlag(c, fs, &output, "output", "o", formatText, "output format", formatText, formatJSON, formatSARIF, formatGitHub)
	enumFlag(c, fs, &failOn, "fail-on", "", "error", "lowest severity that makes the exit code 1", "error", "warning", "info")
	enumFlag(c, fs, &show, "show", "", "info", "lowest severity that is printed", "error", "warning", "info")
	cf.register(c, fs)
	g.acceptPaths(c)
	return c
}

// renderDiagnostics writes ds in format: text to standard error, the rest to standard output.
// hidden (filtered out by --show) only shows in the text summary.
func renderDiagnostics(e env, format string, ds, hidden []diag.Diagnostic) error {
	var w io.Writer = e.stdout
	var err error
	switch format {
	case formatJSON:
		err = report.JSON(w, ds)
	case formatSARIF:
		err = report.SARIF(w, ds, report.SARIFOptions{Version: versionString(), BaseDir: e.workDir})
	case formatGitHub:
		err = report.GitHub(w, ds)
	default:
		err = report.TextShown(e.stderr, ds, hidden, e.color)
	}
	return err
}
