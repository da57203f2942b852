package compiler

import (
	"slices"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// federationAllows reports whether t may route to Service s of another cluster on port: with
// Workspace objects declared, the workspace of t must enable options.federation selecting s
// and the port (Gloo treats such routes as errors otherwise); without them everything pinned is
// federated, as before. The diagnostic goes to the reference at path.
func (b *builder) federationAllows(t *schema.Object, path string, s *schema.Service, port uint32) bool {
	w := b.ws.of[t]
	if w == nil {
		return true
	}
	at, obj := path+"/ref/cluster", nsSlashName(&s.Object)
	settings := b.ws.settings[w]
	var f *schema.WorkspaceFederation
	if settings != nil && settings.Spec.Options != nil {
		f = settings.Spec.Options.Federation
	}
	var d diag.Diagnostic
	switch {
	case f == nil || !f.Enabled:
		d = diag.FederationRequired(t.FieldPos(at), obj, s.Cluster, w.Name()).
			WithHint("set options.federation.enabled in workspace %s's WorkspaceSettings, or route through a VirtualDestination", w.Name())
	case !b.federationSelects(f, s):
		d = diag.FederationNotSelected(t.FieldPos(at), obj, s.Cluster, w.Name()).
			WithHint("add a serviceSelector entry for it to workspace %s's options.federation", w.Name())
	case len(f.Ports) > 0 && !slices.ContainsFunc(f.Ports, func(p schema.PortSelector) bool { return federatedPort(p, s, port) }):
		d = diag.FederationPortNotSelected(t.FieldPos(at), obj, s.Cluster, int(port), w.Name()).
			WithHint("add {number: %d} to workspace %s's options.federation.ports", port, w.Name())
	default:
		return true
	}
	if settings != nil {
		d = d.WithRelated(settings.Pos, "the WorkspaceSettings of workspace %s", w.Name())
	}
	b.report(on(t, at, d))
	return false
}

func (b *builder) federationSelects(f *schema.WorkspaceFederation, s *schema.Service) bool {
	if len(f.ServiceSelector) == 0 {
		return true
	}
	for i := range f.ServiceSelector {
		sel := &f.ServiceSelector[i]
		if selects(sel, s.Name(), s.Namespace(), s.Cluster, s.Metadata.Labels) && b.inWorkspace(sel.Workspace, &s.Object) {
			return true
		}
	}
	return false
}

// federatedPort matches a federation port selector against the Service port number port.
func federatedPort(p schema.PortSelector, s *schema.Service, port uint32) bool {
	if p.Number != 0 {
		return p.Number == port
	}
	for _, sp := range s.Spec.Ports {
		if sp.Port == port && sp.Name == p.Name {
			return true
		}
	}
	return false
}

// checkFederation reports federation settings meshroute cannot honour: a hostSuffix other than
// global (MR4031), and Services selected in a cluster other clusters have no east-west path to
// (MR2032, once per cluster).
func (b *builder) checkFederation() {
	for _, w := range b.ws.workspaces {
		settings := b.ws.settings[w]
		if settings == nil || settings.Spec.Options == nil || settings.Spec.Options.Federation == nil || !settings.Spec.Options.Federation.Enabled {
			continue
		}
		f := settings.Spec.Options.Federation
		if f.HostSuffix != "" && f.HostSuffix != "global" {
			at := "/spec/options/federation/hostSuffix"
			b.report(on(&settings.Object, at, diag.FederationHostSuffixUnsupported(settings.FieldPos(at), f.HostSuffix)).
				WithHint("leave hostSuffix out, or set it to global"))
		}
		if len(b.clusters) < 2 {
			continue
		}
		for _, ci := range b.clusters {
			if ci.c.Spec.EastWestGateway != nil {
				continue
			}
			for _, s := range ci.services {
				if b.ws.of[&s.Object] == w && b.federationSelects(f, s) {
					at := "/spec/options/federation"
					if len(f.ServiceSelector) > 0 {
						at += "/serviceSelector"
					}
					b.report(on(&settings.Object, at, diag.FederationWithoutEastWest(settings.FieldPos(at), w.Name(), ci.name, nsSlashName(&s.Object))).
						WithRelated(ci.c.Pos, "Cluster %s, without eastWestGateway", ci.name).
						WithHint("declare cluster %s's eastWestGateway, or narrow serviceSelector to the clusters that have one", ci.name))
					break
				}
			}
		}
	}
}
