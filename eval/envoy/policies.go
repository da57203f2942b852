package envoy

import (
	"slices"
	"strconv"
	"strings"
	"time"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	corsv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/cors/v3"
	faultv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/fault/v3"
	typev3 "github.com/envoyproxy/go-control-plane/envoy/type/v3"

	"github.com/meshroute/meshroute/eval"
)

// Per-route configuration keys of the HTTP filters route policies use.
const (
	faultFilter = "envoy.filters.http.fault"
	corsFilter  = "envoy.filters.http.cors"
)

// policies reads what the forwarding route r does besides choosing clusters (eval.Policies).
func (e *Evaluator) policies(r *routev3.Route, ra *routev3.RouteAction, defined map[string]bool) *eval.Policies {
	out := &eval.Policies{Timeout: eval.DurationString(ra.GetTimeout().AsDuration())}
	if rp := ra.GetRetryPolicy(); rp != nil {
		out.Retries = &eval.Retries{
			Attempts:         rp.GetNumRetries().GetValue(),
			PerTryTimeout:    eval.DurationString(rp.GetPerTryTimeout().AsDuration()),
			RetryOn:          rp.GetRetryOn(),
			StatusCodes:      rp.GetRetriableStatusCodes(),
			RemoteLocalities: rp.GetRetryPriority().GetName() == "envoy.retry_priorities.previous_priorities",
		}
		if rp.GetNumRetries() == nil {
			out.Retries.Attempts = 1 // Envoy's default
		}
	}
	cfg := r.GetTypedPerFilterConfig()
	if a := cfg[faultFilter]; a != nil {
		var f faultv3.HTTPFault
		if a.UnmarshalTo(&f) == nil {
			out.Fault = fault(&f)
		}
	}
	if a := cfg[corsFilter]; a != nil {
		var c corsv3.CorsPolicy
		if a.UnmarshalTo(&c) == nil {
			out.CORS = cors(&c)
		}
	}
	out.Headers = headers(r.GetRequestHeadersToAdd(), r.GetRequestHeadersToRemove(), r.GetResponseHeadersToAdd(), r.GetResponseHeadersToRemove()).NonEmpty()
	if ms := ra.GetRequestMirrorPolicies(); len(ms) > 0 {
		pct := 100.0
		if f := ms[0].GetRuntimeFraction(); f != nil {
			pct = percent(f.GetDefaultValue())
		}
		out.Mirror = &eval.Mirror{Percentage: pct, Destination: e.destination(ms[0].GetCluster(), 0, defined)}
	}
	return out
}

func fault(f *faultv3.HTTPFault) *eval.Fault {
	out := &eval.Fault{}
	if d := f.GetDelay(); d != nil {
		out.Delay = &eval.FaultDelay{FixedDelay: eval.DurationString(d.GetFixedDelay().AsDuration()), Percentage: percent(d.GetPercentage())}
	}
	if a := f.GetAbort(); a != nil {
		out.Abort = &eval.FaultAbort{HTTPStatus: a.GetHttpStatus(), Percentage: percent(a.GetPercentage())}
	}
	if out.Delay == nil && out.Abort == nil {
		return nil
	}
	return out
}

// percent turns Envoy's fraction into a percentage; Envoy reads a missing one as every request.
func percent(p *typev3.FractionalPercent) float64 {
	if p == nil {
		return 100
	}
	n := float64(p.GetNumerator())
	switch p.GetDenominator() {
	case typev3.FractionalPercent_TEN_THOUSAND:
		return n / 100
	case typev3.FractionalPercent_MILLION:
		return n / 10000
	}
	return n
}

func headers(reqAdd []*corev3.HeaderValueOption, reqRemove []string, respAdd []*corev3.HeaderValueOption, respRemove []string) *eval.Headers {
	return &eval.Headers{
		RequestAdd:     headerMap(reqAdd),
		RequestRemove:  slices.Clone(reqRemove),
		ResponseAdd:    headerMap(respAdd),
		ResponseRemove: slices.Clone(respRemove),
	}
}

func headerMap(opts []*corev3.HeaderValueOption) map[string]string {
	if len(opts) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, o := range opts {
		out[o.GetHeader().GetKey()] = o.GetHeader().GetValue()
	}
	return out
}

func cors(c *corsv3.CorsPolicy) *eval.CORS {
	out := &eval.CORS{AllowMethods: split(c.GetAllowMethods()), AllowHeaders: split(c.GetAllowHeaders()), ExposeHeaders: split(c.GetExposeHeaders())}
	for _, m := range c.GetAllowOriginStringMatch() {
		switch {
		case m.GetExact() != "":
			out.AllowOrigins = append(out.AllowOrigins, "exact:"+m.GetExact())
		case m.GetPrefix() != "":
			out.AllowOrigins = append(out.AllowOrigins, "prefix:"+m.GetPrefix())
		case m.GetSafeRegex() != nil:
			out.AllowOrigins = append(out.AllowOrigins, "regex:"+m.GetSafeRegex().GetRegex())
		}
	}
	if s, err := strconv.ParseInt(c.GetMaxAge(), 10, 64); err == nil {
		out.MaxAge = (time.Duration(s) * time.Second).String()
	}
	if c.GetAllowCredentials() != nil {
		v := c.GetAllowCredentials().GetValue()
		out.AllowCredentials = &v
	}
	return out
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
