package envoy

import (
	"errors"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
)

// TestCheck: a bootstrap that Validate refuses fails the check; the error names it.
func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(m *model.Model)
		opts   Options
		want   string // substring of the error; "" = no error
	}{
		{"valid", func(*model.Model) {}, Options{}, ""},
		// A status the schema would have refused: the model is broken, as a bug would break it.
		{"invalid direct response", func(m *model.Model) {
			m.Clusters[0].RouteSets[0].Routes[3].DirectResponse.Status = 99
		}, Options{}, "internal error: Envoy would refuse the bootstrap cluster-1/envoy-gateways-virtualgateway-ingress-gloo-mesh.yaml (gateway gateways/virtualgateway-ingress-gloo-mesh)"},
		// Envoy's load rules apply too, not only the proto rules.
		{"admin port on a listener's port", func(*model.Model) {}, Options{AdminPort: 8080}, "binds too"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := fixture()
			tc.break_(m)
			out := Emit(m, tc.opts)
			err := Check(out)
			if tc.want == "" {
				if err != nil || len(out["cluster-1"]) != 1 {
					t.Fatalf("Check of %d bootstraps = %v; want 1, no error", len(out["cluster-1"]), err)
				}
				return
			}
			var ib *InvalidBootstrapError
			if !errors.As(err, &ib) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want an *InvalidBootstrapError containing %q", err, tc.want)
			}
		})
	}
}
