package validate

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/meshroute/meshroute/schema"
)

func TestImplicitNamespaces(t *testing.T) {
	const objects = `apiVersion: meshroute.dev/v1alpha1
kind: Cluster
metadata: {name: c1}
---
apiVersion: networking.gloo.solo.io/v2
kind: VirtualGateway
metadata: {name: gw, namespace: gloo-mesh}
---
apiVersion: networking.gloo.solo.io/v2
kind: VirtualDestination
metadata: {name: vd, namespace: default}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
`
	table := func(meta, spec string) string {
		return "---\napiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata: " + meta + "\nspec:\n" + spec
	}
	dest := func(ref string) string {
		return "  http:\n  - forwardTo:\n      destinations:\n      - ref: " + ref + "\n"
	}
	for _, tc := range []struct {
		name, doc string
		related   []string // "" entries: no finding at all
	}{
		{"namespace written out", table("{name: r, namespace: default}", dest("{name: web}")), nil},
		{"resolves in default and elsewhere", table("{name: r}", dest("{name: web}")),
			[]string{"Service web resolves to default/web; namespace shop has one too"}},
		{"only in another namespace", table("{name: r}", dest("{name: api}")),
			[]string{"Service api is looked up in default, which has none; namespace shop has one"}},
		{"exists nowhere: left to MR2002", table("{name: r}", dest("{name: nothing}")), nil},
		{"reference with a namespace", table("{name: r}", dest("{name: api, namespace: shop}")), nil},
		{"gateway reference", table("{name: r}", "  virtualGateways: [{name: gw}]\n"),
			[]string{"VirtualGateway gw is looked up in default, which has none; namespace gloo-mesh has one"}},
		{"gateway reference with a namespace", table("{name: r}", "  virtualGateways: [{name: gw, namespace: gloo-mesh}]\n"), nil},
		{"virtual destination and default destination", table("{name: r}", "  defaultDestination: {ref: {name: web}}\n"+dest("{name: vd}\n        kind: VIRTUAL_DESTINATION")),
			[]string{"Service web resolves to default/web; namespace shop has one too", "VirtualDestination vd resolves to default/vd only because of the fallback"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"in.yaml": {Data: []byte(objects + tc.doc)}}
			set, _, err := (&schema.Loader{FS: fsys}).Load([]schema.Input{{Path: "in.yaml"}})
			if err != nil {
				t.Fatal(err)
			}
			ds := checkImplicitNamespaces(newSources(set))
			if len(tc.related) == 0 {
				if len(ds) != 0 {
					t.Errorf("unexpected %v", ds)
				}
				return
			}
			line := strings.Count(objects, "\n") + 4 // the table's metadata
			if len(ds) != 1 || ds[0].Code != "MR4014" || ds[0].Pos.Line != line || len(ds[0].Related) != len(tc.related) {
				t.Fatalf("got %v, want one MR4014 at line %d with %d related", ds, line, len(tc.related))
			}
			for i, r := range ds[0].Related {
				if r.Message != tc.related[i] {
					t.Errorf("related %d: %q, want %q", i, r.Message, tc.related[i])
				}
			}
			if len(tc.related) > 1 && !strings.Contains(ds[0].Message, "2 references") {
				t.Errorf("message %q", ds[0].Message)
			}
		})
	}
}
