package compiler

import (
	"maps"
	"slices"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// delegateHint suggests a child table close to what the first selector names: by name, a close
// table name; by labels, the closest existing labels (a typo in a key or value).
func (b *builder) delegateHint(d diag.Diagnostic, t *schema.RouteTable, i int) diag.Diagnostic {
	sels := t.Spec.HTTP[i].Delegate.RouteTables
	var children []string
	for _, c := range b.set.RouteTables {
		if !c.IsRoot() {
			children = append(children, c.Namespace()+"/"+c.Name())
		}
	}
	if len(sels) == 0 {
		return d.WithHint("list the child tables under routeTables (by name, namespace or labels)")
	}
	ns := sels[0].Namespace
	if ns == "" {
		ns = t.Namespace()
	}
	if sels[0].Name != "" {
		return didYouMean(d, ns+"/"+sels[0].Name, children, "child RouteTable")
	}
	if len(sels[0].Labels) > 0 {
		return b.labelsHint(d, &sels[0])
	}
	return d
}

// labelsHint suggests, for a label selector that selects no table, the closest labels that do
// select one: each key no candidate table has is replaced by the closest existing key, and each
// value no candidate has for its key by the closest existing value (schema.Suggest). Candidates
// are the tables in the selector's namespace (any namespace when it has none) that are not roots,
// since a root is never a valid child. Without a correction that selects a table, the hint says
// which labels the candidates do carry, so the user sees what exists.
func (b *builder) labelsHint(d diag.Diagnostic, sel *schema.ObjectSelector) diag.Diagnostic {
	var cands []*schema.RouteTable
	for _, c := range b.set.RouteTables {
		if !c.IsRoot() && (sel.Namespace == "" || sel.Namespace == c.Namespace()) {
			cands = append(cands, c)
		}
	}
	values := map[string]map[string]bool{} // key → values carried by some candidate
	for _, c := range cands {
		for k, v := range c.Metadata.Labels {
			if values[k] == nil {
				values[k] = map[string]bool{}
			}
			values[k][v] = true
		}
	}
	keys := slices.Sorted(maps.Keys(values))
	fixed := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(sel.Labels)) {
		v := sel.Labels[k]
		if values[k] == nil {
			k = schema.Suggest(k, keys)
			if k == "" {
				fixed = nil
				break
			}
		}
		if !values[k][v] {
			v = schema.Suggest(v, slices.Sorted(maps.Keys(values[k])))
			if v == "" {
				fixed = nil
				break
			}
		}
		fixed[k] = v
	}
	for _, c := range cands {
		if fixed != nil && subsetOf(fixed, c.Metadata.Labels) {
			return d.WithHint("did you mean labels %s? they select RouteTable %s/%s", labelString(fixed), c.Namespace(), c.Name())
		}
	}
	if len(keys) == 0 {
		return d.WithHint("no RouteTable has the labels %s, and no child RouteTable carries labels", labelString(sel.Labels))
	}
	list := keys
	if len(list) > 5 {
		list = append(slices.Clone(list[:5]), "…")
	}
	return d.WithHint("no RouteTable has the labels %s; label keys on child RouteTables: %s", labelString(sel.Labels), joinComma(list))
}
