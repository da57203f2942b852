package compiler

import (
	"iter"
	"strconv"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// exportKinds names, per object kind, the kind WorkspaceSettings resources select it by.
var exportKinds = map[string]string{
	schema.KindRouteTable:         schema.ExportRouteTable,
	schema.KindService:            schema.ExportService,
	schema.KindVirtualDestination: schema.ExportVirtualDestination,
	schema.KindExternalService:    schema.ExportExternalService,
}

// hidden reports whether user may not reach target (of cluster cluster; "" for the mesh-wide
// configuration objects) because they are in different workspaces and target is not both
// exported to user's workspace and imported by it; it returns the diagnostic for the reference
// at path of ref. Objects without a workspace (already reported) are never hidden.
func (b *builder) hidden(user, target *schema.Object, cluster string, ref *schema.Object, path string) (diag.Diagnostic, bool) {
	if b.sameWorkspace(user, target) {
		return diag.Diagnostic{}, false
	}
	uw, tw := b.ws.of[user], b.ws.of[target]
	kind := exportKinds[target.Kind]
	exported, imported := b.shared(tw, uw, target, cluster)
	if exported && imported {
		return diag.Diagnostic{}, false
	}
	pos, obj := ref.FieldPos(path), nsSlashName(target)
	var d diag.Diagnostic
	switch {
	case !exported && !imported:
		d = diag.NotExportedNorImported(pos, target.Kind, obj, tw.Name(), uw.Name()).
			WithHint("workspace %s's WorkspaceSettings needs exportTo: [{workspaces: [{name: %s}], resources: [{kind: %s}]}] and workspace %s's importFrom: [{workspaces: [{name: %s}], resources: [{kind: %s}]}]", tw.Name(), uw.Name(), kind, uw.Name(), tw.Name(), kind)
	case !exported:
		d = diag.NotExported(pos, target.Kind, obj, tw.Name(), uw.Name()).
			WithHint("add to workspace %s's WorkspaceSettings exportTo: [{workspaces: [{name: %s}], resources: [{kind: %s}]}]", tw.Name(), uw.Name(), kind)
	default:
		d = diag.NotImported(pos, uw.Name(), target.Kind, obj, tw.Name()).
			WithHint("add to workspace %s's WorkspaceSettings importFrom: [{workspaces: [{name: %s}], resources: [{kind: %s}]}]", uw.Name(), tw.Name(), kind)
	}
	d = on(ref, path, d).WithRelated(target.Pos, "%s %s, in workspace %s", target.Kind, obj, tw.Name())
	for _, w := range []*schema.Workspace{tw, uw} {
		if s := b.ws.settings[w]; s != nil {
			d = d.WithRelated(s.Pos, "the WorkspaceSettings of workspace %s", w.Name())
		}
	}
	return d, true
}

// shared reports whether target, of workspace owner, is exported to workspace user and imported
// by it.
func (b *builder) shared(owner, user *schema.Workspace, target *schema.Object, cluster string) (exported, imported bool) {
	exported = b.shares(owner, func(s *schema.WorkspaceSettingsSpec) []schema.WorkspaceObjectSelector { return s.ExportTo }, user, target, cluster)
	imported = b.shares(user, func(s *schema.WorkspaceSettingsSpec) []schema.WorkspaceObjectSelector { return s.ImportFrom }, owner, target, cluster)
	return exported, imported
}

// shares reports whether an entry of w's exportTo or importFrom (list) selects workspace other
// and, among its resources, target.
func (b *builder) shares(w *schema.Workspace, list func(*schema.WorkspaceSettingsSpec) []schema.WorkspaceObjectSelector, other *schema.Workspace, target *schema.Object, cluster string) bool {
	s := b.ws.settings[w]
	if s == nil {
		return false
	}
	for _, e := range list(&s.Spec) {
		if !selectsWorkspace(e.Workspaces, other) {
			continue
		}
		if len(e.Resources) == 0 {
			return true
		}
		for _, r := range e.Resources {
			if resourceSelects(r, target, cluster) {
				return true
			}
		}
	}
	return false
}

// selectsWorkspace reports whether one of sels selects w: a name glob and labels, ANDed.
func selectsWorkspace(sels []schema.WorkspaceSelector, w *schema.Workspace) bool {
	for _, s := range sels {
		if globMatch(s.Name, w.Name()) && subsetOf(s.Selector, w.Metadata.Labels) {
			return true
		}
	}
	return false
}

// resourceSelects matches a TypedObjectSelector: kind (ALL or left out: any), labels, exact
// name, namespace and cluster. A configuration object has no cluster: the cluster field does
// not narrow it.
func resourceSelects(r schema.TypedObjectSelector, o *schema.Object, cluster string) bool {
	return (r.Kind == "" || r.Kind == schema.ExportAll || r.Kind == exportKinds[o.Kind]) &&
		subsetOf(r.Labels, o.Metadata.Labels) &&
		(r.Name == "" || r.Name == o.Name()) &&
		(r.Namespace == "" || r.Namespace == o.Namespace()) &&
		(r.Cluster == "" || cluster == "" || r.Cluster == cluster)
}

// inWorkspace reports whether o is in the workspace a selector's workspace field names (left
// out, or no Workspace declared: any).
func (b *builder) inWorkspace(name string, o *schema.Object) bool {
	if name == "" || len(b.ws.workspaces) == 0 {
		return true
	}
	w := b.ws.of[o]
	return w != nil && w.Name() == name
}

// checkWorkspaceSelectors reports importFrom and exportTo entries, and the selectors' workspace
// fields, that select no declared workspace (MR2031).
func (b *builder) checkWorkspaceSelectors() {
	for _, s := range b.set.WorkspaceSettings {
		for _, field := range []struct {
			name    string
			entries []schema.WorkspaceObjectSelector
		}{{"importFrom", s.Spec.ImportFrom}, {"exportTo", s.Spec.ExportTo}} {
			for i, e := range field.entries {
				if len(e.Workspaces) == 0 {
					at := "/spec/" + field.name + "/" + strconv.Itoa(i)
					b.report(on(&s.Object, at, diag.WorkspaceSelectsNothing(s.FieldPos(at), field.name+" entry "+strconv.Itoa(i), "it lists no workspaces")).
						WithHint("add workspaces: [{name: NAME}] (or {name: '*'} for every workspace)"))
				}
				for k, sel := range e.Workspaces {
					if b.anyWorkspace(func(w *schema.Workspace) bool { return selectsWorkspace([]schema.WorkspaceSelector{sel}, w) }) {
						continue
					}
					at := "/spec/" + field.name + "/" + strconv.Itoa(i) + "/workspaces/" + strconv.Itoa(k)
					b.report(b.unknownWorkspace(on(&s.Object, at, diag.WorkspaceSelectsNothing(s.FieldPos(at), field.name+" entry "+strconv.Itoa(i), "no Workspace has that name and those labels")), sel.Name))
				}
			}
		}
	}
	check := func(o *schema.Object, at, name string) {
		if name != "" && b.ws.byName[name] == nil {
			b.report(b.unknownWorkspace(on(o, at, diag.WorkspaceSelectsNothing(o.FieldPos(at), "workspace "+strconv.Quote(name), "no Workspace has that name")), name))
		}
	}
	for _, rt := range b.set.RouteTables {
		for i, r := range rt.Spec.HTTP {
			if r.Delegate != nil {
				for k, sel := range r.Delegate.RouteTables {
					check(&rt.Object, "/spec/http/"+strconv.Itoa(i)+"/delegate/routeTables/"+strconv.Itoa(k)+"/workspace", sel.Workspace)
				}
			}
		}
	}
	for _, s := range b.set.WorkspaceSettings {
		if s.Spec.Options != nil {
			for k, g := range s.Spec.Options.EastWestGateways {
				if g.Selector != nil {
					check(&s.Object, "/spec/options/eastWestGateways/"+strconv.Itoa(k)+"/selector/workspace", g.Selector.Workspace)
				}
			}
		}
	}
	for _, vd := range b.set.VirtualDestinations {
		for k, sel := range vd.Spec.Services {
			check(&vd.Object, "/spec/services/"+strconv.Itoa(k)+"/workspace", sel.Workspace)
		}
	}
	for _, vg := range b.set.VirtualGateways {
		for k, w := range vg.Spec.Workloads {
			if w.Selector != nil {
				check(&vg.Object, "/spec/workloads/"+strconv.Itoa(k)+"/selector/workspace", w.Selector.Workspace)
			}
		}
	}
	for _, p := range b.set.Policies {
		for path, name := range policySelectorWorkspaces(p) {
			check(&p.Object, path, name)
		}
	}
}

// policySelectorWorkspaces yields the workspace field of every route and destination selector of
// a policy, by path.
func policySelectorWorkspaces(p *schema.Policy) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		dest := func(at string, s schema.DestinationSelector) bool {
			return s.Selector == nil || yield(at+"/selector/workspace", s.Selector.Workspace)
		}
		route := func(at string, s *schema.RouteLabelSelector) bool {
			return s == nil || yield(at+"/route/workspace", s.Workspace)
		}
		for i, s := range p.Spec.ApplyToRoutes {
			at := "/spec/applyToRoutes/" + strconv.Itoa(i)
			if !route(at, s.Route) || s.WithDestinations != nil && !dest(at+"/withDestinations", *s.WithDestinations) {
				return
			}
		}
		for i, s := range p.Spec.ApplyToDestinations {
			if !dest("/spec/applyToDestinations/"+strconv.Itoa(i), s) {
				return
			}
		}
		for i, s := range p.Spec.ApplyToRouteDestinations {
			at := "/spec/applyToRouteDestinations/" + strconv.Itoa(i)
			if !route(at, s.Route) {
				return
			}
			for j, d := range s.OnDestinations {
				if !dest(at+"/onDestinations/"+strconv.Itoa(j), d) {
					return
				}
			}
		}
	}
}

