package validate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// namespacesByName indexes where objects of one kind are declared: name → sorted namespaces.
type namespacesByName map[string][]string

func (n namespacesByName) add(o *schema.Object) {
	if !slices.Contains(n[o.Name()], o.Namespace()) {
		n[o.Name()] = append(n[o.Name()], o.Namespace())
		slices.Sort(n[o.Name()])
	}
}

// checkImplicitNamespaces warns (MR4014) about a RouteTable without metadata.namespace whose
// references without a namespace name an object that exists somewhere: they are resolved in
// "default" only because of the loader's fallback (DESIGN.md §1), while kubectl apply -n, Argo
// CD or Flux would put the table in their target namespace and resolve them there. References
// to names that exist nowhere are left to the MR2xxx errors. One finding per table, with each
// such reference as a related position.
func checkImplicitNamespaces(src *sources) []diag.Diagnostic {
	gateways, destinations, services := namespacesByName{}, namespacesByName{}, namespacesByName{}
	for _, o := range src.set.VirtualGateways {
		gateways.add(&o.Object)
	}
	for _, o := range src.set.VirtualDestinations {
		destinations.add(&o.Object)
	}
	for _, o := range src.set.Services {
		services.add(&o.Object)
	}
	var ds []diag.Diagnostic
	for _, rt := range src.set.RouteTables {
		if !rt.NamespaceDefaulted() {
			continue
		}
		var related []diag.Related
		check := func(path, what string, ref schema.ObjectReference, index namespacesByName) {
			if ref.Namespace != "" || ref.Name == "" || len(index[ref.Name]) == 0 {
				return
			}
			related = append(related, diag.Related{Pos: rt.FieldPos(path), Message: implicitResolution(what, ref.Name, index[ref.Name])})
		}
		for i, ref := range rt.Spec.VirtualGateways {
			check(fmt.Sprintf("/spec/virtualGateways/%d", i), "VirtualGateway", ref, gateways)
		}
		checkDest := func(path string, d schema.DestinationReference) {
			switch d.DestinationKind() {
			case schema.DestService:
				check(path+"/ref", "Service", d.Ref, services)
			case schema.DestVirtualDestination:
				check(path+"/ref", "VirtualDestination", d.Ref, destinations)
			}
		}
		if d := rt.Spec.DefaultDestination; d != nil {
			checkDest("/spec/defaultDestination", *d)
		}
		for i, r := range rt.Spec.HTTP {
			if r.ForwardTo == nil {
				continue
			}
			for j, d := range r.ForwardTo.Destinations {
				checkDest(fmt.Sprintf("%s/forwardTo/destinations/%d", routePath(i), j), d)
			}
		}
		if len(related) == 0 {
			continue
		}
		refs := "1 reference without a namespace resolves"
		if len(related) > 1 {
			refs = fmt.Sprintf("%d references without a namespace resolve", len(related))
		}
		d := diag.ImplicitNamespace(rt.FieldPos("/metadata"), refs).
			WithObject(rt.Ref(), "/metadata").
			WithHint("set metadata.namespace: kubectl apply -n, Argo CD and Flux put an object without one in their target namespace, where these references would resolve differently")
		d.Related = related
		ds = append(ds, d)
	}
	return ds
}

// implicitResolution says where a reference without a namespace, read in default, goes.
func implicitResolution(what, name string, namespaces []string) string {
	others := slices.DeleteFunc(slices.Clone(namespaces), func(ns string) bool { return ns == "default" })
	where := "namespace " + strings.Join(others, ", ")
	if len(others) > 1 {
		where = "namespaces " + strings.Join(others, ", ")
	}
	switch {
	case len(others) == len(namespaces):
		return fmt.Sprintf("%s %s is looked up in default, which has none; %s %s one", what, name, where, has(len(others)))
	case len(others) > 0:
		return fmt.Sprintf("%s %s resolves to default/%s; %s %s one too", what, name, name, where, has(len(others)))
	}
	return fmt.Sprintf("%s %s resolves to default/%s only because of the fallback", what, name, name)
}

func has(n int) string {
	if n == 1 {
		return "has"
	}
	return "have"
}
