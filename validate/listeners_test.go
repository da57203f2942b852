package validate

import (
	"strings"
	"testing"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// MR3010 comes only from the conflicts the compiler recorded, one finding per record, at the
// later listener's port, naming the other VirtualGateway (and, for a refused listener, the
// cluster) only when the two listeners are in different ones.
func TestListenerConflictsReported(t *testing.T) {
	ref := func(vg string, index, line int) model.ListenerRef {
		return model.ListenerRef{Gateway: model.Origin{Kind: "VirtualGateway", Namespace: "gw", Name: vg}, Index: index, Pos: diag.Position{File: "vg.yaml", Line: line}}
	}
	conflict := func(later, earlier model.ListenerRef, reason string) *model.ListenerConflict {
		return &model.ListenerConflict{Cluster: "c1", GatewayNamespace: "gw", Service: "ingress", Port: 8443, Later: later, Earlier: earlier,
			Reason: reason, Protocols: [2]string{"HTTP", "HTTPS"}, FirstHost: "a.com", ServerName: "*.x.com"}
	}
	c := &model.Cluster{Name: "c1"}
	c.Conflicts.Listeners = []*model.ListenerConflict{
		conflict(ref("a", 1, 12), ref("a", 0, 10), model.ReasonProtocols),
		conflict(ref("b", 0, 30), ref("a", 0, 10), model.ReasonFirstHost),
	}
	c.Conflicts.ServerNames = []*model.ListenerConflict{conflict(ref("b", 2, 34), ref("a", 0, 10), model.ReasonServerName)}
	ds := checkListenerConflicts(&model.Model{Clusters: []*model.Cluster{c}}, newSources(&schema.Set{}))
	want := []string{
		"listener 1 conflicts with listener 0 on port 8443 of gateway Service gw/ingress: protocols HTTP and HTTPS on one port",
		"listener 0 conflicts with listener 0 of VirtualGateway gw/a on port 8443 of gateway Service gw/ingress in cluster c1: both HTTP with first host a.com",
		"listener 2 conflicts with listener 0 of VirtualGateway gw/a on port 8443 of gateway Service gw/ingress: both HTTPS with SNI server name *.x.com",
	}
	if len(ds) != len(want) {
		t.Fatalf("%d findings, want %d: %v", len(ds), len(want), ds)
	}
	for i, d := range ds {
		if d.Code != diag.CodeListenerConflict || d.Message != want[i] || !strings.HasSuffix(d.Path, "/port") || len(d.Related) != 1 || d.Related[0].Pos.Line != 10 {
			t.Errorf("finding %d: %v, want MR3010 %q related to line 10", i, d, want[i])
		}
	}
}
