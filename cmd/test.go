package cmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/report"
	"github.com/meshroute/meshroute/routetest"
)

// Test report formats.
const formatJUnit = "junit"

func newTestCommand(e env, g *globalFlags) *cobra.Command {
	var target, output string
	var detailed bool
	var failUnder float64
	c := &cobra.Command{
		Use:   "test TESTFILE...",
		Short: "Run route unit tests: requests and where they must go, checked on the emitted config",
		Long: `Compile the inputs (-f) exactly as compile would, then send every request of the RouteTest
files through the emitted config of its cluster — Istio Gateways and VirtualServices, or with
--target envoy the Envoy route configuration — and compare the outcome with the expectation.
A request list (hosts, paths, methods) expands to every combination.

Prints one line per failing case (expected vs actual, the test's position and the matched
route's), the coverage (routes some case reached) and "N passed, M failed".

Exit code 0: every case passed and coverage is at least --fail-under; 1: a case failed, the
inputs do not compile, or coverage is too low; 2: the command could not run.`,
		Example: `  # Run the example's tests
  meshroute test -f examples/global-app examples/global-app/tests.yaml

  # The same tests on the Envoy output, listing routes no test reached
  meshroute test -f examples/global-app --target envoy --detailed-coverage examples/global-app/tests.yaml

  # In CI: JUnit for the test report, and fail under 80% route coverage
  meshroute test -f routing/ -o junit --fail-under 80 tests/ > meshroute-tests.xml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkEnum("target", target, targetIstio, targetEnvoy); err != nil {
				return err
			}
			if err := checkEnum("output", output, formatText, formatJSON, formatJUnit); err != nil {
				return err
			}
			if failUnder < 0 || failUnder > 100 {
				return &exitError{err: flagError{fmt.Errorf("--fail-under %g: want a percentage from 0 to 100", failUnder)}, code: exitUsage}
			}
			tests, tds, err := routetest.LoadFiles(args)
			if err != nil {
				return loadTestsError(err)
			}
			if diag.HasErrors(tds) {
				if err := report.Text(e.stderr, tds, e.color); err != nil {
					return err
				}
				return &exitError{code: exitProblems}
			}
			compiled, err := compileForTests(c.Context(), e, g, target)
			if err != nil {
				return err
			}
			rep := routetest.Run(compiled, tests)
			switch output {
			case formatJSON:
				err = routetest.WriteJSON(e.stdout, rep)
			case formatJUnit:
				err = routetest.WriteJUnit(e.stdout, rep)
			default:
				err = routetest.WriteText(e.stdout, rep, routetest.OutputOptions{DetailedCoverage: detailed, FailUnder: failUnder})
			}
			if err != nil {
				return err
			}
			if !rep.OK(failUnder) {
				return &exitError{code: exitProblems}
			}
			return nil
		},
	}
	fs := c.Flags()
	enumFlag(c, fs, &target, "target", "", targetIstio, "which emitted config to evaluate", targetIstio, targetEnvoy)
	enumFlag(c, fs, &output, "output", "o", formatText, "report format", formatText, formatJSON, formatJUnit)
	fs.BoolVar(&detailed, "detailed-coverage", false, "list every route no test reached, with its position")
	fs.Float64Var(&failUnder, "fail-under", 0, "exit 1 when route coverage is below this percentage")
	return c
}

// loadTestsError maps a test file that cannot be read to exit code 2.
func loadTestsError(err error) error {
	var ue *routetest.UsageError
	if errors.As(err, &ue) {
		return &exitError{err: err, code: exitUsage}
	}
	return err
}

// compileForTests compiles -f as compile does (the Envoy admin port moves out of the gateways'
// way: nothing binds it here); inputs that do not compile print their errors and exit 1, as
// compile would refuse them.
func compileForTests(ctx context.Context, e env, g *globalFlags, target string) (*routetest.Compiled, error) {
	in, err := g.pipelineInputs(e)
	if err != nil {
		return nil, err
	}
	res, ds, err := pipeline.Compile(ctx, in, pipeline.Options{Target: target})
	if err != nil {
		return nil, &exitError{err: err, code: exitUsage}
	}
	if res == nil {
		errs, _ := diag.Split(ds, diag.Error)
		if err := report.Text(e.stderr, errs, e.color); err != nil {
			return nil, err
		}
		return nil, &exitError{err: errors.New("the inputs do not compile; fix the errors above first"), code: exitProblems}
	}
	return routetest.New(res), nil
}
