package cmd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/meshroute/meshroute/schema"
)

// subcommands lists the constructors of meshroute's commands; a new command is one line here.
var subcommands = []func(env, *globalFlags) *cobra.Command{
	newValidateCommand,
	newCompileCommand,
	newTestCommand,
	newExplainCommand,
	newKRMCommand,
	newDiffCommand,
	newSchemaCommand,
	newVersionCommand,
	newCompletionCommand,
}

// globalFlags are the input flags every command shares.
type globalFlags struct {
	files       []string
	services    []string
	maxFileSize byteSize
	maxInput    byteSize
	exclude     []string
	config      string
}

func newRootCommand(e env) *cobra.Command {
	g := &globalFlags{maxFileSize: defaultMaxFileSize, maxInput: defaultMaxInput}
	root := &cobra.Command{
		Use:   "meshroute",
		Short: "Compile multicluster Gloo Mesh routing config into per-cluster Istio or Envoy config",
		Long: `meshroute reads Gloo Mesh networking.gloo.solo.io/v2 routing objects (VirtualGateway,
VirtualDestination, RouteTable) plus an inventory of clusters and Services, checks them, and
compiles them offline and deterministically into the manifests each cluster runs.

Manifests go to standard output, diagnostics to standard error. Exit codes: 0 success,
1 problems found, 2 the command could not run.`,
		Example: `  # Check a folder of routing config, as a pre-commit hook or CI gate
  meshroute validate -f examples/global-app

  # Write one folder of Istio manifests per cluster into a GitOps repository
  meshroute compile -f examples/global-app --out-dir out/

  # Apply one cluster's manifests directly
  meshroute compile -f examples/global-app --cluster cluster-1 | kubectl apply -f -`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.PersistentPreRunE = func(c *cobra.Command, args []string) error { return g.applyConfig(e, c, args) }
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.CompletionOptions.DisableDefaultCmd = true // our own completion command has examples
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{err: flagError{err}, code: exitUsage}
	})
	pf := root.PersistentFlags()
	pf.StringArrayVarP(&g.files, "filename", "f", nil,
		"a YAML/JSON file, a folder (read recursively), or - for standard input; repeatable")
	pf.StringArrayVar(&g.services, "services", nil,
		"CLUSTER=PATH: read Services from PATH as belonging to CLUSTER; repeatable")
	pf.StringArrayVar(&g.exclude, "exclude", nil,
		"GLOB: leave matching paths out of -f folder walks (doublestar: ** spans folders); repeatable")
	pf.StringVar(&g.config, "config", "",
		"the configuration file (default: "+schema.ConfigFile+" in the working folder or a parent, up to the repository root)")
	pf.Var(&g.maxFileSize, "max-file-size", "refuse input files larger than this (bytes, or with a Ki/Mi/Gi suffix)")
	pf.Var(&g.maxInput, "max-input-size", "stop reading input once all files together are larger than this (bytes, or with a Ki/Mi/Gi suffix)")
	_ = root.MarkPersistentFlagFilename("filename", "yaml", "yml", "json")
	for _, sub := range subcommands {
		root.AddCommand(sub(e, g))
	}
	return root
}

// flagError marks errors about the command line itself, which earn a pointer to --help.
type flagError struct{ error }

func (f flagError) Unwrap() error { return f.error }

func isFlagError(err error) bool {
	var fe flagError
	if errors.As(err, &fe) {
		return true
	}
	// cobra's own argument, command and flag-group errors are not typed.
	msg := err.Error()
	for _, prefix := range []string{"unknown command", "required flag(s)", "if any flags in the group", "at least one of the flags in the group"} {
		if strings.HasPrefix(msg, prefix) {
			return true
		}
	}
	return strings.Contains(msg, "arg(s)")
}

// flagErrorf is a usage error about the command line itself (exit code 2, pointer to --help).
func flagErrorf(format string, args ...any) error {
	return &exitError{err: flagError{fmt.Errorf(format, args...)}, code: exitUsage}
}

// commandPath names the command the arguments select, for "Run 'meshroute compile --help'".
func commandPath(root *cobra.Command, args []string) string {
	c, _, err := root.Find(args)
	if err != nil || c == nil {
		return root.Name()
	}
	return c.CommandPath()
}

// enumFlag registers a string flag restricted to values, with shell completion of them.
func enumFlag(c *cobra.Command, fs *pflag.FlagSet, p *string, name, short, def, usage string, values ...string) {
	fs.StringVarP(p, name, short, def, usage+" ("+strings.Join(values, "|")+")")
	_ = c.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// checkEnum rejects a flag value outside values (exit code 2).
func checkEnum(name, value string, values ...string) error {
	for _, v := range values {
		if value == v {
			return nil
		}
	}
	return &exitError{err: flagError{errors.New("invalid value \"" + value + "\" for --" + name + ": want " + strings.Join(values, ", "))}, code: exitUsage}
}
