package validate

import (
	"fmt"
	"strconv"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
)

// checkListenerConflicts reports the listener clashes the compiler settled (MR3010), in
// Cluster.Conflicts: listeners Build refused because an earlier one on the same port has
// another protocol or the same protocol and first host, and TLS listeners whose SNI names an
// earlier listener on the port of the gateway Service already took (compiler.Resolve: Envoy
// selects a filter chain by server name, so the later chain loses the name and is dropped when
// none is left; Istio merges or rejects the servers). Each finding is at the later listener's
// port; the rule decides nothing itself.
func checkListenerConflicts(m *model.Model, src *sources) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, c := range m.Clusters {
		for _, lc := range c.Conflicts.Listeners {
			ds = append(ds, listenerConflictDiag(lc, src))
		}
		for _, lc := range c.Conflicts.ServerNames {
			ds = append(ds, listenerConflictDiag(lc, src))
		}
		for _, lc := range c.Conflicts.L4 {
			ds = append(ds, l4ConflictDiag(lc))
		}
	}
	return ds
}

func listenerConflictDiag(lc *model.ListenerConflict, src *sources) diag.Diagnostic {
	later, earlier := lc.Later, lc.Earlier
	path, pos := "/spec/listeners/"+strconv.Itoa(later.Index)+"/port", later.Pos
	if o := src.objects[later.Gateway.Ref()]; o != nil {
		pos = o.FieldPos(path)
	}
	of, in := "", ""
	if earlier.Gateway.Ref() != later.Gateway.Ref() {
		of = fmt.Sprintf(" of VirtualGateway %s/%s", earlier.Gateway.Namespace, earlier.Gateway.Name)
		if lc.Reason != model.ReasonServerName {
			in = " in cluster " + lc.Cluster
		}
	}
	var why, hint string
	switch lc.Reason {
	case model.ReasonProtocols:
		why = fmt.Sprintf("protocols %s and %s on one port", lc.Protocols[0], lc.Protocols[1])
		hint = "put plain HTTP and TLS listeners on different ports of the gateway Service"
	case model.ReasonFirstHost:
		why = fmt.Sprintf("both %s with first host %s", lc.Protocols[0], lc.FirstHost)
		hint = "give the listeners different first hosts, or merge them"
	default:
		why = "both " + lc.Protocols[1] + " with SNI server name " + lc.ServerName
		hint = "Envoy picks one filter chain per server name (a partial wildcard such as *-shop.example.com is matched as *.example.com), so the later listener would be dropped; give the listeners disjoint hosts, put them on different ports, or merge them"
	}
	return diag.ListenerConflict(pos, later.Index, earlier.Index, of, lc.Port, lc.GatewayNamespace, lc.Service, in, why).
		WithObject(later.Gateway.Ref(), path).
		WithRelated(earlier.Pos, "the listener it conflicts with").
		WithHint("%s", hint)
}

// l4ConflictDiag is MR3030 at the later table's tcp or tls route: a gateway TCP port, or a TLS
// server name on a passthrough port, that an earlier table's route already takes (Resolve).
func l4ConflictDiag(lc *model.L4Conflict) diag.Diagnostic {
	later, first := lc.Later, lc.First
	list := "/spec/tcp/"
	var d diag.Diagnostic
	if lc.ServerName == "" {
		d = diag.TCPPortClaimedTwice(later.Route.Pos, later.Set.Origin.Namespace, later.Set.Origin.Name, lc.Listener.ServicePort,
			lc.Gateway.Namespace, lc.Gateway.Service, first.Set.Origin.Namespace, first.Set.Origin.Name)
	} else {
		list = "/spec/tls/"
		d = diag.SNIClaimedTwice(later.Route.Pos, later.Set.Origin.Namespace, later.Set.Origin.Name, lc.ServerName, lc.Listener.ServicePort,
			lc.Gateway.Namespace, lc.Gateway.Service, first.Set.Origin.Namespace, first.Set.Origin.Name)
	}
	return d.WithObject(later.Set.Origin.Ref(), list+strconv.Itoa(later.Route.Index)).
		WithRelated(first.Route.Pos, "the route that takes it").
		WithHint("only the first table in namespace/name order is served there; give each table its own listener port or SNI hosts, or merge the routes into one table")
}
