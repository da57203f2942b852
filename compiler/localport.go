package compiler

import (
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/schema"
)

// withLocalPorts returns copies of ports with LocalPort set to the port of s that forwards to
// each TargetPort: what a client outside the mesh (the Envoy target) must dial on the Service's
// ClusterIP. Copies, because the same port list may describe other clusters' backends.
func withLocalPorts(ports []*model.BackendPort, s *schema.Service) []*model.BackendPort {
	out := make([]*model.BackendPort, len(ports))
	for i, p := range ports {
		cp := *p
		for _, sp := range s.Spec.Ports {
			if n, _ := sp.Target(); n != 0 && n == p.TargetPort {
				cp.LocalPort = sp.Port
				break
			}
		}
		out[i] = &cp
	}
	return out
}
