package envoy

import (
	"fmt"
	"maps"
	"slices"
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

// Check applies Validate to every bootstrap Emit returned, so that no caller ships one Envoy
// would refuse. The error is the first failing bootstrap (clusters by name, then gateways in
// Emit's order), as an *InvalidBootstrapError.
func Check(out map[string][]Bootstrap) error {
	for _, c := range slices.Sorted(maps.Keys(out)) {
		for _, b := range out[c] {
			if err := Validate(b.Config); err != nil {
				return &InvalidBootstrapError{Cluster: c, Bootstrap: b, Err: err}
			}
		}
	}
	return nil
}
