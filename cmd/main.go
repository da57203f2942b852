// Package cmd is meshroute's command line: cobra commands that turn flags into library calls and
// print the result. Nothing below cmd reads flags or exits.
package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/meshroute/meshroute/schema"
)

// Exit codes (DESIGN.md §5), the same for every output format.
const (
	exitOK       = 0 // success
	exitProblems = 1 // the work found problems (errors, findings at --fail-on or above)
	exitUsage    = 2 // the command could not run (bad flag, missing path, no input objects)
)

// exitError carries an exit code up to Main, the one place that maps errors to codes. A nil err
// means everything has been reported already (the diagnostics were printed).
type exitError struct {
	err  error
	code int
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit code %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErrorf is a problem that stops the command from running (exit code 2).
func usageErrorf(format string, args ...any) error {
	return &exitError{err: fmt.Errorf(format, args...), code: exitUsage}
}

// env is what a command may touch of the outside world; tests build their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// color: text on stderr may carry colour (a terminal, NO_COLOR unset).
	color bool
	// stdoutColor: the same for standard output, decided on its own: `explain … > file` run
	// from a terminal must not write escape codes into the file (DESIGN.md §5).
	stdoutColor bool
	// workDir turns absolute paths into repository-relative ones in SARIF output.
	workDir string
	// progress: stderr is a terminal that can redraw a line (compile's progress line).
	progress bool
}

// Main runs the command line with the process's arguments and streams and returns the exit code.
func Main() int {
	wd, _ := os.Getwd()
	return run(os.Args[1:], env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		color: wantColor(os.Stderr, os.Getenv), stdoutColor: wantColor(os.Stdout, os.Getenv), workDir: wd,
		progress: isTerminal(os.Stderr) && os.Getenv("TERM") != "dumb",
	})
}

// run executes one command line and maps its error to an exit code.
func run(args []string, e env) int {
	root := newRootCommand(e)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	code := exitUsage
	var ee *exitError
	var ue *schema.UsageError
	switch {
	case errors.As(err, &ee):
		code = ee.code
		err = ee.err
	case errors.As(err, &ue):
		code = exitUsage
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "Error: %v\n", err)
		if code == exitUsage && isFlagError(err) {
			fmt.Fprintf(e.stderr, "Run '%s --help' for usage.\n", commandPath(root, args))
		}
	}
	return code
}

// wantColor: colour only on a terminal and only when NO_COLOR is unset or empty
// (https://no-color.org); TERM=dumb terminals get none either.
func wantColor(f *os.File, getenv func(string) string) bool {
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	return isTerminal(f)
}

func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
