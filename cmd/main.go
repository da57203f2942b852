// Package cmd is meshroute's command line: cobra commands that turn flags into library calls and
// print the result. Nothing below cmd reads flags or exits.
package cmd

// Main runs the command line and returns the process exit code.
// TODO(cli helper): the cobra root command.
func Main() int { return 0 }
