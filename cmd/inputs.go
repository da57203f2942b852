package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/schema"
)

// inputs turns -f and --services into loader inputs, in the order given (-f first).
func (g *globalFlags) inputs() ([]schema.Input, error) {
	var in []schema.Input
	for _, f := range g.files {
		in = append(in, schema.Input{Path: f})
	}
	for _, s := range g.services {
		cluster, path, ok := strings.Cut(s, "=")
		if !ok || cluster == "" || path == "" {
			return nil, &exitError{err: flagError{fmt.Errorf("invalid --services %q: want CLUSTER=PATH", s)}, code: exitUsage}
		}
		in = append(in, schema.Input{Path: path, ServicesCluster: cluster})
	}
	return in, nil
}

// pipelineInputs is what -f, --services, --exclude and the size limits ask the pipeline to read.
func (g *globalFlags) pipelineInputs(e env) (pipeline.Inputs, error) {
	paths, err := g.inputs()
	return pipeline.Inputs{Paths: paths, Stdin: e.stdin, MaxFileSize: int64(g.maxFileSize), MaxTotalSize: int64(g.maxInput), Exclude: g.exclude}, err
}

// acceptPaths lets c take input paths as arguments, read as if each followed -f
// (`meshroute validate routing/` is `meshroute validate -f routing/`), after the -f ones.
func (g *globalFlags) acceptPaths(c *cobra.Command) {
	run := c.RunE
	c.Use += " [PATH]..."
	if c.Annotations == nil {
		c.Annotations = map[string]string{}
	}
	c.Annotations[pathsAnnotation] = "true"
	c.Args = cobra.ArbitraryArgs
	c.RunE = func(c *cobra.Command, args []string) error {
		g.files = append(g.files, args...)
		return run(c, nil)
	}
}