func (b *builder) anyWorkspace(f func(*schema.Workspace) bool) bool {
	for _, w := range b.ws.workspaces {
		if f(w) {
			return true
		}
	}
	return false
}

// unknownWorkspace hints at the declared workspace closest to name, or lists them.
func (b *builder) unknownWorkspace(d diag.Diagnostic, name string) diag.Diagnostic {
	have := make([]string, 0, len(b.ws.workspaces))
	for _, w := range b.ws.workspaces {
		have = append(have, w.Name())
	}
	return didYouMean(d, name, have, "workspace")
}

// sameWorkspace reports whether user and target share a workspace, or either has none (no
// Workspace declared, or one already reported): then target is never hidden from user.
func (b *builder) sameWorkspace(user, target *schema.Object) bool {
	uw, tw := b.ws.of[user], b.ws.of[target]
	return uw == nil || tw == nil || uw == tw
}

// visibleDestination reports whether the destination target (of cluster) is visible to the
// table t that names it and to the root table the route is served from (a gateway workspace
// routing to a delegated team's Service must import it as well); else it reports why.
func (b *builder) visibleDestination(t, root, target *schema.Object, cluster, path string) bool {
	for _, user := range []*schema.Object{t, root} {
		if b.sameWorkspace(user, target) {
			continue // the common case, once per route and cluster: no path to build
		}
		if d, hidden := b.hidden(user, target, cluster, t, path+"/ref"); hidden {
			b.report(d)
			return false
		}
	}
	return true
}

// rootOf is the root table fr is served from: the first hop of its delegation chain.
func (b *builder) rootOf(fr *flatRoute) *schema.RouteTable {
	if len(fr.Chain) > 0 {
		if rt := b.tables[nsName{fr.Chain[0].Table.Namespace, fr.Chain[0].Table.Name}]; rt != nil {
			return rt
		}
	}
	return fr.table
}
