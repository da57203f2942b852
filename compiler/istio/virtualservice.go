package istio

import (
	"maps"
	"slices"

	"google.golang.org/protobuf/proto"
	networking "istio.io/api/networking/v1"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/render"
)

// meshGateway is Istio's reserved gateway name for "every sidecar".
const meshGateway = "mesh"

// virtualService emits one root RouteTable as served by gateways in one namespace, or by
// sidecars. Ingress sets are private to their namespace (exportTo "."), since only the Gateways
// there use them; mesh sets keep Istio's default export so every sidecar sees them.
func virtualService(rs *model.RouteSet) render.Object {
	spec := &networking.VirtualService{Hosts: vsHosts(rs.Hosts)}
	var sources []model.SourceSelector
	var ports []uint32
	if rs.Mesh {
		spec.Gateways = []string{meshGateway}
		spec.ExportTo = rs.ExportTo
		sources = rs.Sources
	} else {
		for _, g := range rs.Gateways {
			spec.Gateways = append(spec.Gateways, g.Namespace+"/"+g.Name)
		}
		spec.ExportTo = []string{"."}
		ports = servedPorts(rs)
	}
	for _, r := range rs.Routes {
		spec.Http = append(spec.Http, httpRoute(r, sources, ports))
	}
	if len(rs.TCPRoutes) > 0 {
		spec.Tcp = tcpRoutes(rs, sources)
	}
	if len(rs.TLSRoutes) > 0 {
		spec.Tls = tlsRoutes(rs, sources)
	}
	o := object(KindVirtualService, rs.Namespace, rs.Name, rs.Origin, spec)
	o.Annotations = maps.Clone(rs.Annotations)
	return o
}

// vsHosts drops the hosts another host of the set covers. A set's hosts are narrowed per
// listener, so a `*` table on one listener without allowedRouteTables and one admitting
// `*.example.com` is served as both, and Istio refuses a VirtualService whose hosts overlap
// ("duplicate hosts"). Istio serves each Gateway server the intersection of its hosts and the
// VirtualService's, so the covering host alone routes every server as both did.
func vsHosts(hosts []string) []string {
	var out []string
	for i, h := range hosts {
		covered := false
		for j, o := range hosts {
			// Of two hosts that cover each other (the same name), the first is kept.
			if j != i && model.HostCovers(o, h) && (j < i || !model.HostCovers(h, o)) {
				covered = true
			}
		}
		if !covered {
			out = append(out, h)
		}
	}
	return out
}

// servedPorts returns the http listener ports an ingress set must be pinned to, or nil when it is served
// on every port of its Gateways. Istio binds a VirtualService to every server of its Gateways
// whose hosts overlap its own, whatever the listener's allowedRouteTables say; a port condition
// on each match keeps the routes off the servers that do not admit the table.
func servedPorts(rs *model.RouteSet) []uint32 {
	var all, served []uint32
	for _, g := range rs.Gateways {
		for _, l := range g.Listeners {
			if !l.IsL4() { // http routes never apply on a TCP or TLS server
				all = append(all, l.Port)
			}
		}
	}
	for _, l := range rs.Listeners {
		if !l.IsL4() {
			served = append(served, l.Port)
		}
	}
	slices.Sort(all)
	slices.Sort(served)
	all, served = slices.Compact(all), slices.Compact(served)
	if len(served) == 0 || slices.Equal(all, served) {
		return nil
	}
	return served
}

func httpRoute(r *model.Route, sources []model.SourceSelector, ports []uint32) *networking.HTTPRoute {
	out := &networking.HTTPRoute{Name: r.Name, Match: onPorts(matches(r.Matchers, sources), ports)}
	switch {
	case r.Forward != nil:
		out.Route = destinations(r.Forward.Destinations)
		out.Rewrite = rewrite(r.Forward)
		if r.Policies != nil {
			setRoutePolicies(out, r.Policies)
		}
	case r.Redirect != nil:
		out.Redirect = &networking.HTTPRedirect{
			Authority:    r.Redirect.Host,
			Uri:          r.Redirect.Path,
			RedirectCode: r.Redirect.Code,
		}
	case r.DirectResponse != nil:
		out.DirectResponse = &networking.HTTPDirectResponse{Status: r.DirectResponse.Status}
		if r.DirectResponse.Body != "" {
			out.DirectResponse.Body = &networking.HTTPBody{
				Specifier: &networking.HTTPBody_String_{String_: r.DirectResponse.Body},
			}
		}
	}
	return out
}

// matches turns the route's OR-ed matchers into Istio's OR-ed match list. Istio has no separate
// "which sidecars" condition on a route, only sourceNamespace and sourceLabels inside each match
// (AND-ed there, as in the selector), so a mesh route
// needs one match per (matcher × workload selector): (m1 OR m2) AND (s1 OR s2) =
// m1∧s1 OR m1∧s2 OR m2∧s1 OR m2∧s2. A route without matchers matches everything, so it then
// gets one match per selector.
func matches(ms []*model.Matcher, sources []model.SourceSelector) []*networking.HTTPMatchRequest {
	if len(ms) == 0 {
		ms = []*model.Matcher{{}}
	}
	var out []*networking.HTTPMatchRequest
	for _, m := range ms {
		if len(sources) == 0 {
			if mr := match(m); mr != nil {
				out = append(out, mr)
			}
			continue
		}
		for _, src := range sources {
			mr := match(m)
			if mr == nil {
				mr = &networking.HTTPMatchRequest{}
			}
			mr.SourceNamespace = src.Namespace
			if len(src.Labels) > 0 {
				mr.SourceLabels = src.Labels
			}
			out = append(out, mr)
		}
	}
	return out
}

