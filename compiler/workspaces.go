package compiler

import (
	"strings"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// tenancy is the workspace of every object (docs/workspaces.md). With no Workspace objects it is
// empty and every check passes: the whole input is one implicit workspace.
type tenancy struct {
	workspaces []*schema.Workspace // sorted by namespace/name
	byName     map[string]*schema.Workspace
	settings   map[*schema.Workspace]*schema.WorkspaceSettings
	// global is the WorkspaceSettings named global in the Workspaces' (Gloo's admin) namespace:
	// in no workspace, its options.eastWestGateways apply to every one (eastwest.go).
	global *schema.WorkspaceSettings
	// of maps each object to its one workspace; objects in none or several are absent.
	of map[*schema.Object]*schema.Workspace
}

// assignWorkspaces puts every object in the workspace that selects its namespace: a Service in
// its cluster, a configuration object (mesh-wide in meshroute's input) in any declared cluster.
// None (MR2029) or several (MR3028) is an error.
func (b *builder) assignWorkspaces() {
	t := &tenancy{byName: map[string]*schema.Workspace{}, settings: map[*schema.Workspace]*schema.WorkspaceSettings{}, of: map[*schema.Object]*schema.Workspace{}}
	b.ws = t
	if len(b.set.Workspaces) == 0 {
		return
	}
	t.workspaces = b.set.Workspaces
	for _, w := range t.workspaces {
		// Workspace names are unique in Gloo's admin namespace; the first by namespace wins.
		if t.byName[w.Name()] == nil {
			t.byName[w.Name()] = w
		}
	}
	// Every object but the inventory (its Services are members by cluster, below) and the
	// Workspaces themselves, which live in Gloo's admin namespace.
	var config []*schema.Object
	t.global = b.globalSettings()
	for _, o := range b.set.Objects() {
		switch {
		case o.Kind == schema.KindCluster, o.Kind == schema.KindService, o.Kind == schema.KindNamespace, o.Kind == schema.KindWorkspace:
		case t.global != nil && o == &t.global.Object:
		default:
			config = append(config, o)
		}
	}
	for _, o := range config {
		var in []*schema.Workspace
		for _, ci := range b.clusters {
			in = appendNew(in, b.selecting(ci, o.Namespace(), true)...)
		}
		// Configuration applied in the management cluster belongs to the workspace that selects
		// its namespace there, as in Gloo.
		for _, mc := range b.set.ManagementClusters {
			labels := b.namespaceLabels(mc.Name(), o.Namespace())
			for _, w := range t.workspaces {
				if workspaceSelects(w, mc, o.Namespace(), labels, true) {
					in = appendNew(in, w)
				}
			}
		}
		b.member(o, in, "")
	}
	for _, s := range b.set.Services {
		if ci := b.byName[s.Cluster]; ci != nil {
			b.member(&s.Object, b.selecting(ci, s.Namespace(), false), ci.name)
		}
	}
	for _, ws := range b.set.WorkspaceSettings {
		w := t.of[&ws.Object]
		if w == nil {
			continue
		}
		if first := t.settings[w]; first != nil {
			b.report(on(&ws.Object, "", diag.DuplicateWorkspaceSettings(ws.Pos, w.Name(), nsSlashName(&first.Object), nsSlashName(&ws.Object))).
				WithRelated(first.Pos, "the first WorkspaceSettings of workspace %s", w.Name()).
				WithHint("merge them: Gloo reads one WorkspaceSettings per workspace"))
			continue
		}
		t.settings[w] = ws
	}
	b.checkWorkspaceSelectors()
	b.checkFederation()
	b.checkEastWestGateways()
}

// member records o's workspace, or reports that it has none or several.
func (b *builder) member(o *schema.Object, in []*schema.Workspace, cluster string) {
	what := o.Kind + " " + nsSlashName(o)
	switch len(in) {
	case 1:
		b.ws.of[o] = in[0]
	case 0:
		where := " in any declared cluster"
		if cluster != "" {
			where = " of cluster " + cluster
		}
		b.report(on(o, "/metadata/namespace", diag.ObjectInNoWorkspace(o.Pos, what, o.Namespace(), where)).
			WithHint("add namespace %s to a Workspace's workloadClusters[].namespaces, or move the object", o.Namespace()))
	default:
		b.report(on(o, "/metadata/namespace", diag.ObjectInSeveralWorkspaces(o.Pos, what, in[0].Name(), in[1].Name())).
			WithRelated(in[0].Pos, "Workspace %s selects namespace %s", in[0].Name(), o.Namespace()).
			WithRelated(in[1].Pos, "so does Workspace %s", in[1].Name()).
			WithHint("narrow the namespace selectors so that one workspace selects %s", o.Namespace()))
	}
}

// selecting lists the workspaces that select namespace ns of cluster ci; config keeps only the
// selections that read Gloo configuration there (configEnabled not false).
func (b *builder) selecting(ci *clusterInfo, ns string, config bool) []*schema.Workspace {
	var out []*schema.Workspace
	labels := b.namespaceLabels(ci.name, ns)
	for _, w := range b.ws.workspaces {
		if workspaceSelects(w, ci.c, ns, labels, config) {
			out = append(out, w)
		}
	}
	return out
}

func workspaceSelects(w *schema.Workspace, c *schema.Cluster, ns string, labels map[string]string, config bool) bool {
	for _, cs := range w.Spec.WorkloadClusters {
		if !globMatch(cs.Name, c.Name()) || !subsetOf(cs.Selector, c.Metadata.Labels) {
			continue
		}
		if config && cs.ConfigEnabled != nil && !*cs.ConfigEnabled {
			continue
		}
		for _, n := range cs.Namespaces {
			if config && n.ConfigEnabled != nil && !*n.ConfigEnabled {
				continue
			}
			// A selector with neither name nor labels selects nothing (Gloo ignores empty labels).
			if n.Name == "" && len(n.Labels) == 0 {
				continue
			}
			if globMatch(n.Name, ns) && subsetOf(n.Labels, labels) {
				return true
			}
		}
	}
	return false
}

// namespaceLabels are the labels of namespace ns in cluster: its Namespace object for that
// cluster, else the one for every cluster, else none.
func (b *builder) namespaceLabels(cluster, ns string) map[string]string {
	var all map[string]string
	for _, n := range b.set.Namespaces {
		if n.Name() != ns {
			continue
		}
		if n.Cluster == cluster {
			return n.Metadata.Labels
		}
		if n.Cluster == "" {
			all = n.Metadata.Labels
		}
	}
	return all
}

// globMatch matches s against a pattern where * stands for any run of characters; an empty
// pattern matches everything.
func globMatch(pattern, s string) bool {
	if pattern == "" || pattern == "*" {
		return true
	}
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return len(s) >= len(last) && strings.HasSuffix(s, last)
}

func appendNew(list []*schema.Workspace, add ...*schema.Workspace) []*schema.Workspace {
	for _, w := range add {
		found := false
		for _, x := range list {
			found = found || x == w
		}
		if !found {
			list = append(list, w)
		}
	}
	return list
}

func nsSlashName(o *schema.Object) string {
	if o.Namespace() == "" || o.Kind == schema.KindCluster {
		return o.Name()
	}
	return o.Namespace() + "/" + o.Name()
}
