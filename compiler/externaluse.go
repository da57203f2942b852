package compiler

import (
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/schema"
)

// useExternalsDirectly gives every cluster of an ExternalService's workspace (every cluster
// without Workspaces) the ExternalService's ServiceEntry, whether a route uses it or not: the
// proto says a workload may call its hosts directly, and Gloo writes the entry for every
// workload cluster of the workspace. That holds for wildcard hosts and address-only
// ExternalServices too, which no route can address (MR2027).
func (b *builder) useExternalsDirectly() {
	conflicting := b.checkExternalClaims()
	for _, es := range b.set.ExternalServices {
		xi := b.externalService(es.Namespace(), es.Name())
		if xi == nil || !xi.ok || conflicting[es] || !b.externalEmittable(es, xi) {
			continue
		}
		for _, ci := range b.clusters {
			if ci.extBackends[xi] != nil || !b.inWorkspaceCluster(&es.Object, ci) {
				continue
			}
			be := externalBackend(xi)
			ci.extBackends[xi] = be
			ci.out.Backends = append(ci.out.Backends, be)
		}
	}
}

// inWorkspaceCluster reports whether a workload cluster selector of obj's workspace selects ci
// (true without Workspaces).
func (b *builder) inWorkspaceCluster(obj *schema.Object, ci *clusterInfo) bool {
	w := b.ws.of[obj]
	if len(b.ws.workspaces) == 0 {
		return true
	}
	if w == nil {
		return false
	}
	return workspaceHasCluster(w, ci)
}

// externalEmittable refuses the one ExternalService shape Istio cannot take: CIDR addresses,
// which need STATIC or NONE resolution, with ExternalEndpoints named by DNS, which need DNS.
func (b *builder) externalEmittable(es *schema.ExternalService, xi *extInfo) bool {
	cidr := false
	for _, a := range es.Spec.Addresses {
		cidr = cidr || strings.Contains(a, "/")
	}
	if !cidr {
		return true
	}
	for _, ep := range xi.endpoints {
		if !ep.IsIP() {
			b.report(on(&es.Object, "/spec/selector", diag.ExternalDNSEndpointsWithCIDR(es.FieldPos("/spec/selector"), nsSlashName(&es.Object), ep.Address)).
				WithHint("select ExternalEndpoints with IP addresses, or list single addresses instead of CIDR blocks"))
			return false
		}
	}
	return true
}

// externalHosts are the hosts of an ExternalService's ServiceEntry: its own, or for an
// address-only one (Istio requires a host) <name>.<namespace>.external, a name no DNS answers.
func externalHosts(es *schema.ExternalService) []string {
	if len(es.Spec.Hosts) > 0 {
		return es.Spec.Hosts
	}
	return []string{naming.ExternalAddressHost(es.Name(), es.Namespace())}
}

// checkExternalClaims reports a host or address two ExternalServices of one workspace claim, or
// an ExternalService host that is a VirtualDestination's (MR3034): each would get a ServiceEntry
// of its own in the same cluster. It returns the ExternalServices reported, which get no entry.
func (b *builder) checkExternalClaims() map[*schema.ExternalService]bool {
	conflicting := map[*schema.ExternalService]bool{}
	type claim struct {
		ws    *schema.Workspace
		value string
	}
	first := map[claim]*schema.ExternalService{}
	vdHosts := map[string]*schema.VirtualDestination{}
	for _, vd := range b.set.VirtualDestinations {
		for _, h := range vd.Spec.Hosts {
			vdHosts[strings.ToLower(h)] = vd
		}
	}
	for _, es := range b.set.ExternalServices {
		check := func(what, field string, values []string) {
			for i, v := range values {
				at := field + "/" + strconv.Itoa(i)
				v = strings.ToLower(v)
				k := claim{b.ws.of[&es.Object], v}
				var other string
				var otherPos diag.Position
				if vd := vdHosts[v]; vd != nil && what == "host" {
					other, otherPos = "VirtualDestination "+nsSlashName(&vd.Object), vd.FieldPos("/spec/hosts")
				} else if o := first[k]; o != nil {
					other, otherPos = "ExternalService "+nsSlashName(&o.Object), o.FieldPos(field)
				} else {
					first[k] = es
					continue
				}
				conflicting[es] = true
				b.report(on(&es.Object, at, diag.ExternalHostConflict(es.FieldPos(at), what, v, nsSlashName(&es.Object), other)).
					WithRelated(otherPos, "also claimed here").
					WithHint("a host or address belongs to one ExternalService of a workspace, and not to a VirtualDestination"))
			}
		}
		check("host", "/spec/hosts", es.Spec.Hosts)
		check("address", "/spec/addresses", es.Spec.Addresses)
	}
	return conflicting
}
