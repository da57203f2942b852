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
type Options struct{}

// Run builds the model and checks it. The model is usable for emitting only when no diagnostic
// is an error.
// TODO(validator helper): rules and suppressions.
func Run(set *schema.Set, opts Options) (*model.Model, []diag.Diagnostic) {
	m, ds := compiler.Build(set)
	diag.Sort(ds)
	return m, diag.Dedup(ds)
}
