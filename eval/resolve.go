package eval

import (
	"fmt"
	"strings"

	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// Inventory answers the questions an evaluator cannot answer from emitted config alone: which
// gateway Service a user means and which input object a destination host stands for. It reads
// only the loaded inputs (Services, VirtualDestinations, Clusters), never the routing model.
type Inventory struct {
	Cluster string
	Domain  string
	set     *schema.Set
}

// NewInventory scopes the loaded inputs to one cluster.
func NewInventory(set *schema.Set, cluster string) *Inventory {
	inv := &Inventory{Cluster: cluster, Domain: "cluster.local", set: set}
	if set != nil {
		if c := set.Cluster(cluster); c != nil {
			inv.Domain = c.Domain()
		}
	}
	return inv
}

// Service finds a Service of the inventory's cluster.
func (inv *Inventory) Service(namespace, name string) *schema.Service {
	if inv.set == nil {
		return nil
	}
	for _, s := range inv.set.Services {
		if s.Cluster == inv.Cluster && s.Namespace() == namespace && s.Name() == name {
			return s
		}
	}
	return nil
}

// How well a gateway listener on one target port suits a request that names no port, best last:
// a test or explain without a port means "where this host is served", not the port-80 listener
// that only redirects to https.
const (
	PortNoListener   = iota // nothing listens
	PortRedirectOnly        // every server for the host answers with an https redirect
	PortListener            // a listener, but none of its servers serves the host
	PortServesHost          // a server accepts the host and routes it
)

// GatewayPort resolves a gateway Service and one of its ports to the Service port and the
// numeric target port the gateway pod listens on. With port 0 it picks the first Service port
// whose target port ranks highest by rank (the evaluator's PortNoListener … PortServesHost).
func (inv *Inventory) GatewayPort(g GatewayRef, port uint32, rank func(target uint32) int) (svcPort, target uint32, err error) {
	svc := inv.Service(g.Namespace, g.Service)
	if svc == nil {
		return 0, 0, fmt.Errorf("no Service %s in cluster %s", g, inv.Cluster)
	}
	var ports []string
	best := PortNoListener
	for _, p := range svc.Spec.Ports {
		t, name := p.Target()
		if name != "" {
			// A named target port needs the pod spec, which the inventory does not have.
			continue
		}
		ports = append(ports, fmt.Sprint(p.Port))
		if port != 0 {
			if port == p.Port {
				return p.Port, t, nil
			}
			continue
		}
		if r := rank(t); r > best {
			best, svcPort, target = r, p.Port, t
		}
	}
	switch {
	case port == 0 && best > PortNoListener:
		return svcPort, target, nil
	case port == 0:
		return 0, 0, fmt.Errorf("gateway %s has no listener on any of its ports (%s)", g, strings.Join(ports, ", "))
	}
	return 0, 0, fmt.Errorf("Service %s has no port %d (ports: %s)", g, port, strings.Join(ports, ", "))
}

// Source resolves a destination host back to the input object it stands for: a Service FQDN
// <svc>.<ns>.svc.<domain> of this cluster, a federated <svc>.<ns>.svc.<cluster>.global host, or a
// VirtualDestination or ExternalService host (or one an ExternalService's wildcard host covers).
func (inv *Inventory) Source(host string) Source {
	host = strings.ToLower(host)
	if name, ns, domain, ok := naming.ParseServiceFQDN(host); ok && domain == inv.Domain {
		return Source{Kind: schema.KindService, Namespace: ns, Name: name, Cluster: inv.Cluster}
	}
	if name, ns, cluster, ok := naming.ParseFederatedHost(host); ok {
		return Source{Kind: schema.KindService, Namespace: ns, Name: name, Cluster: cluster}
	}
	if inv.set != nil {
		for _, vd := range inv.set.VirtualDestinations {
			for _, h := range vd.Spec.Hosts {
				if strings.EqualFold(h, host) {
					return Source{Kind: schema.KindVirtualDestination, Namespace: vd.Namespace(), Name: vd.Name()}
				}
			}
		}
		for _, es := range inv.set.ExternalServices {
			for _, h := range es.Spec.Hosts {
				if ok, _, _ := HostMatch(strings.ToLower(h), host); ok {
					return Source{Kind: schema.KindExternalService, Namespace: es.Namespace(), Name: es.Name()}
				}
			}
		}
	}
	return Source{}
}
