package compiler

import (
	"slices"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// globalSettingsName is the WorkspaceSettings Gloo reads as every workspace's.
const globalSettingsName = "global"

// defaultEastWestSelector is what Gloo matches when an eastWestGateways entry has no selector.
var defaultEastWestSelector = schema.ObjectSelector{Labels: map[string]string{"istio": "eastwestgateway"}}

// globalSettings finds the WorkspaceSettings named global in the namespace of the Workspaces
// (Gloo's admin namespace); meshroute implements only its options.eastWestGateways, and refuses
// every other field of it (MR1006): Gloo lets them override each workspace's own settings.
func (b *builder) globalSettings() *schema.WorkspaceSettings {
	for _, ws := range b.set.WorkspaceSettings {
		if ws.Name() != globalSettingsName || !slices.ContainsFunc(b.set.Workspaces, func(w *schema.Workspace) bool { return w.Namespace() == ws.Namespace() }) {
			continue
		}
		refuse := func(field string, set bool) {
			if set {
				at := "/spec/" + strings.ReplaceAll(field, ".", "/")
				b.report(on(&ws.Object, at, diag.UnsupportedRoutingField(ws.FieldPos(at), field+" of the global WorkspaceSettings")).
					WithHint("move it to the WorkspaceSettings of each workspace it should apply to"))
			}
		}
		refuse("importFrom", ws.Spec.ImportFrom != nil)
		refuse("exportTo", ws.Spec.ExportTo != nil)
		if o := ws.Spec.Options; o != nil {
			refuse("options.federation", o.Federation != nil)
			refuse("options.serviceIsolation", o.ServiceIsolation != nil)
			refuse("options.trimAllProxyConfig", o.TrimAllProxyConfig)
		}
		return ws
	}
	return nil
}

// eastWestSettings is the WorkspaceSettings whose options.eastWestGateways govern workspace w's
// cross-cluster traffic: the global one when it sets them (it overrides), else w's own; nil when
// neither does, and the inventory alone describes the gateways.
func (b *builder) eastWestSettings(w *schema.Workspace) *schema.WorkspaceSettings {
	for _, s := range []*schema.WorkspaceSettings{b.ws.global, b.ws.settings[w]} {
		if s != nil && s.Spec.Options != nil && len(s.Spec.Options.EastWestGateways) > 0 {
			return s
		}
	}
	return nil
}

// eastWestGateway is one Service a selector picks as a cluster's east-west gateway.
type eastWestGateway struct {
	svc  *schema.Service
	at   string               // the selector's path in the WorkspaceSettings
	port *schema.PortSelector // the entry's passthrough port; nil: any
}

// eastWestGateways are the Services of ci that settings' selectors pick, in inventory order,
// each with the first selector that picks it.
func (b *builder) eastWestGateways(ci *clusterInfo, settings *schema.WorkspaceSettings) []eastWestGateway {
	var out []eastWestGateway
	for _, s := range ci.services {
		for i, g := range settings.Spec.Options.EastWestGateways {
			sel, at := g.Selector, "/spec/options/eastWestGateways/"+strconv.Itoa(i)
			if sel == nil {
				sel = &defaultEastWestSelector
			} else {
				at += "/selector"
			}
			if selects(sel, s.Name(), s.Namespace(), ci.name, s.Metadata.Labels) && b.inWorkspace(sel.Workspace, &s.Object) {
				out = append(out, eastWestGateway{s, at, g.Port})
				break
			}
		}
	}
	return out
}

// eastWestNamespaces are the namespaces of ci's east-west gateway for the traffic of obj's
// workspace: the inventory's, else those of the Services the workspace's selectors pick there;
// none when neither names one.
func (b *builder) eastWestNamespaces(ci *clusterInfo, obj *schema.Object) []string {
	ew := ci.c.Spec.EastWestGateway
	if ew == nil {
		return nil
	}
	if ew.Namespace != "" {
		return []string{ew.Namespace}
	}
	settings := b.eastWestSettings(b.ws.of[obj])
	if settings == nil {
		return nil
	}
	var nss []string
	for _, g := range b.eastWestGateways(ci, settings) {
		if !slices.Contains(nss, g.svc.Namespace()) {
			nss = append(nss, g.svc.Namespace())
		}
	}
	return nss
}

// checkEastWestGateways reports, for every WorkspaceSettings whose eastWestGateways are in force
// and every cluster of its workspaces that declares an east-west gateway, a picked Service outside
// the inventory's gateway namespace (MR2042) or without its east-west port (MR2043).
func (b *builder) checkEastWestGateways() {
	checked := map[*schema.WorkspaceSettings]bool{}
	for _, w := range b.ws.workspaces {
		settings := b.eastWestSettings(w)
		if settings == nil || checked[settings] {
			continue
		}
		checked[settings] = true
		for _, ci := range b.clusters {
			ew := ci.c.Spec.EastWestGateway
			if ew == nil || settings != b.ws.global && !workspaceHasCluster(w, ci) {
				continue
			}
			port := ew.PortOrDefault()
			for _, g := range b.eastWestGateways(ci, settings) {
				svc := nsSlashName(&g.svc.Object)
				if ew.Namespace != "" && g.svc.Namespace() != ew.Namespace {
					b.report(on(&settings.Object, g.at, diag.EastWestGatewayNamespaceConflict(settings.FieldPos(g.at), nsSlashName(&settings.Object), svc, ci.name, ew.Namespace)).
						WithRelated(ci.c.FieldPos("/spec/eastWestGateway/namespace"), "Cluster %s's eastWestGateway namespace", ci.name).
						WithRelated(g.svc.Pos, "Service %s", svc).
						WithHint("narrow the selector to namespace %s, or correct cluster %s's eastWestGateway.namespace", ew.Namespace, ci.name))
				}
				if !slices.ContainsFunc(g.svc.Spec.Ports, func(p schema.ServicePort) bool { return p.Port == port && portSelects(g.port, p) }) {
					b.report(on(&settings.Object, g.at, diag.EastWestGatewayWithoutPort(settings.FieldPos(g.at), nsSlashName(&settings.Object), svc, ci.name, int(port))).
						WithRelated(g.svc.Pos, "Service %s", svc).
						WithHint("narrow the selector to the east-west gateway's Service (and its port, if set, to port %d), or correct cluster %s's eastWestGateway.port", port, ci.name))
				}
			}
		}
	}
}

// checkEastWestNeeded reports, once per WorkspaceSettings and cluster, that cross-cluster traffic
// of obj's workspace needs ci's east-west gateway and the selectors in force pick none (MR2044).
func (b *builder) checkEastWestNeeded(ci *clusterInfo, obj *schema.Object, pos diag.Position, needer string) {
	settings := b.eastWestSettings(b.ws.of[obj])
	if settings == nil || len(b.eastWestGateways(ci, settings)) > 0 {
		return
	}
	key := ewNeed{settings, ci}
	if b.ewNeeded[key] {
		return
	}
	if b.ewNeeded == nil {
		b.ewNeeded = map[ewNeed]bool{}
	}
	b.ewNeeded[key] = true
	at := "/spec/options/eastWestGateways"
	b.report(on(&settings.Object, at, diag.EastWestGatewayNotSelected(settings.FieldPos(at), nsSlashName(&settings.Object), ci.name, needer)).
		WithRelated(pos, "needed by %s", needer).
		WithRelated(ci.c.Pos, "Cluster %s", ci.name).
		WithHint("add cluster %s's east-west gateway Service to the inventory, or widen the selectors to it", ci.name))
}

// ewNeed is a WorkspaceSettings and a cluster MR2044 was reported for.
type ewNeed struct {
	settings *schema.WorkspaceSettings
	ci       *clusterInfo
}

// workspaceHasCluster reports whether w's workloadClusters select ci.
func workspaceHasCluster(w *schema.Workspace, ci *clusterInfo) bool {
	return slices.ContainsFunc(w.Spec.WorkloadClusters, func(cs schema.WorkspaceClusterSelector) bool {
		return globMatch(cs.Name, ci.name) && subsetOf(cs.Selector, ci.c.Metadata.Labels)
	})
}

// portSelects matches an eastWestGateways entry's port (nil: any) against a Service port, by
// number or by name.
func portSelects(sel *schema.PortSelector, p schema.ServicePort) bool {
	return sel == nil || sel.Number != 0 && sel.Number == p.Port || sel.Name != "" && sel.Name == p.Name
}
