package cmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// cliState is what a command needs from the root: the streams and the shared input flags. The
// root puts it in the command context, so a constructor that takes no arguments reaches it
// through the *cobra.Command it is handed (constructors taking (env, *globalFlags) get it
// directly).
type cliState struct {
	env   env
	flags *globalFlags
}

type cliStateKey struct{}

// plain adapts a constructor without arguments to the subcommands list.
func plain(newCommand func() *cobra.Command) func(env, *globalFlags) *cobra.Command {
	return func(env, *globalFlags) *cobra.Command { return newCommand() }
}

// stateOf returns the root's state for a running command.
func stateOf(c *cobra.Command) cliState {
	if ctx := c.Context(); ctx != nil {
		if s, ok := ctx.Value(cliStateKey{}).(cliState); ok {
			return s
		}
	}
	// Not run through the root (a test calling RunE directly): the command's own streams.
	return cliState{
		env:   env{stdin: c.InOrStdin(), stdout: c.OutOrStdout(), stderr: c.ErrOrStderr()},
		flags: &globalFlags{maxFileSize: defaultMaxFileSize},
	}
}

func withState(root *cobra.Command, e env, g *globalFlags) {
	root.SetContext(context.WithValue(context.Background(), cliStateKey{}, cliState{env: e, flags: g}))
}

// checkInputs loads -f/--services and runs every check, exactly as validate and compile do;
// for commands that reach the root through stateOf. Its error carries the exit code.
func checkInputs(c *cobra.Command) (*model.Model, []diag.Diagnostic, error) {
	s := stateOf(c)
	return check(s.env, s.flags, &checkFlags{})
}

// loadInputs only loads -f/--services.
func loadInputs(c *cobra.Command) (*schema.Set, []diag.Diagnostic, error) {
	s := stateOf(c)
	return s.flags.load(s.env)
}
