package envoy

import (
	"fmt"
	"maps"
	"slices"

	"github.com/meshroute/meshroute/compiler/model"
)

// InvalidBootstrapError is an emitted bootstrap that Envoy would refuse. The model it came from
// passed every check, so it is a bug in meshroute, never something the input can fix.
type InvalidBootstrapError struct {
	Cluster   string
	Bootstrap Bootstrap
	Err       error
}

func (e *InvalidBootstrapError) Error() string {
	return fmt.Sprintf("internal error: Envoy would refuse the bootstrap %s/%s (gateway %s/%s), a bug in meshroute (please report it with the input): %v",
		e.Cluster, e.Bootstrap.FileName(), e.Bootstrap.Gateway.Namespace, e.Bootstrap.Gateway.Name, e.Err)
}

func (e *InvalidBootstrapError) Unwrap() error { return e.Err }

// EmitChecked is Emit followed by Validate on every bootstrap, so that no caller can ship one
// Envoy would refuse. The error is the first failing bootstrap (clusters by name, then
// gateways in Emit's order), as an *InvalidBootstrapError; the bootstraps are then nil.
func EmitChecked(m *model.Model, opts Options) (map[string][]Bootstrap, error) {
	out := Emit(m, opts)
	for _, c := range slices.Sorted(maps.Keys(out)) {
		for _, b := range out[c] {
			if err := Validate(b.Config); err != nil {
				return nil, &InvalidBootstrapError{Cluster: c, Bootstrap: b, Err: err}
			}
		}
	}
	return out, nil
}
