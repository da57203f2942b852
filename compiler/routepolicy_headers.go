package compiler

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/schema"
)

var headerManipulationPolicy = compiledPolicy{
	Kind:  kindHeaderManipulation,
	apply: applyHeaderManipulation,
	Fields: []fieldMapping{
		{"`config.appendRequestHeaders`", "`http[].headers.request.add`", "route `request_headers_to_add`"},
		{"`config.removeRequestHeaders`", "`http[].headers.request.remove`", "route `request_headers_to_remove`"},
		{"`config.appendResponseHeaders`", "`http[].headers.response.add`", "route `response_headers_to_add`"},
		{"`config.removeResponseHeaders`", "`http[].headers.response.remove`", "route `response_headers_to_remove`"},
		{"`applyToRouteDestinations[].onDestinations`", "`http[].route[i].headers` of the selected destinations", "the same fields on each selected `weighted_clusters` entry; on the route itself when it has one destination (as istiod does)"},
	},
	Notes: []string{
		"Header names are written in lower case (HTTP header names are case-insensitive; Istio and Envoy compare them so). " +
			"An empty name, a pseudo-header (`:path`) or `host` cannot be added or removed, and a value with a single `%` (Envoy's variable marker; write `%%`) cannot be added: MR4029, as Istio refuses them. " +
			"A route may get one HeaderManipulationPolicy for the whole route and another for some of its destinations: both apply.",
	},
}

type headerConfig struct {
	AppendRequestHeaders  map[string]string `json:"appendRequestHeaders"`
	RemoveRequestHeaders  []string          `json:"removeRequestHeaders"`
	AppendResponseHeaders map[string]string `json:"appendResponseHeaders"`
	RemoveResponseHeaders []string          `json:"removeResponseHeaders"`
}

func applyHeaderManipulation(b *builder, ci *clusterInfo) {
	applyRouteWinners(b, ci, kindHeaderManipulation, decodeHeaders, func(r *model.Route, dests []int, h *model.Headers, _ *schema.Policy) {
		if dests == nil {
			r.Policies.Headers = h
			return
		}
		if r.Policies.DestinationHeaders == nil {
			r.Policies.DestinationHeaders = make([]*model.Headers, len(r.Forward.Destinations))
		}
		for _, i := range dests {
			r.Policies.DestinationHeaders[i] = h
		}
	})
}

func decodeHeaders(b *builder, p *schema.Policy) (*model.Headers, bool) {
	var cfg headerConfig
	if !decodeConfig(b, p, &cfg) {
		return nil, false
	}
	ok := true
	check := func(path, name string) string {
		if problem := headerNameProblem(name); problem != "" {
			b.invalidRoutePolicy(p, path, problem)
			ok = false
		}
		return strings.ToLower(name)
	}
	adds := func(field string, m map[string]string) []model.Header {
		var out []model.Header
		for _, k := range slices.Sorted(maps.Keys(m)) {
			at := "/spec/config/" + field + "/" + escapePointer(k)
			if strings.Count(m[k], "%")%2 != 0 {
				// Envoy reads %NAME% in a header value as a variable.
				b.invalidRoutePolicy(p, at, "the value of header "+k+" has a single %, which Envoy refuses: write %% for a literal %")
				ok = false
			}
			out = append(out, model.Header{Name: check(at, k), Value: m[k]})
		}
		slices.SortStableFunc(out, func(x, y model.Header) int { return strings.Compare(x.Name, y.Name) })
		// Two spellings of one name (X-A, x-a) are one header; the first in sorted order stays.
		return slices.CompactFunc(out, func(x, y model.Header) bool { return x.Name == y.Name })
	}
	removes := func(field string, names []string) []string {
		var out []string
		for i, n := range names {
			out = append(out, check("/spec/config/"+field+"/"+strconv.Itoa(i), n))
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	h := &model.Headers{
		RequestAdd:     adds("appendRequestHeaders", cfg.AppendRequestHeaders),
		RequestRemove:  removes("removeRequestHeaders", cfg.RemoveRequestHeaders),
		ResponseAdd:    adds("appendResponseHeaders", cfg.AppendResponseHeaders),
		ResponseRemove: removes("removeResponseHeaders", cfg.RemoveResponseHeaders),
	}
	return h, ok
}

// headerNameProblem says why a header cannot be added or removed: Envoy refuses pseudo-headers
// and host there, and a name must be an HTTP token.
func headerNameProblem(name string) string {
	switch {
	case name == "":
		return "a header name is empty"
	case strings.HasPrefix(name, ":"):
		return "header " + name + " is a pseudo-header, which a route cannot add or remove"
	case strings.EqualFold(name, "host"):
		return "the host header cannot be added or removed; a route rewrites it with hostRewrite"
	}
	for _, c := range name {
		if !isTokenChar(c) {
			return "header name " + name + " has a character HTTP does not allow in a name"
		}
	}
	return ""
}

func isTokenChar(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", c)
}
