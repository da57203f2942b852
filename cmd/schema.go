package cmd

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/meshroute/meshroute/routetest"
	"github.com/meshroute/meshroute/schema"
)

// schemaKinds lists every kind with a schema: the inputs meshroute compiles and its RouteTest.
func schemaKinds() []string { return append(schema.SchemaKinds(), routetest.Kind) }

func kindSchema(kind string) ([]byte, bool) {
	if strings.EqualFold(kind, routetest.Kind) {
		return routetest.JSONSchema(), true
	}
	return schema.JSONSchema(kind)
}

func newSchemaCommand(e env, _ *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "schema [KIND]",
		Short: "Print the JSON Schema of an input kind, or list the kinds",
		Long: `Print the self-contained JSON Schema (draft 2020-12) of an input kind on standard output, for
editors' YAML language servers and other tools. KIND is case-insensitive. Without KIND, list
the kinds that have a schema.`,
		Example: `  # The kinds meshroute reads
  meshroute schema

  # Save the RouteTable schema for the YAML language server
  meshroute schema RouteTable > .schemas/routetable.json`,
		Args:      cobra.MaximumNArgs(1),
		ValidArgs: schemaKinds(),
		RunE: func(c *cobra.Command, args []string) error {
			kinds := schemaKinds()
			if len(args) == 0 {
				_, err := fmt.Fprintln(e.stdout, strings.Join(kinds, "\n"))
				return err
			}
			data, ok := kindSchema(args[0])
			if !ok {
				return usageErrorf("unknown kind %q: kinds with a schema are %s", args[0], strings.Join(kinds, ", "))
			}
			if !bytes.HasSuffix(data, []byte("\n")) {
				data = append(data, '\n')
			}
			_, err := e.stdout.Write(data)
			return err
		},
	}
}
