package compiler

import (
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
)

// sniOwner is the TLS listener that took a server name on a port of the gateway Service.
type sniOwner struct {
	g *model.Gateway
	l *model.Listener
}

// serverNames is the SNI list of TLS listener l of g: none for "*" (any name), else every name
// not taken by an earlier TLS listener on the port of the gateway Service, in this Gateway or
// another of the workload. ok is false when nothing is left. A name l loses is a conflict
// (MR3010), recorded once per listener against the first owner it meets.
func (r *resolver) serverNames(g *model.Gateway, l *model.Listener) (names []string, ok bool) {
	taken := r.sni[l.Port]
	if taken == nil {
		taken = map[string]sniOwner{}
		r.sni[l.Port] = taken
	}
	sni := make([]string, len(l.Hosts))
	for i, h := range l.Hosts {
		sni[i] = model.SNIName(h)
	}
	if slices.Contains(sni, "*") {
		sni = []string{"*"} // the fallback chain: it takes only "*" itself
	}
	lost := false
	for _, h := range sni {
		k := strings.ToLower(h)
		if o, dup := taken[k]; dup {
			if !lost {
				lost = true
				r.cluster.Conflicts.ServerNames = append(r.cluster.Conflicts.ServerNames, &model.ListenerConflict{
					Cluster:          r.cluster.Name,
					GatewayNamespace: g.Namespace,
					Service:          g.Service,
					Port:             l.Port,
					Later:            listenerRef(g, l),
					Earlier:          listenerRef(o.g, o.l),
					Reason:           model.ReasonServerName,
					Protocols:        [2]string{o.l.Protocol, l.Protocol},
					ServerName:       k,
				})
			}
			continue
		}
		taken[k] = sniOwner{g, l}
		names = append(names, h)
	}
	if len(names) == 1 && names[0] == "*" {
		return nil, true
	}
	return names, len(names) > 0
}

// listenerRef names listener l of g's VirtualGateway.
func listenerRef(g *model.Gateway, l *model.Listener) model.ListenerRef {
	return model.ListenerRef{Gateway: g.Origin, Index: l.Index, Pos: l.Pos}
}
