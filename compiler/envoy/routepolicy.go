package envoy

import (
	"strconv"
	"strings"
	"time"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	faultcommonv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/common/fault/v3"
	corsv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/cors/v3"
	faultv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/fault/v3"
	hcmv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	previousprioritiesv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/retry/priority/previous_priorities/v3"
	matcherv3 "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	typev3 "github.com/envoyproxy/go-control-plane/envoy/type/v3"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/internal/retryon"
)

// HTTP filters route policies configure per route (typed_per_filter_config); the connection
// manager runs them before the router, with a configuration that does nothing by itself.
const (
	faultFilterName = "envoy.filters.http.fault"
	corsFilterName  = "envoy.filters.http.cors"
	// previousPriorities is Istio's retry priority for retryRemoteLocalities.
	previousPriorities = "envoy.retry_priorities.previous_priorities"
)

// setRoutePolicies translates what route policies add to a forwarding route, as istiod does for
// the same VirtualService fields, so both targets treat requests alike.
func (e *emitter) setRoutePolicies(rt *routev3.Route, ra *routev3.RouteAction, p *model.RoutePolicies) {
	if p.Timeout != 0 {
		ra.Timeout = durationpb.New(p.Timeout)
	}
	if p.Retries != nil {
		ra.RetryPolicy = retryPolicy(p.Retries)
	}
	addHeaders(&rt.RequestHeadersToAdd, &rt.RequestHeadersToRemove, &rt.ResponseHeadersToAdd, &rt.ResponseHeadersToRemove, p.Headers)
	for i, h := range p.DestinationHeaders {
		if wc := ra.GetWeightedClusters(); wc != nil {
			if i < len(wc.Clusters) {
				c := wc.Clusters[i]
				addHeaders(&c.RequestHeadersToAdd, &c.RequestHeadersToRemove, &c.ResponseHeadersToAdd, &c.ResponseHeadersToRemove, h)
			}
			continue
		}
		// One destination is a plain cluster, with no per-cluster headers: istiod puts that
		// destination's headers on the route.
		addHeaders(&rt.RequestHeadersToAdd, &rt.RequestHeadersToRemove, &rt.ResponseHeadersToAdd, &rt.ResponseHeadersToRemove, h)
	}
	if m := p.Mirror; m != nil {
		ra.RequestMirrorPolicies = []*routev3.RouteAction_RequestMirrorPolicy{{
			Cluster:         e.useCluster(m.Destination),
			RuntimeFraction: &corev3.RuntimeFractionalPercent{DefaultValue: fractionalPercent(m.Percentage)},
		}}
	}
	if p.Fault != nil {
		perFilter(rt, faultFilterName, toAny(faultConfig(p.Fault)))
	}
	if p.CORS != nil {
		perFilter(rt, corsFilterName, toAny(corsConfig(p.CORS)))
	}
}

func perFilter(rt *routev3.Route, name string, cfg *anypb.Any) {
	if rt.TypedPerFilterConfig == nil {
		rt.TypedPerFilterConfig = map[string]*anypb.Any{}
	}
	rt.TypedPerFilterConfig[name] = cfg
}

// retryPolicy follows istiod's conversion of a VirtualService's retries: Istio's default policy
// with the attempts, conditions and per-try timeout replaced; attempts 0 is no retry policy;
// the status codes in retryOn become retriable_status_codes.
func retryPolicy(r *model.Retries) *routev3.RetryPolicy {
	if r.Attempts == 0 {
		return nil
	}
	out := defaultRetryPolicy()
	out.NumRetries = wrapperspb.UInt32(r.Attempts)
	if r.RetryOn != "" {
		out.RetryOn, out.RetriableStatusCodes = retryon.Split(r.RetryOn)
	}
	if r.PerTryTimeout != 0 {
		out.PerTryTimeout = durationpb.New(r.PerTryTimeout)
	}
	if r.RetryRemoteLocalities {
		out.RetryPriority = &routev3.RetryPolicy_RetryPriority{
			Name:       previousPriorities,
			ConfigType: &routev3.RetryPolicy_RetryPriority_TypedConfig{TypedConfig: toAny(&previousprioritiesv3.PreviousPrioritiesConfig{UpdateFrequency: 2})},
		}
	}
	return out
}

