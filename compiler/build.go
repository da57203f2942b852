// Package compiler resolves the loaded objects against the inventory and builds the routing
// model: gateways, flattened and ordered routes, backends, generated names.
//
// Build runs in phases, each in its own file: inventory (inventory.go), VirtualDestinations
// (virtualdest.go), gateways (gateways.go), delegation flattening and ordering (flatten.go,
// order.go), binding root tables to gateways and sidecars (bind.go), actions and destinations
// (actions.go, weights.go, destinations.go), then the backends every destination needs, what
// each policy selects and the destination policies (policies.go, destpolicy.go), the
// namespaces their DestinationRules are exported to, their VIPs and the generated-name check
// (backends.go, exportto.go, vip.go, names.go), what each gateway listener serves (serve.go),
// and last the other policy kinds (policytable.go).
package compiler

import (
	"cmp"
	"runtime"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// Workspace fields are not reported here: the loader warns about a workspace on every
// ObjectSelector (MR1005), and reporting it again from the compiler printed it twice.

// Build compiles set into the routing model of every declared cluster, with every diagnostic
// found on the way. The model does not depend on any --cluster filter.
func Build(set *schema.Set) (*model.Model, []diag.Diagnostic) {
	return BuildWith(set, Options{})
}

// Options are what Build reads besides the loaded objects.
type Options struct {
	// PreviousVIPs maps each ServiceEntry host of the previous output (compile --out-dir) to its
	// address, so that a host keeps its VIP whatever else changed. Invalid addresses are ignored.
	PreviousVIPs map[string]string
}

// BuildWith is Build with options.
func BuildWith(set *schema.Set, opts Options) (*model.Model, []diag.Diagnostic) {
	m, ds := buildOn(set, opts, runtime.GOMAXPROCS(0))
	diag.Sort(ds)
	return m, diag.Dedup(ds)
}

// buildOn is BuildWith with the diagnostics in the order they were found (neither sorted nor
// deduplicated), binding route tables on up to workers cores (bindClusters): the result is the
// same for any number.
func buildOn(set *schema.Set, opts Options, workers int) (*model.Model, []diag.Diagnostic) {
	if set == nil {
		return &model.Model{}, nil
	}
	b := newBuilder(set)
	b.opts = opts
	b.workers = workers
	b.resolveVirtualDestinations()
	b.buildGateways()
	b.bindRouteTables()
	b.resolveMirrors()
	b.scopeMeshSets()
	b.useExternalsDirectly()
	b.finishBackends()
	b.buildEgress()
	// Policies select among the routes in model order, and destination policies can give a
	// Service a DestinationRule: both before exportTo and the generated-name check.
	b.sortModel()
	b.selectPolicies()
	b.compileDestinationPolicies()
	b.assignExportTo()
	b.assignVIPs()
	b.isolateServices()
	b.compileWorkloadPolicies()
	b.openOtherPorts()
	b.checkNames()
	b.sortModel()
	m := &model.Model{}
	for _, ci := range b.clusters {
		ci.out.Conflicts.DelegationTies = b.ties
		m.Clusters = append(m.Clusters, ci.out)
	}
	// Route policies go into the routes before Resolve copies routes onto listeners.
	b.compilePolicies()
	Resolve(m)
	b.reportPolicies()
	b.reportPolicyConflicts()
	return m, b.diags
}

// sortModel puts every cluster's gateways, route sets and backends in model order.
func (b *builder) sortModel() {
	for _, ci := range b.clusters {
		c := ci.out
		slices.SortFunc(c.Gateways, func(x, y *model.Gateway) int {
			return cmp.Or(cmp.Compare(x.Namespace, y.Namespace), cmp.Compare(x.Name, y.Name))
		})
		slices.SortFunc(c.RouteSets, func(x, y *model.RouteSet) int {
			return cmp.Or(cmp.Compare(x.Namespace, y.Namespace), cmp.Compare(x.Name, y.Name))
		})
		slices.SortFunc(c.Backends, func(x, y *model.Backend) int {
			return cmp.Or(cmp.Compare(x.Host, y.Host), cmp.Compare(x.Namespace, y.Namespace))
		})
	}
}

// builder holds the state of one Build.
type builder struct {
	set     *schema.Set
	opts    Options
	workers int // how many clusters bind route tables at once (bindClusters)
	// task is set on the builder of one cluster binding among others (bindClusters).
	task     *clusterTask
	diags    []diag.Diagnostic
	clusters []*clusterInfo // sorted by name
	byName   map[string]*clusterInfo

	vgs    map[nsName]*schema.VirtualGateway
	tables map[nsName]*schema.RouteTable
	vds    []*vdInfo
	vdByNS map[nsName]*vdInfo

	// flat memoises the flattened routes of each root table (cluster independent).
	flat map[*schema.RouteTable][]*flatRoute
	// forwards memoises the cluster-independent part of each forwardTo (weights, rewrites).
	forwards map[leafKey]*forwardPlan
	// checkedTables records tables whose route names were checked (MR3011).
	checkedTables map[*schema.RouteTable]map[int]string

	// fed holds the federated backends by key, one per cluster.
	fed map[fedKey]*fedInfo
	// externals are the ExternalServices routes named, checked once (nil: none such).
	externals    map[nsName]*extInfo
	subsets      map[string]map[string]*model.Subset // host → subset name → subset
	subsetPos    map[string]diag.Position            // "host name" → where the subset was first used
	destinations []*model.Destination

	// refused holds, per VirtualGateway, the listeners refused with an error (MR2010, MR3010,
	// MR4008), so a table that only they would have admitted gets no second, misleading MR2017.
	refused map[*schema.VirtualGateway][]refusedListener
	// conflicts records the listener conflicts already recorded (MR3010), which are the same in
	// every cluster the VirtualGateway reaches.
	conflicts map[listenerConflict]bool
	// ws is every object's workspace (workspaces.go); empty when none is declared.
	ws *tenancy
	// ewNeeded records the east-west gateways found missing from a workspace's selectors (MR2044).
	ewNeeded map[ewNeed]bool

	// policyInput maps each model policy to its index in set.Policies (input order);
	// policyConflicts records the same-kind policies that met on a target (policywinners.go).
	policyInput     map[*model.Policy]int
	policyConflicts map[[2]int]*policyConflict
	// mirrors are the MirrorPolicy destinations resolved per cluster (routepolicy_mirror.go).
	mirrors mirrorState

	// ties are the delegate selectors that picked tables of equal weight (ties.go), each once.
	ties    []*model.DelegationTie
	tieSeen map[tieKey]bool
	// tableIdx narrows delegate selectors (tableCandidates); built on first use.
	tableIdx *tableIndex
}

// nsName keys objects by namespace and name.
type nsName struct{ ns, name string }

// compareNsName orders by namespace, then name.
func compareNsName(x, y nsName) int {
	return cmp.Or(cmp.Compare(x.ns, y.ns), cmp.Compare(x.name, y.name))
}

func newBuilder(set *schema.Set) *builder {
	b := &builder{
		set:           set,
		byName:        map[string]*clusterInfo{},
		vgs:           map[nsName]*schema.VirtualGateway{},
		tables:        map[nsName]*schema.RouteTable{},
		vdByNS:        map[nsName]*vdInfo{},
		flat:          map[*schema.RouteTable][]*flatRoute{},
		forwards:      map[leafKey]*forwardPlan{},
		checkedTables: map[*schema.RouteTable]map[int]string{},
		fed:           map[fedKey]*fedInfo{},
		externals:     map[nsName]*extInfo{},
		subsets:       map[string]map[string]*model.Subset{},
		subsetPos:     map[string]diag.Position{},
		refused:       map[*schema.VirtualGateway][]refusedListener{},
		conflicts:     map[listenerConflict]bool{},

		policyInput:     map[*model.Policy]int{},
		policyConflicts: map[[2]int]*policyConflict{},
		tieSeen:         map[tieKey]bool{},
	}
	for _, vg := range set.VirtualGateways {
		b.vgs[nsName{vg.Namespace(), vg.Name()}] = vg
	}
	for _, rt := range set.RouteTables {
		b.tables[nsName{rt.Namespace(), rt.Name()}] = rt
	}
	b.loadInventory()
	b.assignWorkspaces()
	return b
}

// report records a diagnostic.
func (b *builder) report(d diag.Diagnostic) { b.diags = append(b.diags, d) }

// on attaches obj and the field path inside it to d, built at that field.
func on(obj *schema.Object, path string, d diag.Diagnostic) diag.Diagnostic {
	return d.WithObject(obj.Ref(), path)
}

// origin describes obj for the model.
func origin(obj *schema.Object) model.Origin {
	return model.Origin{Kind: obj.Kind, Namespace: obj.Namespace(), Name: obj.Name(), Pos: obj.Pos}
}

// didYouMean adds a "did you mean" hint when want is close to one of have, else lists have
// (shortened) so the user sees what exists.
func didYouMean(d diag.Diagnostic, want string, have []string, what string) diag.Diagnostic {
	// A "namespace/name" reference most often gets the namespace wrong: the same name in another
	// namespace is the best suggestion (the seed guide's bookinfo/… for gloo-mesh/…).
	if _, name, ok := strings.Cut(want, "/"); ok {
		for _, h := range sortedCopy(have) {
			if _, hn, _ := strings.Cut(h, "/"); hn == name {
				return d.WithHint("did you mean %s?", h)
			}
		}
	}
	if s := schema.Suggest(want, have); s != "" {
		return d.WithHint("did you mean %s?", s)
	}
	if len(have) == 0 {
		return d.WithHint("no %s is declared", what)
	}
	list := sortedCopy(have)
	if len(list) > 5 {
		list = append(list[:5], "…")
	}
	return d.WithHint("existing %ss: %s", what, joinComma(list))
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
