// Package validate runs every check meshroute makes: the compiler's resolution and the rules
// that need the whole routing model (conflicts, shadowed routes), then applies suppressions.
// `validate` and `compile` both go through Run, so they can never disagree.
package validate

import (
	"github.com/meshroute/meshroute/compiler"
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// Options tune which findings are kept.
type Options struct {
	// Suppress drops matching warnings and infos (--suppress); errors are never dropped.
	Suppress []Suppression
	// Loaded are the loader's diagnostics for set: Run merges them with its own, so suppressions
	// (an annotation silencing MR1005, say) apply to them too and one sorted list comes back.
	Loaded []diag.Diagnostic
	// PreviousVIPs are the ServiceEntry addresses of the previous output, host → address
	// (outdir.PreviousVIPs of the --out-dir), so that hosts keep their VIPs (compiler.Options).
	PreviousVIPs map[string]string
}

// Run builds the model and checks it. The model is usable for emitting only when no diagnostic
// is an error. Every rule reads the one model Build produced (no re-resolution) plus the
// source objects for field positions.
func Run(set *schema.Set, opts Options) (*model.Model, []diag.Diagnostic) {
	if set == nil {
		set = &schema.Set{}
	}
	m, built := compiler.BuildWith(set, compiler.Options{PreviousVIPs: opts.PreviousVIPs})
	ds := append(append([]diag.Diagnostic(nil), opts.Loaded...), built...)
	if m == nil {
		m = &model.Model{}
	}
	return m, check(m, set, ds, opts)
}

// check runs the rules on a built model and applies suppressions to every finding, Build's
// included; it returns them sorted and deduplicated.
func check(m *model.Model, set *schema.Set, ds []diag.Diagnostic, opts Options) []diag.Diagnostic {
	src := newSources(set)
	ds = append(ds, checkRegexes(src)...)
	ds = append(ds, checkPartialWildcards(src)...)
	ds = append(ds, checkNameTokens(src)...)
	ds = append(ds, checkImplicitNamespaces(src)...)
	ds = append(ds, checkShadowing(m, src)...)
	ds = append(ds, checkGatewayHosts(m, src)...)
	ds = append(ds, checkMeshHosts(m)...)
	ds = append(ds, checkDelegationTies(m)...)
	ds = append(ds, checkListenerConflicts(m, src)...)
	ds = append(ds, checkSuppressAnnotations(src)...)
	ds = applySuppressions(ds, opts.Suppress, src)
	diag.Sort(ds)
	return diag.Dedup(ds)
}
