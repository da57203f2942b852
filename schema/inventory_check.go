package schema

import (
	"fmt"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/diag"
)

// assignClusters gives every Service its cluster: --services CLUSTER first, then the
// meshroute.dev/cluster annotation, then the only declared cluster (DESIGN.md §1).
func (st *loadState) assignClusters() {
	s := st.set
	for _, c := range s.Clusters {
		if c.Spec.Role == ClusterRoleManagement {
			s.ManagementClusters = append(s.ManagementClusters, c)
		}
	}
	s.Clusters = slices.DeleteFunc(s.Clusters, func(c *Cluster) bool { return c.Spec.Role == ClusterRoleManagement })
	names := make([]string, len(s.Clusters))
	for i, c := range s.Clusters {
		names[i] = c.Name()
	}
	kept := s.Services[:0]
	for _, svc := range s.Services {
		fromFlag := svc.Cluster != ""
		if !fromFlag {
			svc.Cluster = svc.Metadata.Annotations[AnnotationCluster]
		}
		switch {
		case svc.Cluster == "" && len(names) == 1:
			svc.Cluster = names[0]
		case svc.Cluster == "" && len(names) == 0:
			st.report(diag.ServiceWithoutCluster(svc.Pos, svc.Ref().Name).
				WithObject(svc.Ref(), "").
				WithHint("declare the cluster with a meshroute.dev/v1alpha1 Cluster object"))
			continue
		case svc.Cluster == "":
			st.report(diag.ServiceClusterUnknown(svc.Pos, svc.Namespace(), svc.Name(), AnnotationCluster, len(names)).
				WithObject(svc.Ref(), "/metadata").
				WithHint("annotate it with %s: <cluster> or load it with --services CLUSTER=PATH (clusters: %s)",
					AnnotationCluster, strings.Join(names, ", ")))
			continue
		case slices.ContainsFunc(s.ManagementClusters, func(c *Cluster) bool { return c.Name() == svc.Cluster }):
			st.report(diag.ServiceInManagementCluster(svc.Pos, svc.Namespace(), svc.Name(), svc.Cluster).
				WithObject(svc.Ref(), "").
				WithHint("leave the management cluster's Services out of the input, or declare the cluster without role: management if it also runs workloads"))
			continue
		case !slices.Contains(names, svc.Cluster) && fromFlag:
			st.report(didYouMeanCluster(diag.ServiceFlagClusterUnknown(svc.Pos, svc.Namespace(), svc.Name(), svc.Cluster, svc.Cluster).
				WithObject(svc.Ref(), ""), svc.Cluster, names))
			continue
		case !slices.Contains(names, svc.Cluster):
			st.report(didYouMeanCluster(diag.ServiceAnnotationClusterUnknown(svc.FieldPos("/metadata/annotations/"+escape(AnnotationCluster)), svc.Namespace(), svc.Name(), svc.Cluster).
				WithObject(svc.Ref(), "/metadata/annotations"), svc.Cluster, names))
			continue
		}
		kept = append(kept, svc)
	}
	s.Services = kept
}

// didYouMeanCluster hints at the declared cluster closest to an undeclared one, or lists them.
func didYouMeanCluster(d diag.Diagnostic, cluster string, names []string) diag.Diagnostic {
	if hint := Suggest(cluster, names); hint != "" {
		return d.WithHint("did you mean %s?", hint)
	}
	return d.WithHint("declared clusters: %s", strings.Join(names, ", "))
}

// escape encodes a JSON pointer token.
func escape(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1")
}

// checkDuplicates reports objects of the same kind, namespace and name (and cluster, for
// Services) and keeps only the first of each.
func (st *loadState) checkDuplicates() {
	s := st.set
	seen := map[string]*Object{}
	dup := func(o *Object, cluster string) bool {
		key := fmt.Sprintf("%s/%s/%s/%s/%s", o.APIVersion, o.Kind, cluster, o.Namespace(), o.Name())
		first, ok := seen[key]
		if !ok {
			seen[key] = o
			return false
		}
		where := ""
		if cluster != "" {
			where = " in cluster " + cluster
		}
		st.report(diag.DuplicateObject(o.Pos, o.Ref(), where).
			WithObject(o.Ref(), "").
			WithHint("rename or remove one of them").
			WithRelated(first.Pos, "first defined here"))
		return true
	}
	s.VirtualGateways = slices.DeleteFunc(s.VirtualGateways, func(o *VirtualGateway) bool { return dup(&o.Object, "") })
	s.VirtualDestinations = slices.DeleteFunc(s.VirtualDestinations, func(o *VirtualDestination) bool { return dup(&o.Object, "") })
	s.RouteTables = slices.DeleteFunc(s.RouteTables, func(o *RouteTable) bool { return dup(&o.Object, "") })
	s.ExternalServices = slices.DeleteFunc(s.ExternalServices, func(o *ExternalService) bool { return dup(&o.Object, "") })
	s.ExternalEndpoints = slices.DeleteFunc(s.ExternalEndpoints, func(o *ExternalEndpoint) bool { return dup(&o.Object, "") })
	s.Clusters = slices.DeleteFunc(s.Clusters, func(o *Cluster) bool { return dup(&o.Object, "") })
	s.ManagementClusters = slices.DeleteFunc(s.ManagementClusters, func(o *Cluster) bool { return dup(&o.Object, "") })
	s.Services = slices.DeleteFunc(s.Services, func(o *Service) bool { return dup(&o.Object, o.Cluster) })
	s.Policies = slices.DeleteFunc(s.Policies, func(o *Policy) bool { return dup(&o.Object, "") })
	s.Workspaces = slices.DeleteFunc(s.Workspaces, func(o *Workspace) bool { return dup(&o.Object, "") })
	s.WorkspaceSettings = slices.DeleteFunc(s.WorkspaceSettings, func(o *WorkspaceSettings) bool { return dup(&o.Object, "") })
	s.Namespaces = slices.DeleteFunc(s.Namespaces, func(o *Namespace) bool { return dup(&o.Object, o.Cluster) })
}

// assignNamespaceClusters gives every Namespace its cluster: --services CLUSTER first, then the
// meshroute.dev/cluster annotation; neither means the Namespace describes that namespace in
// every cluster (GitOps repositories keep one Namespace manifest for all of them). A Namespace
// naming an undeclared cluster is reported and dropped, as a Service would be.
func (st *loadState) assignNamespaceClusters() {
	s := st.set
	var names []string
	for _, c := range append(slices.Clone(s.Clusters), s.ManagementClusters...) {
		names = append(names, c.Name())
	}
	s.Namespaces = slices.DeleteFunc(s.Namespaces, func(ns *Namespace) bool {
		fromFlag := ns.Cluster != ""
		if !fromFlag {
			ns.Cluster = ns.Metadata.Annotations[AnnotationCluster]
		}
		if ns.Cluster == "" || slices.Contains(names, ns.Cluster) {
			return false
		}
		if fromFlag {
			st.report(didYouMeanCluster(diag.NamespaceClusterUnknown(ns.Pos, ns.Name(), ns.Cluster).
				WithObject(ns.Ref(), ""), ns.Cluster, names))
		} else {
			st.report(didYouMeanCluster(diag.NamespaceClusterUnknown(ns.FieldPos("/metadata/annotations/"+escape(AnnotationCluster)), ns.Name(), ns.Cluster).
				WithObject(ns.Ref(), "/metadata/annotations"), ns.Cluster, names))
		}
		return true
	})
}
