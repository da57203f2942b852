package compiler

import (
	"cmp"
	"slices"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/naming"
)

// generated is one object the emitters will write, by kind, namespace and name.
type generated struct {
	kind, namespace, name string
	from                  model.Origin
}

// checkNames reports two generated objects of one cluster with the same kind, namespace and name
// (MR3008): the second would overwrite the first at apply time.
func (b *builder) checkNames() {
	var objs []generated // one cluster's at a time: reused, as a large fleet has millions
	for _, ci := range b.clusters {
		objs = objs[:0]
		for _, g := range ci.out.Gateways {
			objs = append(objs, generated{"Gateway", g.Namespace, g.Name, g.Origin})
		}
		for _, rs := range ci.out.RouteSets {
			objs = append(objs, generated{"VirtualService", rs.Namespace, rs.Name, rs.Origin})
		}
		for _, be := range ci.out.Backends {
			if be.ServiceEntry != "" {
				objs = append(objs, generated{"ServiceEntry", be.Namespace, be.ServiceEntry, be.Origin})
			}
			if be.DestinationRule != "" {
				objs = append(objs, generated{"DestinationRule", be.Namespace, be.DestinationRule, be.Origin})
			}
			for _, h := range be.OtherMTLSHosts() {
				objs = append(objs, generated{"DestinationRule", be.Namespace, naming.DestinationRule(h), be.Origin})
			}
			for _, r := range be.Remotes {
				if r.WorkloadEntry != "" {
					objs = append(objs, generated{"WorkloadEntry", be.Namespace, r.WorkloadEntry, be.Origin})
				}
			}
			for _, x := range be.Externals {
				if x.WorkloadEntry != "" {
					objs = append(objs, generated{"WorkloadEntry", be.Namespace, x.WorkloadEntry, be.Origin})
				}
			}
		}
		for _, is := range ci.out.Isolated {
			for _, p := range is.Ports {
				objs = append(objs, generated{"AuthorizationPolicy", is.Namespace, p.Name, is.Origin},
					generated{"PeerAuthentication", is.Namespace, p.Name, is.Origin})
			}
			if is.Sidecar != nil {
				objs = append(objs, generated{"Sidecar", is.Namespace, is.Sidecar.Name, is.Origin})
			}
		}
		for _, g := range ci.out.Access {
			objs = append(objs, generated{"AuthorizationPolicy", g.Namespace, g.Name, g.Origin})
		}
		// Sort by source so the first object keeps its name and the later one is reported,
		// whatever order the phases produced them in.
		slices.SortStableFunc(objs, func(x, y generated) int {
			return cmp.Or(cmp.Compare(x.kind, y.kind), cmp.Compare(x.namespace, y.namespace), cmp.Compare(x.name, y.name),
				cmp.Compare(x.from.Kind, y.from.Kind), cmp.Compare(x.from.Namespace, y.from.Namespace), cmp.Compare(x.from.Name, y.from.Name))
		})
		for i := 1; i < len(objs); i++ {
			p, o := objs[i-1], objs[i]
			if p.kind != o.kind || p.namespace != o.namespace || p.name != o.name || p.from == o.from {
				continue
			}
			b.report(diag.GeneratedNameCollision(o.from.Pos, o.kind, o.namespace, o.name, namespaced(o.from), namespaced(p.from)).
				WithObject(o.from.Ref(), "/metadata/name").
				WithRelated(p.from.Pos, "the object whose generated name it collides with").
				WithHint("generated names are cut to 63 characters and sanitised; rename one of the objects"))
		}
	}
}

// namespaced is "Kind namespace/name", with the slash even when the namespace is empty.
func namespaced(o model.Origin) string {
	return o.Kind + " " + o.Namespace + "/" + o.Name
}
