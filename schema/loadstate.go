package schema

import (
	"cmp"
	"slices"

	"github.com/meshroute/meshroute/diag"
)

// loadState accumulates one Load, or the parse of one of its files.
type loadState struct {
	set   *Set
	diags diag.Limiter
	// workspaceFields are the routing kinds' selector workspace fields, reported at the end
	// when no Workspace is declared (then they have no effect).
	workspaceFields []diag.Diagnostic
}

func newLoadState() *loadState {
	return &loadState{set: &Set{}, diags: diag.Limiter{Limit: maxDiagnosticsPerCode}}
}

// loadStep is one step of a Load in input order: a diagnostic found while reading (note), or
// one file to parse and, once parsed, what it held.
type loadStep struct {
	note            *diag.Diagnostic
	file            string
	data            []byte
	servicesCluster string
	parsed          *loadState
}

// merge appends what one file's parse found, as if it had been parsed into st: objects in
// file order, diagnostics through st's cap (a file's own MR1012 entry merges into st's counts).
func (st *loadState) merge(file *loadState) {
	s, f := st.set, file.set
	s.VirtualGateways = append(s.VirtualGateways, f.VirtualGateways...)
	s.VirtualDestinations = append(s.VirtualDestinations, f.VirtualDestinations...)
	s.RouteTables = append(s.RouteTables, f.RouteTables...)
	s.ExternalServices = append(s.ExternalServices, f.ExternalServices...)
	s.ExternalEndpoints = append(s.ExternalEndpoints, f.ExternalEndpoints...)
	s.Clusters = append(s.Clusters, f.Clusters...)
	s.Services = append(s.Services, f.Services...)
	s.ManagementClusters = append(s.ManagementClusters, f.ManagementClusters...)
	s.Policies = append(s.Policies, f.Policies...)
	s.Workspaces = append(s.Workspaces, f.Workspaces...)
	s.WorkspaceSettings = append(s.WorkspaceSettings, f.WorkspaceSettings...)
	s.Namespaces = append(s.Namespaces, f.Namespaces...)
	s.Others = append(s.Others, f.Others...)
	st.workspaceFields = append(st.workspaceFields, file.workspaceFields...)
	st.report(file.diags.Diagnostics()...)
}

func (st *loadState) report(ds ...diag.Diagnostic) {
	for _, d := range ds {
		st.diags.Add(d)
	}
}

// finish runs the checks that need every object: duplicates, Service clusters, stable order.
func (st *loadState) finish() {
	s := st.set
	byName := func(a, b *Object) int {
		return cmp.Or(cmp.Compare(a.Metadata.Namespace, b.Metadata.Namespace), cmp.Compare(a.Metadata.Name, b.Metadata.Name))
	}
	slices.SortStableFunc(s.VirtualGateways, func(a, b *VirtualGateway) int { return byName(&a.Object, &b.Object) })
	slices.SortStableFunc(s.VirtualDestinations, func(a, b *VirtualDestination) int { return byName(&a.Object, &b.Object) })
	slices.SortStableFunc(s.RouteTables, func(a, b *RouteTable) int { return byName(&a.Object, &b.Object) })
	slices.SortStableFunc(s.ExternalServices, func(a, b *ExternalService) int { return byName(&a.Object, &b.Object) })
	slices.SortStableFunc(s.ExternalEndpoints, func(a, b *ExternalEndpoint) int { return byName(&a.Object, &b.Object) })
	slices.SortStableFunc(s.Clusters, func(a, b *Cluster) int { return byName(&a.Object, &b.Object) })
	st.assignClusters()
	slices.SortStableFunc(s.Services, func(a, b *Service) int {
		return cmp.Or(cmp.Compare(a.Cluster, b.Cluster), byName(&a.Object, &b.Object))
	})
	slices.SortStableFunc(s.Workspaces, func(a, b *Workspace) int { return byName(&a.Object, &b.Object) })
	slices.SortStableFunc(s.WorkspaceSettings, func(a, b *WorkspaceSettings) int { return byName(&a.Object, &b.Object) })
	st.assignNamespaceClusters()
	slices.SortStableFunc(s.Namespaces, func(a, b *Namespace) int {
		return cmp.Or(byName(&a.Object, &b.Object), cmp.Compare(a.Cluster, b.Cluster))
	})
	st.checkDuplicates()
	if len(s.Workspaces) == 0 {
		st.report(st.workspaceFields...)
	}
}
