package compiler

import (
	"cmp"
	"slices"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/schema"
)

// destCandidate is one destination host a DestinationSelector can pick in a cluster, with the
// metadata and ports of the object behind it.
type destCandidate struct {
	obj    *schema.Object          // the Service or VirtualDestination
	dest   model.PolicyDestination // Port 0
	labels map[string]string
	ports  []destPort
}

type destPort struct {
	number uint32
	name   string
}

func serviceCandidate(svc *schema.Service, host string, port uint32) destCandidate {
	c := destCandidate{
		obj:    &svc.Object,
		dest:   model.PolicyDestination{Host: host, Kind: schema.DestService, Namespace: svc.Namespace(), Name: svc.Name(), Cluster: svc.Cluster},
		labels: svc.Metadata.Labels,
	}
	for _, p := range svc.Spec.Ports {
		if port == 0 || p.Port == port {
			c.ports = append(c.ports, destPort{p.Port, p.Name})
		}
	}
	return c
}

func externalCandidate(es *schema.ExternalService, host string, port uint32) destCandidate {
	c := destCandidate{
		obj:    &es.Object,
		dest:   model.PolicyDestination{Host: host, Kind: schema.DestExternalService, Namespace: es.Namespace(), Name: es.Name()},
		labels: es.Metadata.Labels,
	}
	for _, p := range es.Spec.Ports {
		if port == 0 || p.Number == port {
			c.ports = append(c.ports, destPort{p.Number, p.Name})
		}
	}
	return c
}

func vdCandidate(vd *vdInfo, host string, port uint32) destCandidate {
	c := destCandidate{
		obj:    &vd.vd.Object,
		dest:   model.PolicyDestination{Host: host, Kind: schema.DestVirtualDestination, Namespace: vd.vd.Namespace(), Name: vd.vd.Name()},
		labels: vd.vd.Metadata.Labels,
	}
	for _, p := range vd.vd.Spec.Ports {
		if port == 0 || p.Number == port {
			c.ports = append(c.ports, destPort{number: p.Number})
		}
	}
	return c
}

// destinationCandidates lists the destination hosts clients in the cluster can address: its own
// Services, the federated hosts of other clusters' Services its routes use, and every host of
// every VirtualDestination, and every host of the ExternalServices with a ServiceEntry here
// (those of the cluster's workspaces and those its routes use).
func (b *builder) destinationCandidates(ci *clusterInfo) []destCandidate {
	var out []destCandidate
	for _, svc := range ci.services {
		out = append(out, serviceCandidate(svc, svc.Name()+"."+svc.Namespace()+".svc."+ci.out.Domain, 0))
	}
	for _, be := range ci.out.Backends {
		if be.Kind != model.BackendFederated {
			continue
		}
		for _, other := range b.clusters {
			if svc := other.svc[nsName{be.Origin.Namespace, be.Origin.Name}]; other != ci && svc != nil &&
				be.Host == svc.Name()+"."+svc.Namespace()+".svc."+other.name+".global" {
				out = append(out, serviceCandidate(svc, be.Host, 0))
			}
		}
	}
	for _, vd := range b.vds {
		for _, h := range vd.hosts {
			out = append(out, vdCandidate(vd, h, 0))
		}
	}
	for _, be := range ci.out.Backends {
		if be.Kind != model.BackendExternal {
			continue
		}
		if xi := b.externals[nsName{be.Origin.Namespace, be.Origin.Name}]; xi != nil {
			for _, h := range be.Hosts {
				out = append(out, externalCandidate(xi.es, h, 0))
			}
		}
	}
	return out
}

// selectDestinations returns the destinations the selectors pick (every candidate when all is
// set), one per host and selected port, sorted; inScope says whether selector sel (-1: all) may
// reach a candidate it matches.
func selectDestinations(cands []destCandidate, sels []schema.DestinationSelector, all bool, inScope func(sel int, c destCandidate) bool) []model.PolicyDestination {
	var out []model.PolicyDestination
	for _, c := range cands {
		if all {
			if inScope(-1, c) {
				out = append(out, c.dest)
			}
			continue
		}
		for i, s := range sels {
			if !destinationMatches(c, s) || !inScope(i, c) {
				continue
			}
			d := c.dest
			if s.Port.IsSet() {
				d.Port = selectedPort(c, s.Port)
			}
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b model.PolicyDestination) int {
		return cmp.Or(cmp.Compare(a.Host, b.Host), cmp.Compare(a.Port, b.Port))
	})
	return slices.Compact(out)
}

// destinationMatches applies one DestinationSelector: kind (SERVICE when left out), the object
// selector (every field left out means any; a VirtualDestination has no cluster, so a selector
// naming one does not pick it), and the port when one is named.
func destinationMatches(c destCandidate, s schema.DestinationSelector) bool {
	if s.DestinationKind() != c.dest.Kind {
		return false
	}
	if o := s.Selector; o != nil {
		if o.Name != "" && o.Name != c.dest.Name || o.Namespace != "" && o.Namespace != c.dest.Namespace ||
			o.Cluster != "" && o.Cluster != c.dest.Cluster || !subset(o.Labels, c.labels) {
			return false
		}
	}
	return !s.Port.IsSet() || selectedPort(c, s.Port) != 0
}

// selectedPort returns the number of the candidate's port the selector names, or 0.
func selectedPort(c destCandidate, p *schema.PortSelector) uint32 {
	for _, cp := range c.ports {
		if p.Number != 0 && cp.number == p.Number || p.Name != "" && cp.name == p.Name {
			return cp.number
		}
	}
	return 0
}
