// Package istio translates meshroute's routing model into Istio networking/v1 objects, one set per
// cluster (DESIGN.md §3). It makes no routing decision of its own: every name, host, port, weight
// and order comes from the model, so what `validate`, `test` and `explain` see is what ships.
package istio

import (
	"cmp"
	"slices"

	"google.golang.org/protobuf/proto"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/naming"
	"github.com/meshroute/meshroute/render"
)

// APIVersion is the Istio networking API every emitted object uses.
const APIVersion = "networking.istio.io/v1"

// Emitted kinds.
const (
	KindGateway         = "Gateway"
	KindVirtualService  = "VirtualService"
	KindServiceEntry    = "ServiceEntry"
	KindWorkloadEntry   = "WorkloadEntry"
	KindDestinationRule = "DestinationRule"
)

// Labels meshroute puts on every object, so `kubectl get -l` and `kubectl apply --prune -l` can
// find exactly what it wrote and where it came from.
const (
	LabelManagedBy       = "app.kubernetes.io/managed-by"
	LabelParentKind      = "meshroute.dev/parent-kind"
	LabelParentName      = "meshroute.dev/parent-name"
	LabelParentNamespace = "meshroute.dev/parent-namespace"
	ManagedBy            = "meshroute"
)

// Emit returns, for every cluster of the model, its Istio objects sorted by kind, namespace and
// name. A cluster with nothing to emit maps to an empty list, so callers can still write (or
// prune) its folder.
func Emit(m *model.Model) map[string][]render.Object {
	out := make(map[string][]render.Object, len(m.Clusters))
	for _, c := range m.Clusters {
		out[c.Name] = emitCluster(c)
	}
	return out
}

func emitCluster(c *model.Cluster) []render.Object {
	objs := []render.Object{}
	for _, g := range c.Gateways {
		objs = append(objs, gateway(g))
	}
	for _, rs := range c.RouteSets {
		objs = append(objs, virtualService(rs))
	}
	for _, b := range c.Backends {
		objs = append(objs, backendObjects(b)...)
	}
	for _, is := range c.Isolated {
		objs = append(objs, isolationObjects(is)...)
	}
	for _, g := range c.Access {
		objs = append(objs, accessObject(g))
	}
	slices.SortStableFunc(objs, compareObjects)
	return objs
}

func compareObjects(a, b render.Object) int {
	return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
}

// object wraps a spec with the envelope and labels every emitted object carries.
func object(kind, namespace, name string, origin model.Origin, spec proto.Message) render.Object {
	return render.Object{
		APIVersion: APIVersion,
		Kind:       kind,
		Name:       name,
		Namespace:  namespace,
		Labels:     labels(origin),
		Spec:       spec,
	}
}

// labels are the meshroute labels of an object generated from origin; values are sanitised like
// names because Kubernetes label values have the same character set and length limit.
func labels(origin model.Origin) map[string]string {
	return map[string]string{
		LabelManagedBy:       ManagedBy,
		LabelParentKind:      naming.DNSName(origin.Kind),
		LabelParentName:      naming.DNSName(origin.Name),
		LabelParentNamespace: naming.DNSName(origin.Namespace),
	}
}
