// Command meshroute compiles multicluster Gloo Mesh routing config into per-cluster Istio or
// Envoy config.
package main

import (
	"os"

	"github.com/meshroute/meshroute/cmd"
)

func main() { os.Exit(cmd.Main()) }
