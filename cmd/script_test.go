package cmd

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/meshroute/meshroute/internal/goldentest"
)

// TestMain lets the scripts run meshroute as a program: the test binary re-executes itself
// as "meshroute", so exit codes and the two streams are observed exactly as a user sees them.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"meshroute": func() { os.Exit(Main()) },
	})
}

// TestScripts runs cmd/testdata/script/*.txtar. Each script starts in a folder holding a copy of
// examples/global-app (as global-app/); $EXAMPLES is the repository's examples folder, to read
// the other examples in place. -update rewrites the files the scripts cmp against.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		UpdateScripts:       *goldentest.Update,
		RequireExplicitExec: true,
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"exits": exits},
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			env.Setenv("EXAMPLES", goldentest.Path("examples"))
			return copyDir(goldentest.Path("examples", "global-app"), filepath.Join(env.WorkDir, "global-app"))
		},
	})
}

// exits CODE PROGRAM [ARGS...] runs a program like exec and checks its exact exit code, which
// exec cannot (DESIGN.md §5 tells 1 from 2).
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

func copyDir(from, to string) error {
	return filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
}
