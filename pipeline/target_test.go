package pipeline

import (
	"errors"
	"testing"

	"github.com/meshroute/meshroute/compiler/envoy"
	"github.com/meshroute/meshroute/compiler/model"
	_ "github.com/meshroute/meshroute/internal/goldentest" // the -update flag
)

// TestAdminPort: an explicit port a gateway uses is refused, naming the gateway; the default
// moves out of the listeners' way.
func TestAdminPort(t *testing.T) {
	m := func(ports ...uint32) *model.Model {
		g := &model.Gateway{Namespace: "gw", Name: "ingress"}
		for _, p := range ports {
			g.Listeners = append(g.Listeners, &model.Listener{Port: p})
		}
		return &model.Model{Clusters: []*model.Cluster{{Name: "c1", Gateways: []*model.Gateway{g}}}}
	}
	for _, tc := range []struct {
		name      string
		model     *model.Model
		want, got uint32
		refused   bool
	}{
		{"default free", m(8080), 0, envoy.DefaultAdminPort, false},
		{"default taken", m(9901, 9902, 8080), 0, 9903, false},
		{"explicit free", m(9901), 9000, 9000, false},
		{"explicit taken", m(8080, 9000), 9000, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := adminPort(tc.model, tc.want)
			var ape *AdminPortError
			if tc.refused != errors.As(err, &ape) || got != tc.got {
				t.Fatalf("adminPort(%d) = %d, %v; want %d, refused %v", tc.want, got, err, tc.got, tc.refused)
			}
			if tc.refused && ape.Error() != "gateway gw/ingress in cluster c1 listens on port 9000, the Envoy admin port" {
				t.Errorf("message %q", ape.Error())
			}
		})
	}
}

func TestLookup(t *testing.T) {
	for name, want := range map[string]string{"": TargetIstio, "istio": TargetIstio, "envoy": TargetEnvoy} {
		if tg, err := Lookup(name); err != nil || tg.Name() != want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", name, tg, err, want)
		}
	}
	if _, err := Lookup("nginx"); err == nil || err.Error() != `unknown target "nginx" (want istio or envoy)` {
		t.Errorf("Lookup(nginx) error %v", err)
	}
}
