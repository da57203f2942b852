package istio

import (
	"time"

	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/wrapperspb"
	networking "istio.io/api/networking/v1"

	"github.com/meshroute/meshroute/compiler/model"
)

// setRoutePolicies translates what route policies add to a forwarding route (model.RoutePolicies)
// into its http[] entry and its route[] destinations.
func setRoutePolicies(out *networking.HTTPRoute, p *model.RoutePolicies) {
	if p.Timeout != 0 {
		out.Timeout = durationpb.New(p.Timeout)
	}
	if rt := p.Retries; rt != nil {
		out.Retries = &networking.HTTPRetry{Attempts: int32(rt.Attempts), RetryOn: rt.RetryOn, PerTryTimeout: optDuration(rt.PerTryTimeout)}
		if rt.RetryRemoteLocalities {
			out.Retries.RetryRemoteLocalities = wrapperspb.Bool(true)
		}
	}
	out.Fault = fault(p.Fault)
	out.Headers = headers(p.Headers)
	for i, h := range p.DestinationHeaders {
		if i < len(out.Route) {
			out.Route[i].Headers = headers(h)
		}
	}
	out.CorsPolicy = cors(p.CORS)
	if m := p.Mirror; m != nil {
		out.Mirror = &networking.Destination{Host: m.Destination.Host, Subset: m.Destination.Subset}
		if m.Destination.Port != 0 {
			out.Mirror.Port = &networking.PortSelector{Number: m.Destination.Port}
		}
		out.MirrorPercentage = &networking.Percent{Value: m.Percentage}
	}
}

func optDuration(d time.Duration) *durationpb.Duration {
	if d == 0 {
		return nil
	}
	return durationpb.New(d)
}

func fault(f *model.Fault) *networking.HTTPFaultInjection {
	if f == nil {
		return nil
	}
	out := &networking.HTTPFaultInjection{}
	if d := f.Delay; d != nil {
		out.Delay = &networking.HTTPFaultInjection_Delay{
			HttpDelayType: &networking.HTTPFaultInjection_Delay_FixedDelay{FixedDelay: durationpb.New(d.Fixed)},
			Percentage:    &networking.Percent{Value: d.Percentage},
		}
	}
	if a := f.Abort; a != nil {
		out.Abort = &networking.HTTPFaultInjection_Abort{
			ErrorType:  &networking.HTTPFaultInjection_Abort_HttpStatus{HttpStatus: int32(a.Status)},
			Percentage: &networking.Percent{Value: a.Percentage},
		}
	}
	return out
}

func headers(h *model.Headers) *networking.Headers {
	if h == nil {
		return nil
	}
	out := &networking.Headers{}
	if len(h.RequestAdd) > 0 || len(h.RequestRemove) > 0 {
		out.Request = &networking.Headers_HeaderOperations{Add: headerMap(h.RequestAdd), Remove: h.RequestRemove}
	}
	if len(h.ResponseAdd) > 0 || len(h.ResponseRemove) > 0 {
		out.Response = &networking.Headers_HeaderOperations{Add: headerMap(h.ResponseAdd), Remove: h.ResponseRemove}
	}
	if out.Request == nil && out.Response == nil {
		return nil
	}
	return out
}

func headerMap(hs []model.Header) map[string]string {
	if len(hs) == 0 {
		return nil
	}
	out := make(map[string]string, len(hs))
	for _, h := range hs {
		out[h.Name] = h.Value
	}
	return out
}

func cors(c *model.CORS) *networking.CorsPolicy {
	if c == nil {
		return nil
	}
	out := &networking.CorsPolicy{
		AllowMethods:  c.AllowMethods,
		AllowHeaders:  c.AllowHeaders,
		ExposeHeaders: c.ExposeHeaders,
	}
	for _, o := range c.AllowOrigins {
		switch o.Kind {
		case model.MatchExact:
			out.AllowOrigins = append(out.AllowOrigins, exact(o.Value))
		case model.MatchPrefix:
			out.AllowOrigins = append(out.AllowOrigins, &networking.StringMatch{MatchType: &networking.StringMatch_Prefix{Prefix: o.Value}})
		default:
			out.AllowOrigins = append(out.AllowOrigins, regex(o.Value))
		}
	}
	if c.MaxAge != nil {
		out.MaxAge = durationpb.New(*c.MaxAge)
	}
	if c.AllowCredentials != nil {
		out.AllowCredentials = wrapperspb.Bool(*c.AllowCredentials)
	}
	return out
}
