package pipeline

import (
	"github.com/meshroute/meshroute/compiler"
	"github.com/meshroute/meshroute/compiler/model"
)

// VIPsKept reports whether validating the same inputs again with previous as
// Options.PreviousVIPs gives the very model m (a full model, before Select): the previous
// output's VIPs are all the model takes from the previous output (compiler.VIPsKept).
func VIPsKept(m *model.Model, previous map[string]string) bool {
	return compiler.VIPsKept(m, previous)
}
