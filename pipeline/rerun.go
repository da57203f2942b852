package pipeline

import (
	"github.com/meshroute/meshroute/compiler"
	"github.com/meshroute/meshroute/compiler/model"
)

// VIPClaims is compiler.VIPClaims: what a model holds of the VIP allocation.
type VIPClaims = compiler.VIPClaims

// ClaimedVIPs is what a full model (before Select) holds of the VIP allocation. Its KeptBy says
// whether validating the same inputs again with those previous VIPs (Options.PreviousVIPs) gives
// the very same model: the previous output's VIPs are all the model takes from it.
func ClaimedVIPs(m *model.Model) VIPClaims { return compiler.ClaimedVIPs(m) }
