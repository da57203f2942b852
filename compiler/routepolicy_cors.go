package compiler

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/schema"
)

var corsPolicy = compiledPolicy{
	Kind:  kindCORS,
	apply: applyCORS,
	Fields: []fieldMapping{
		{"`config.allowOrigins[]` `exact` / `prefix` / `regex`", "`http[].corsPolicy.allowOrigins[]` `exact` / `prefix` / `regex`", "route `typed_per_filter_config` `envoy.filters.http.cors`: `allow_origin_string_match`"},
		{"`config.allowOrigins[]` `suffix`, or any with `ignoreCase`", "`regex` (`.*` + the quoted suffix; `(?i)` for ignoreCase)", "`safe_regex`, the same pattern"},
		{"`config.allowMethods` / `allowHeaders` / `exposeHeaders`", "`corsPolicy.allowMethods` / `allowHeaders` / `exposeHeaders`", "`allow_methods` / `allow_headers` / `expose_headers`, comma-joined"},
		{"`config.maxAge`", "`corsPolicy.maxAge`", "`max_age` in whole seconds"},
		{"`config.allowCredentials`", "`corsPolicy.allowCredentials`", "`allow_credentials`"},
	},
	Notes: []string{
		"Istio's CORS origins have no suffix and no case-insensitive match, so meshroute writes those as the equivalent regex in both targets. " +
			"The Envoy target adds the `envoy.filters.http.cors` filter before the router of a listener only when one of its routes has a CORS policy. " +
			"An origin regex that is not RE2, a method Istio does not accept (upper-case GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH, or `*`) or a header that is not a name (or `*`) is MR4029; a `maxAge` that is not whole seconds is MR4028, as Istio refuses it.",
	},
}

type corsConfig struct {
	AllowOrigins []struct {
		Exact      *string `json:"exact"`
		Prefix     *string `json:"prefix"`
		Regex      *string `json:"regex"`
		Suffix     *string `json:"suffix"`
		IgnoreCase bool    `json:"ignoreCase"`
	} `json:"allowOrigins"`
	AllowMethods     []string `json:"allowMethods"`
	AllowHeaders     []string `json:"allowHeaders"`
	ExposeHeaders    []string `json:"exposeHeaders"`
	MaxAge           string   `json:"maxAge"`
	AllowCredentials *bool    `json:"allowCredentials"`
}

func applyCORS(b *builder, ci *clusterInfo) {
	applyRouteWinners(b, ci, kindCORS, decodeCORS, func(r *model.Route, _ []int, c *model.CORS, _ *schema.Policy) {
		r.Policies.CORS = c
	})
}

func decodeCORS(b *builder, p *schema.Policy) (*model.CORS, bool) {
	var cfg corsConfig
	if !decodeConfig(b, p, &cfg) {
		return nil, false
	}
	out := &model.CORS{AllowMethods: cfg.AllowMethods, AllowHeaders: cfg.AllowHeaders, ExposeHeaders: cfg.ExposeHeaders, AllowCredentials: cfg.AllowCredentials}
	ok := true
	for i, m := range cfg.AllowMethods {
		if !slices.Contains(corsMethods, m) {
			b.invalidRoutePolicy(p, "/spec/config/allowMethods/"+strconv.Itoa(i), "allowMethods "+m+" is not an HTTP method Istio accepts ("+strings.Join(corsMethods, ", ")+")")
			ok = false
		}
	}
	for _, list := range []struct {
		field string
		names []string
	}{{"allowHeaders", cfg.AllowHeaders}, {"exposeHeaders", cfg.ExposeHeaders}} {
		for i, n := range list.names {
			if problem := headerNameProblem(n); problem != "" && n != "*" {
				b.invalidRoutePolicy(p, "/spec/config/"+list.field+"/"+strconv.Itoa(i), list.field+": "+problem)
				ok = false
			}
		}
	}
	for i, o := range cfg.AllowOrigins {
		m := originMatch(o.Exact, o.Prefix, o.Regex, o.Suffix, o.IgnoreCase)
		if m.Kind == model.MatchRegex {
			if _, err := regexp.Compile(m.Value); err != nil {
				b.invalidRoutePolicy(p, "/spec/config/allowOrigins/"+strconv.Itoa(i), "allowOrigins regex is not RE2: "+err.Error())
				ok = false
			}
		}
		out.AllowOrigins = append(out.AllowOrigins, m)
	}
	if cfg.MaxAge != "" {
		d, dok := b.policyDuration(p, "/spec/config/maxAge", cfg.MaxAge, time.Second, time.Second)
		out.MaxAge, ok = &d, ok && dok
	}
	return out, ok
}

// corsMethods are the methods Istio's validation accepts in corsPolicy.allowMethods.
var corsMethods = []string{"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "*"}

// originMatch turns a Gloo StringMatch (exactly one of the four is set, the schema checks) into
// what Istio's CORS origins can express: suffix and ignoreCase become a full-match regex.
func originMatch(exact, prefix, re, suffix *string, ignoreCase bool) model.OriginMatch {
	fold := ""
	if ignoreCase {
		fold = "(?i)"
	}
	switch {
	case exact != nil && !ignoreCase:
		return model.OriginMatch{Kind: model.MatchExact, Value: *exact}
	case exact != nil:
		return model.OriginMatch{Kind: model.MatchRegex, Value: fold + regexp.QuoteMeta(*exact)}
	case prefix != nil && !ignoreCase:
		return model.OriginMatch{Kind: model.MatchPrefix, Value: *prefix}
	case prefix != nil:
		return model.OriginMatch{Kind: model.MatchRegex, Value: fold + regexp.QuoteMeta(*prefix) + ".*"}
	case suffix != nil:
		return model.OriginMatch{Kind: model.MatchRegex, Value: fold + ".*" + regexp.QuoteMeta(*suffix)}
	case re != nil:
		return model.OriginMatch{Kind: model.MatchRegex, Value: fold + *re}
	}
	return model.OriginMatch{}
}
