package compiler

import (
	"regexp"
	"strconv"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// leafKey names one route of one table: of its http list (list ""), or of its tcp or tls list.
type leafKey struct {
	t    *schema.RouteTable
	i    int
	list string
}

// forwardPlan is the cluster-independent part of a forwardTo: which references, with which
// normalised weights, and the rewrites. ok is false when the action cannot be compiled.
type forwardPlan struct {
	ok       bool
	refs     []*schema.DestinationReference
	paths    []string // JSON pointer of each reference, for diagnostics
	weights  []uint32
	fw       *schema.ForwardToAction
	regex    *model.RegexRewrite // fw's regexRewrite, unless a pathRewrite takes precedence
	autoHost bool
}

// plan checks a forwardTo once, however many parents and clusters the route is reached from.
func (b *builder) plan(t *schema.RouteTable, i int) *forwardPlan {
	k := leafKey{t: t, i: i}
	if p, ok := b.forwards[k]; ok {
		return p
	}
	p := b.planForward(t, "/spec/http/"+strconv.Itoa(i)+"/forwardTo", t.Spec.HTTP[i].ForwardTo)
	b.forwards[k] = p
	return p
}

// planForward checks the forwardTo at rp of t: destinations (or the table's
// defaultDestination), kinds, subsets and weights.
func (b *builder) planForward(t *schema.RouteTable, rp string, fw *schema.ForwardToAction) *forwardPlan {
	p := &forwardPlan{ok: true, fw: fw}
	for j := range p.fw.Destinations {
		p.refs = append(p.refs, &p.fw.Destinations[j])
		p.paths = append(p.paths, rp+"/destinations/"+strconv.Itoa(j))
	}
	if len(p.refs) == 0 && t.Spec.DefaultDestination != nil {
		p.refs = []*schema.DestinationReference{t.Spec.DefaultDestination}
		p.paths = []string{"/spec/defaultDestination"}
	}
	if len(p.refs) == 0 {
		b.report(on(&t.Object, rp, diag.NoDestinations(t.FieldPos(rp), t.Namespace(), t.Name())).
			WithHint("add forwardTo.destinations, or spec.defaultDestination on the table"))
		p.ok = false
		return p
	}
	ws := make([]uint32, len(p.refs))
	for j, ref := range p.refs {
		ws[j] = ref.Weight
		if k := ref.DestinationKind(); k != schema.DestService && k != schema.DestVirtualDestination && k != schema.DestExternalService {
			// EXTERNAL_SERVICE on TCP and TLS routes (MR1006) and unknown kinds are the loader's to report.
			p.ok = false
			continue
		}
		if len(ref.Subset) > 0 && ref.DestinationKind() != schema.DestService {
			at := p.paths[j] + "/subset"
			d := on(&t.Object, at, diag.SubsetOnNonService(t.FieldPos(at), ref.DestinationKind())).
				WithHint("remove the subset, or route to the Service itself")
			if ref.DestinationKind() == schema.DestVirtualDestination {
				// Gloo takes such a subset (over the backing pods of every cluster); meshroute
				// cannot yet without changing where traffic goes: see docs/routing.md.
				d = d.WithHint("Gloo applies it to the backing pods of every cluster, but meshroute reaches another cluster's pods through one WorkloadEntry per cluster (its east-west gateway), which carries no pod labels: the subset would silently lose the other clusters' share. Route to the Service with the subset instead (add cluster: to reach another cluster's), or remove the subset")
			}
			b.report(d)
			p.ok = false
		}
	}
	weights, scaled, why := normaliseWeights(ws)
	wp := rp + "/destinations"
	if len(p.fw.Destinations) == 0 {
		wp = "/spec/defaultDestination"
	}
	switch {
	case why != "":
		b.report(on(&t.Object, wp, diag.InvalidWeights(t.FieldPos(wp), why)).
			WithHint("explicit weights sum to at most 100; unweighted destinations (no weight, or 0) share what is left (at least 1 each)"))
		p.ok = false
	case scaled:
		// A 90/5 typo would otherwise ship as 95/5 without anyone noticing.
		b.report(on(&t.Object, wp, diag.WeightsScaled(t.FieldPos(wp), joinWeights(ws), sumWeights(ws), joinWeights(weights))).
			WithHint("write weights that sum to 100 to state the split you mean, or suppress MR4015 to accept the scaling"))
	}
	p.weights = weights
	if rr := p.fw.RegexRewrite; rr != nil && p.fw.PathRewrite == nil {
		p.regex = regexRewrite(rr.Pattern.Regex, rr.Substitution)
	}
	if p.fw.AutoHostRewrite && p.fw.HostRewrite == "" {
		if len(p.refs) != 1 {
			at := rp + "/autoHostRewrite"
			b.report(on(&t.Object, at, diag.AutoHostRewriteMultipleDestinations(t.FieldPos(at), len(p.refs))).
				WithHint("use hostRewrite, or split the route so each has one destination"))
			p.ok = false
		}
		p.autoHost = true
	}
	return p
}

// action compiles the leaf route's action into r as seen from ci; false drops the route in this
// cluster (the reason was reported).
func (b *builder) action(ci *clusterInfo, fr *flatRoute, r *model.Route) bool {
	route := fr.route
	switch {
	case route.ForwardTo != nil:
		p := b.plan(fr.table, fr.index)
		if !p.ok {
			return false
		}
		f := model.Forward{PathRewrite: p.fw.PathRewrite, RegexRewrite: p.regex, HostRewrite: p.fw.HostRewrite}
		var buf [2]model.Destination // most forwards have one or two destinations: no allocation
		dests := buf[:0]
		for j, ref := range p.refs {
			d, ok := b.resolveDestination(ci, &fr.table.Object, &b.rootOf(fr).Object, p.paths[j], ref)
			if !ok {
				return false
			}
			d.Weight = p.weights[j]
			if j == 0 && p.autoHost {
				f.HostRewrite = d.Host
			}
			dests = append(dests, d)
		}
		r.Forward = ci.shared.forward(&f, dests)
	case route.Redirect != nil:
		r.Redirect = &model.Redirect{Host: route.Redirect.HostRedirect, Path: route.Redirect.PathRedirect, Code: schema.RedirectStatus(route.Redirect.ResponseCode)}
	case route.DirectResponse != nil:
		r.DirectResponse = &model.DirectResponse{Status: route.DirectResponse.Status, Body: route.DirectResponse.Body}
	default:
		return false // no action: the schema reports it
	}
	return true
}

// regexRewrite keeps the pattern and substitution, except that an empty substitution (delete
// what the pattern matches, valid in Gloo and Envoy) is one Istio refuses: an empty capture group
// appended to the pattern gives a substitution that is not empty but expands to nothing. RE2
// substitutions reach \9 only; a pattern with more groups is left as written for the validator
// (MR4004).
func regexRewrite(pattern, sub string) *model.RegexRewrite {
	if sub == "" {
		if re, err := regexp.Compile(pattern); err == nil && re.NumSubexp() < 9 {
			return &model.RegexRewrite{Pattern: "(?:" + pattern + ")()", Substitution: `\` + strconv.Itoa(re.NumSubexp()+1)}
		}
	}
	return &model.RegexRewrite{Pattern: pattern, Substitution: sub}
}
