package schema

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// FieldsMarkdown renders docs/unsupported.md: every field of the Gloo routing and tenancy kinds, as the JSON
// Schemas know them, with what meshroute does with it. It is computed from the same tables the
// loader reports from (the typed specs, routingFields, routingValues), so the page cannot claim
// more than the code does; fieldNotes adds what later stages decide about fields they read.
func FieldsMarkdown() ([]byte, error) {
	var b strings.Builder
	b.WriteString(fieldsIntro)
	for _, k := range []struct {
		apiVersion, kind string
		spec             reflect.Type
	}{
		{GlooAPIVersion, KindVirtualGateway, reflect.TypeFor[VirtualGatewaySpec]()},
		{GlooAPIVersion, KindVirtualDestination, reflect.TypeFor[VirtualDestinationSpec]()},
		{GlooAPIVersion, KindRouteTable, reflect.TypeFor[RouteTableSpec]()},
		{GlooAPIVersion, KindExternalService, reflect.TypeFor[ExternalServiceSpec]()},
		{GlooAPIVersion, KindExternalEndpoint, reflect.TypeFor[ExternalEndpointSpec]()},
		{AdminAPIVersion, KindWorkspace, reflect.TypeFor[WorkspaceSpec]()},
		{AdminAPIVersion, KindWorkspaceSettings, reflect.TypeFor[WorkspaceSettingsSpec]()},
	} {
		cs, err := lookupSchema(k.apiVersion, k.kind)
		if err != nil {
			return nil, err
		}
		doc, _ := cs.doc.(map[string]any)
		props, _ := doc["properties"].(map[string]any)
		spec, _ := props["spec"].(map[string]any)
		fmt.Fprintf(&b, "\n## %s\n\n| field | meshroute |\n| --- | --- |\n", k.kind)
		writeFieldRows(&b, doc, resolveRef(doc, spec), k.spec, "spec", "/spec", 0)
	}
	b.WriteString("\n## Values refused\n\n| field | value | meshroute |\n| --- | --- | --- |\n")
	for _, v := range routingValues {
		field := strings.ReplaceAll(strings.ReplaceAll(strings.TrimPrefix(v.pattern, "/"), "/*", "[]"), "/", ".")
		fmt.Fprintf(&b, "| `%s` | `%s` | **refused**: error MR1006 (%s) |\n", field, v.value, v.why)
	}
	return []byte(b.String()), nil
}

func writeFieldRows(b *strings.Builder, doc, node map[string]any, t reflect.Type, name, ptr string, depth int) {
	props, _ := node["properties"].(map[string]any)
	for _, p := range slices.Sorted(maps.Keys(props)) {
		sub := resolveRef(doc, asMap(props[p]))
		field, fptr := name+"."+p, ptr+"/"+p
		f, typed := fieldByJSONName(t, p)
		typed = typed && (slices.Contains(workspaceRead, fptr) || !slices.Contains(notImplemented[t], p))
		status := "read"
		switch {
		case !typed && slices.Contains(routingFields, fptr):
			status = "**refused**: error MR1006 (ignoring it would change where traffic goes)"
		case !typed:
			status = "accepted and ignored: warning MR1005"
		}
		if note := fieldNotes[fptr]; note != "" {
			status += "; " + note
		}
		fmt.Fprintf(b, "| `%s` | %s |\n", field, status)
		if !typed || depth > 12 {
			continue
		}
		ft, fname, fp := elem(f.Type), field, fptr
		if items := resolveRef(doc, asMap(sub["items"])); sub["type"] == "array" && items != nil {
			sub, fname, fp = items, field+"[]", fptr+"/*"
		}
		if ft.Kind() == reflect.Struct {
			writeFieldRows(b, doc, sub, ft, fname, fp, depth+1)
		}
	}
}

const workspaceNote = "without Workspace objects in the input, warning MR1005 (no effect; docs/workspaces.md)"

