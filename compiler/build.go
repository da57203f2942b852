// Package compiler resolves the loaded objects against the inventory and builds the routing
// model: gateways, flattened and ordered routes, backends, generated names.
package compiler

import (
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// Build compiles set into the routing model of every declared cluster, with every diagnostic
// found on the way.
// TODO(compiler helper): resolution, flattening, ordering.
func Build(set *schema.Set) (*model.Model, []diag.Diagnostic) {
	return &model.Model{}, nil
}