func addHeaders(reqAdd *[]*corev3.HeaderValueOption, reqRemove *[]string, respAdd *[]*corev3.HeaderValueOption, respRemove *[]string, h *model.Headers) {
	if h == nil {
		return
	}
	*reqAdd = append(*reqAdd, headerOptions(h.RequestAdd)...)
	*reqRemove = append(*reqRemove, h.RequestRemove...)
	*respAdd = append(*respAdd, headerOptions(h.ResponseAdd)...)
	*respRemove = append(*respRemove, h.ResponseRemove...)
}

// headerOptions append each header (Istio's headers.add; Envoy's default append action).
func headerOptions(hs []model.Header) []*corev3.HeaderValueOption {
	var out []*corev3.HeaderValueOption
	for _, h := range hs {
		out = append(out, &corev3.HeaderValueOption{Header: &corev3.HeaderValue{Key: h.Name, Value: h.Value}})
	}
	return out
}

func faultConfig(f *model.Fault) *faultv3.HTTPFault {
	out := &faultv3.HTTPFault{}
	if d := f.Delay; d != nil {
		out.Delay = &faultcommonv3.FaultDelay{
			FaultDelaySecifier: &faultcommonv3.FaultDelay_FixedDelay{FixedDelay: durationpb.New(d.Fixed)},
			Percentage:         fractionalPercent(d.Percentage),
		}
	}
	if a := f.Abort; a != nil {
		out.Abort = &faultv3.FaultAbort{
			ErrorType:  &faultv3.FaultAbort_HttpStatus{HttpStatus: a.Status},
			Percentage: fractionalPercent(a.Percentage),
		}
	}
	return out
}

// fractionalPercent is a percentage in millionths, as istiod writes Istio's Percent.
func fractionalPercent(p float64) *typev3.FractionalPercent {
	return &typev3.FractionalPercent{Numerator: uint32(p * 10000), Denominator: typev3.FractionalPercent_MILLION}
}

func corsConfig(c *model.CORS) *corsv3.CorsPolicy {
	out := &corsv3.CorsPolicy{
		AllowMethods:  strings.Join(c.AllowMethods, ","),
		AllowHeaders:  strings.Join(c.AllowHeaders, ","),
		ExposeHeaders: strings.Join(c.ExposeHeaders, ","),
	}
	for _, o := range c.AllowOrigins {
		m := &matcherv3.StringMatcher{}
		switch o.Kind {
		case model.MatchExact:
			m.MatchPattern = &matcherv3.StringMatcher_Exact{Exact: o.Value}
		case model.MatchPrefix:
			m.MatchPattern = &matcherv3.StringMatcher_Prefix{Prefix: o.Value}
		default:
			m.MatchPattern = &matcherv3.StringMatcher_SafeRegex{SafeRegex: &matcherv3.RegexMatcher{Regex: o.Value}}
		}
		out.AllowOriginStringMatch = append(out.AllowOriginStringMatch, m)
	}
	if c.MaxAge != nil {
		// Access-Control-Max-Age is whole seconds, as istiod writes it.
		out.MaxAge = strconv.FormatInt(int64(*c.MaxAge/time.Second), 10)
	}
	if c.AllowCredentials != nil {
		out.AllowCredentials = wrapperspb.Bool(*c.AllowCredentials)
	}
	return out
}

// policyFilters are the HTTP filters the routes of rc configure per route, in the order istiod
// puts them before the router.
func policyFilters(rc *routev3.RouteConfiguration) []string {
	used := map[string]bool{}
	for _, vh := range rc.GetVirtualHosts() {
		for _, r := range vh.GetRoutes() {
			for name := range r.GetTypedPerFilterConfig() {
				used[name] = true
			}
		}
	}
	var out []string
	for _, name := range []string{corsFilterName, faultFilterName} {
		if used[name] {
			out = append(out, name)
		}
	}
	return out
}

// emptyFilterConfig is a filter's connection-manager configuration: the per-route ones decide.
func emptyFilterConfig(name string) *anypb.Any {
	if name == faultFilterName {
		return toAny(&faultv3.HTTPFault{})
	}
	return toAny(&corsv3.Cors{})
}

func policyHTTPFilters(rc *routev3.RouteConfiguration) []*hcmv3.HttpFilter {
	var out []*hcmv3.HttpFilter
	for _, name := range policyFilters(rc) {
		out = append(out, &hcmv3.HttpFilter{Name: name, ConfigType: &hcmv3.HttpFilter_TypedConfig{TypedConfig: emptyFilterConfig(name)}})
	}
	return out
}
