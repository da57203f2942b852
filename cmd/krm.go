package cmd

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/meshroute/meshroute/krm"
)

func newKRMCommand(e env, g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "krm",
		Short: "Run as a KRM function (kpt, kustomize): a ResourceList on standard input, one on standard output",
		Long: `Read a ` + krm.APIVersion + ` ResourceList on standard input, take its items as the inputs
(routing objects and inventory), run every check compile runs and write a ResourceList to
standard output: the compiled Istio objects as items, each annotated with
internal.config.kubernetes.io/path: <cluster>/<kind>-<namespace>-<name>.yaml (the --out-dir
layout), and the diagnostics as results. Items of kinds meshroute does not read pass through.

functionConfig (optional, e.g. a ConfigMap): data.cluster names the clusters to emit
(comma-separated); without it every declared cluster is emitted.

Exit code 1 when a result is an error (the items then come back unchanged); 2 when standard
input is not a ResourceList. See docs/krm.md.`,
		Example: `  # kpt, on a folder of routing config
  kpt fn eval routing/ --exec "meshroute krm" --output unwrap -- cluster=cluster-1

  # By hand
  kpt fn source routing/ | meshroute krm`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if len(g.files) > 0 || len(g.services) > 0 {
				return flagErrorf("meshroute krm reads its inputs from the ResourceList on standard input: -f and --services do not apply")
			}
			limit := int64(g.maxFileSize)
			in, err := io.ReadAll(io.LimitReader(e.stdin, limit+1))
			if err != nil {
				return usageErrorf("reading standard input: %v", err)
			}
			if int64(len(in)) > limit {
				return usageErrorf("the ResourceList is larger than the %d-byte limit (--max-file-size)", limit)
			}
			out, failed, err := krm.Run(in, krm.Options{MaxFileSize: limit})
			if err != nil {
				return usageErrorf("%v", err)
			}
			if _, err := e.stdout.Write(out); err != nil {
				return err
			}
			if failed {
				fmt.Fprintln(e.stderr, "meshroute krm: the results hold an error; nothing was compiled")
				return &exitError{code: exitProblems}
			}
			return nil
		},
	}
}