// onPorts restricts each match to the given ports (one copy per port); a match that names its own
// port already is kept, as binding only resolves matcher ports against serving listeners.
func onPorts(ms []*networking.HTTPMatchRequest, ports []uint32) []*networking.HTTPMatchRequest {
	if len(ports) == 0 {
		return ms
	}
	if len(ms) == 0 {
		ms = []*networking.HTTPMatchRequest{{}}
	}
	var out []*networking.HTTPMatchRequest
	for _, m := range ms {
		if m.Port != 0 {
			out = append(out, m)
			continue
		}
		for _, p := range ports {
			c := proto.Clone(m).(*networking.HTTPMatchRequest)
			c.Port = p
			out = append(out, c)
		}
	}
	return out
}

// match translates one matcher (all its conditions AND-ed); nil when it has no condition, since
// Istio reads a route without match as "match everything".
func match(m *model.Matcher) *networking.HTTPMatchRequest {
	mr := &networking.HTTPMatchRequest{Port: m.Port}
	empty := m.Port == 0
	if m.URI != nil {
		mr.Uri = uriMatch(m.URI)
		// Istio applies ignoreUriCase to exact and prefix matches only; a regex carries the
		// flag itself (uriMatch), as the Envoy target does.
		mr.IgnoreUriCase = m.URI.IgnoreCase && m.URI.Kind != model.MatchRegex
		empty = false
	}
	for _, h := range m.Headers {
		target := &mr.Headers
		if h.Invert {
			target = &mr.WithoutHeaders
		}
		if *target == nil {
			*target = map[string]*networking.StringMatch{}
		}
		(*target)[h.Name] = headerMatch(h)
		empty = false
	}
	for _, q := range m.Query {
		if mr.QueryParams == nil {
			mr.QueryParams = map[string]*networking.StringMatch{}
		}
		mr.QueryParams[q.Name] = queryMatch(q)
		empty = false
	}
	if m.Method != "" {
		mr.Method = exact(m.Method)
		empty = false
	}
	if empty {
		return nil
	}
	return mr
}

func uriMatch(u *model.URIMatch) *networking.StringMatch {
	switch u.Kind {
	case model.MatchExact:
		return exact(u.Value)
	case model.MatchRegex:
		if u.IgnoreCase {
			return regex("(?i)" + u.Value)
		}
		return regex(u.Value)
	}
	return &networking.StringMatch{MatchType: &networking.StringMatch_Prefix{Prefix: u.Value}}
}

// headerMatch: a presence check is the empty StringMatch, which Istio reads as "the header is
// present with any value".
func headerMatch(h model.HeaderMatch) *networking.StringMatch {
	switch {
	case h.Present && h.Value == "":
		return &networking.StringMatch{}
	case h.Regex:
		return regex(h.Value)
	}
	return exact(h.Value)
}

// queryMatch: "present with any value" is the regex ".*", which matches what Envoy's present_match
// does; Istio's presence forms are `{}` and regex "*" (refused by its own validation as not RE2),
// and the header presence `{}` stays the one empty match the output holds (docs/istio-output.md).
func queryMatch(q model.QueryMatch) *networking.StringMatch {
	switch {
	case q.Present && q.Value == "":
		return regex(".*")
	case q.Regex:
		return regex(q.Value)
	}
	return exact(q.Value)
}

func exact(s string) *networking.StringMatch {
	return &networking.StringMatch{MatchType: &networking.StringMatch_Exact{Exact: s}}
}

func regex(s string) *networking.StringMatch {
	return &networking.StringMatch{MatchType: &networking.StringMatch_Regex{Regex: s}}
}

// destinations: the model's weights already sum to 100; a single destination carries none.
func destinations(ds []*model.Destination) []*networking.HTTPRouteDestination {
	out := make([]*networking.HTTPRouteDestination, 0, len(ds))
	for _, d := range ds {
		dest := &networking.Destination{Host: d.Host, Subset: d.Subset}
		if d.Port != 0 {
			dest.Port = &networking.PortSelector{Number: d.Port}
		}
		rd := &networking.HTTPRouteDestination{Destination: dest}
		if len(ds) > 1 {
			rd.Weight = int32(d.Weight)
		}
		out = append(out, rd)
	}
	return out
}

func rewrite(f *model.Forward) *networking.HTTPRewrite {
	if f.PathRewrite == nil && f.RegexRewrite == nil && f.HostRewrite == "" {
		return nil
	}
	rw := &networking.HTTPRewrite{Authority: f.HostRewrite}
	if f.PathRewrite != nil {
		rw.Uri = *f.PathRewrite
	}
	if f.RegexRewrite != nil {
		rw.UriRegexRewrite = &networking.RegexRewrite{Match: f.RegexRewrite.Pattern, Rewrite: f.RegexRewrite.Substitution}
	}
	return rw
}
