package schema

import (
	"slices"
	"strings"

	"github.com/meshroute/meshroute/diag"
)

// readKindsByGroup indexes the apiVersion/kind pairs meshroute reads — the schema registry's
// kinds and the RouteTest that `meshroute test` reads — by API group.
var readKindsByGroup = func() map[string][]kindSchema {
	out := map[string][]kindSchema{}
	for _, k := range append(slices.Clone(kindSchemas), kindSchema{APIVersion: InventoryAPIVersion, Kind: KindRouteTest}) {
		out[apiGroup(k.APIVersion)] = append(out[apiGroup(k.APIVersion)], k)
	}
	return out
}()

// apiGroup is the group of an apiVersion: "" for the core group ("v1"). A bare group with no
// version ("networking.gloo.solo.io") is that group, so a forgotten version is found too.
func apiGroup(apiVersion string) string {
	if group, _, ok := strings.Cut(apiVersion, "/"); ok {
		return group
	}
	if strings.Contains(apiVersion, ".") {
		return apiVersion
	}
	return ""
}

// mistypedKind returns the kind meshroute reads that an object it would otherwise ignore was
// most likely meant to be: in the same API group, the same kind at another version, or a kind
// within typing distance (case ignored). Such an object is silently missing routing config, so it
// is an error rather than an ignored kind.
func mistypedKind(apiVersion, kind string) (kindSchema, bool) {
	inGroup := readKindsByGroup[apiGroup(apiVersion)]
	names := make([]string, len(inGroup))
	for i, k := range inGroup {
		if strings.EqualFold(k.Kind, kind) {
			return k, true
		}
		names[i] = k.Kind
	}
	if s := Suggest(kind, names); s != "" {
		for _, k := range inGroup {
			if k.Kind == s {
				return k, true
			}
		}
	}
	return kindSchema{}, false
}

// mistypedKindDiag reports obj, of a kind meshroute does not read, when it looks like a
// misspelling of one it does (MR1010); nil otherwise.
func mistypedKindDiag(obj *Object) *diag.Diagnostic {
	want, ok := mistypedKind(obj.APIVersion, obj.Kind)
	if !ok {
		return nil
	}
	var d diag.Diagnostic
	switch {
	case want.Kind == obj.Kind:
		d = diag.MistypedKind(obj.ValuePos("/apiVersion"), obj.APIVersion, obj.Kind, want.Kind, want.APIVersion).
			WithHint("did you mean `apiVersion: %s`?", want.APIVersion)
	case want.APIVersion == obj.APIVersion:
		d = diag.UnknownKindInAPIVersion(obj.ValuePos("/kind"), obj.APIVersion, obj.Kind).
			WithHint("did you mean `kind: %s`?", want.Kind)
	default:
		d = diag.UnknownKindInAPIVersion(obj.ValuePos("/kind"), obj.APIVersion, obj.Kind).
			WithHint("did you mean `apiVersion: %s` and `kind: %s`?", want.APIVersion, want.Kind)
	}
	d = d.WithObject(obj.Ref(), "")
	return &d
}