func elem(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// fieldNotes say what happens to fields meshroute reads but does not (fully) act on, as the
// compiler reports them; keyed by the generic JSON pointer of the field.
var fieldNotes = map[string]string{
	"/spec/http/*/delegate/routeTables/*/workspace":             workspaceNote,
	"/spec/services/*/workspace":                                workspaceNote,
	"/spec/workloads/*/selector/workspace":                      workspaceNote,
	"/spec/listeners/*/allowedRouteTables/*/selector/workspace": workspaceNote,
	"/spec/workloads/*/kind":                                    "`VM` is refused (error MR1006); `KUBE` is the default",
	"/spec/workloads/*/port":                                    "no effect (Gloo uses it only for policies)",
	"/spec/listeners/*/tcp":                                     "a tcp listener (so is a listener with neither `http` nor `tcp`, as in Gloo): it serves the tcp routes of the tables it admits, one table per port (error MR3030); with `tls`, TLS passthrough serving their tls routes by SNI; an http-only table bound only to tcp listeners, or the reverse, is error MR2033 (docs/routing.md)",
	"/spec/listeners/*/httpsRedirect":                           "on a listener with `tls`, warning MR1005 (it belongs on the plain-HTTP listener)",
	"/spec/listeners/*/tls/mode":                                "on an `http` listener: `PASSTHROUGH` and `AUTO_PASSTHROUGH` are error MR4008, left out = `SIMPLE`; on a `tcp` listener: left out = `PASSTHROUGH` (the enum's zero value), every other mode (terminating TLS, or `AUTO_PASSTHROUGH`, Istio's east-west pattern that no route table binds to) is **refused**, error MR1006",
	"/spec/listeners/*/tls/secretName":                          "`SIMPLE` and `MUTUAL` need it or `files` (error MR4019); `ISTIO_MUTUAL` refuses it (MR4019)",
	"/spec/listeners/*/tls/files":                               "`SIMPLE` needs `serverCert` and `privateKey`, `MUTUAL` also `caCerts` (error MR4019); `ISTIO_MUTUAL` refuses it; `caCerts` in `SIMPLE` mode is dropped (warning MR4021)",
	"/spec/listeners/*/tls/verifySubjectAltName":                "`MUTUAL` and `ISTIO_MUTUAL`; in `SIMPLE` mode dropped (warning MR4021)",
	"/spec/listeners/*/tls/parameters":                          "a minimum above the maximum, or `TLSv1_0`/`TLSv1_1` without `cipherSuites`, is error MR4020",
	"/spec/listeners/*/tls/parameters/cipherSuites":             "suites Gloo does not list, repeats, and every suite when the minimum is `TLSv1_3` are dropped (warning MR4021 but for repeats)",
	"/spec/http/*/labels":                                       "no effect on routing (Gloo attaches policies by them)",
	"/spec/http/*/matchers/*/name":                              "no effect (Gloo documents it as unsupported too)",
	"/spec/http/*/forwardTo/destinations/*/kind":                "`EXTERNAL_SERVICE` sends to the ExternalService's first host (docs/routing.md)",
	"/spec/tcp/*/forwardTo/destinations/*/kind":                 "`EXTERNAL_SERVICE` sends to the ExternalService's first host (docs/routing.md)",
	"/spec/tls/*/forwardTo/destinations/*/kind":                 "`EXTERNAL_SERVICE` sends to the ExternalService's first host (docs/routing.md)",
	"/spec/defaultDestination/kind":                             "`EXTERNAL_SERVICE` sends to the ExternalService's first host (docs/routing.md)",
	"/spec/workloadSelectors/*/selector/name":                   "error MR1006: Istio cannot select sidecars by workload name, and ignoring it would route more sidecars",
	"/spec/workloadSelectors/*/selector/namespace":              "becomes Istio `match[].sourceNamespace`",
	"/spec/workloadSelectors/*/selector/cluster":                "limits the table to that cluster's sidecars",
	"/spec/http/*/delegate/routeTables/*/cluster":               "warning MR1005: RouteTables are mesh-wide, not per cluster",
	"/spec/http/*/forwardTo/autoHostRewrite":                    "with several destinations, error MR1006 (the Host header is rewritten once per route)",
	"/spec/http/*/forwardTo/regexRewrite":                       "with `pathRewrite` on the same route, error MR1003 (at most one of them)",
	"/spec/workloadSelectors/*/port":                            "no effect",
	"/spec/listeners/*/allowedRouteTables/*/allowedRoutes":      "no effect: it only filters out tables with AWS Lambda routes, which meshroute refuses (MR1006)",
	"/spec/http/*/delegate/allowedRoutes":                       "no effect: it only filters out tables with AWS Lambda routes, which meshroute refuses (MR1006)",
	"/spec/virtualServiceAnnotations":                           "the `metadata.annotations` of the table's VirtualServices (a root table's; a delegated table makes no VirtualService, so its own have no effect)",
	"/spec/tcp":                                                 "served to the table's sidecars and on the tcp listeners of its VirtualGateways that admit it (a matcher port names the listener's Service port; one table per gateway port, error MR3030); served nowhere, or on a delegated table, error MR2021; a route an earlier one shadows is warning MR3016; `meshroute test` takes them as `request.protocol` connections from sidecars or to a gateway port",
	"/spec/tcp/*/forwardTo":                                     "destinations and weights as for http; every rewrite is error MR2022",
	"/spec/tls":                                                 "SNI passthrough routes, served to the table's sidecars and on the TLS passthrough listeners (`tcp` with `tls`) of its VirtualGateways that admit it (an SNI name on a gateway port belongs to one table, error MR3030); served nowhere, or on a delegated table, error MR2021; a route earlier ones shadow is warning MR3016; `meshroute test` takes them as `request.protocol` connections from sidecars or to a gateway port",
	"/spec/tls/*/matchers":                                      "required, each with `sniHosts` among the table's hosts (error MR3017)",
}

const fieldsIntro = `<!-- Generated from schema/ by ` + "`go test ./schema -update`" + `; do not edit. -->
# Gloo fields: read, ignored, refused

meshroute accepts the field names of the ` + "`networking.gloo.solo.io/v2`" + ` and ` + "`admin.gloo.solo.io/v2`" + ` APIs
(solo-io/solo-apis, branch ` + "`gloo-mesh-v2.6.x`" + `) exactly. For each field of the three kinds it
compiles and of the two workspace kinds (docs/workspaces.md), this page says what happens to it:

- **read**: meshroute compiles it (docs/routing.md and docs/istio-output.md say how);
- **accepted and ignored**: warning ` + "`MR1005`" + `; the output is what it would be without the field.
  Suppress it per object (` + "`meshroute.dev/suppress: MR1005`" + `) once that is what you want;
- **refused**: error ` + "`MR1006`" + `; ignoring the field would send traffic somewhere Gloo would not,
  so ` + "`compile`" + ` writes nothing until the field is removed or the object is left out of the input.

A field that is in none of these tables is not part of the API: error ` + "`MR1001`" + `, with a "did you
mean" hint when a known field is close. ` + "`metadata`" + ` takes every Kubernetes ObjectMeta field and
` + "`status`" + ` anything, so objects exported with ` + "`kubectl get -o yaml`" + ` (also as a ` + "`v1 List`" + `) load
as they are.

How values are read, as the Kubernetes API server and Gloo read them:

- **enums** take their name (case-sensitive: ` + "`FOUND`" + `, not ` + "`found`" + `) or their proto number
  (` + "`responseCode: 1`" + ` is ` + "`FOUND`" + `), since Gloo's CRDs declare enums int-or-string and Gloo decodes
  specs with protojson;
- **numbers and booleans** must not be quoted: ` + "`number: \"80\"`" + ` and ` + "`ignoreCase: \"true\"`" + ` are
  refused (error MR1003), as the API server refuses them;
- **null** (` + "`labels: null`" + `, or a key with nothing after it) means the field is absent, as the API
  server prunes it. When that leaves a required field or a route's action missing, the error
  points at the empty key.
`
