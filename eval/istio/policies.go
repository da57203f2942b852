package istio

import (
	"maps"
	"slices"
	"time"

	networking "istio.io/api/networking/v1"

	"github.com/meshroute/meshroute/eval"
	"github.com/meshroute/meshroute/internal/retryon"
)

// policies reads what the forwarding route r does besides choosing destinations, as istiod would
// configure Envoy from it (eval.Policies): no retries field means Istio's default retries;
// attempts 0 means none.
func (e *Evaluator) policies(r *networking.HTTPRoute) *eval.Policies {
	out := &eval.Policies{Timeout: eval.DurationString(r.GetTimeout().AsDuration()), Retries: retries(r.GetRetries())}
	if f := r.GetFault(); f != nil {
		out.Fault = &eval.Fault{}
		if d := f.GetDelay(); d != nil {
			out.Fault.Delay = &eval.FaultDelay{FixedDelay: eval.DurationString(d.GetFixedDelay().AsDuration()), Percentage: percent(d.GetPercentage())}
		}
		if a := f.GetAbort(); a != nil {
			out.Fault.Abort = &eval.FaultAbort{HTTPStatus: uint32(a.GetHttpStatus()), Percentage: percent(a.GetPercentage())}
		}
	}
	h := headers(r.GetHeaders())
	if ds := r.GetRoute(); len(ds) == 1 {
		// One destination becomes a plain cluster: istiod puts its headers on the route.
		h = mergeHeaders(h, headers(ds[0].GetHeaders()))
	}
	out.Headers = h.NonEmpty()
	out.CORS = cors(r.GetCorsPolicy())
	if m := r.GetMirror(); m != nil {
		// Without mirrorPercentage istiod mirrors every request.
		pct := 100.0
		if r.GetMirrorPercentage() != nil {
			pct = r.GetMirrorPercentage().GetValue()
		}
		out.Mirror = &eval.Mirror{Percentage: pct, Destination: eval.Destination{
			Host: m.GetHost(), Port: m.GetPort().GetNumber(), Subset: m.GetSubset(), Source: e.source(m.GetHost()),
		}}
	}
	return out
}

func retries(r *networking.HTTPRetry) *eval.Retries {
	if r == nil {
		return eval.DefaultRetries()
	}
	if r.GetAttempts() <= 0 {
		return nil
	}
	out := eval.DefaultRetries()
	out.Attempts = uint32(r.GetAttempts())
	if r.GetRetryOn() != "" {
		out.RetryOn, out.StatusCodes = retryon.Split(r.GetRetryOn())
	}
	if r.GetPerTryTimeout() != nil {
		out.PerTryTimeout = eval.DurationString(r.GetPerTryTimeout().AsDuration())
	}
	out.RemoteLocalities = r.GetRetryRemoteLocalities().GetValue()
	return out
}

// percent: Istio reads a fault without a percentage as every request.
func percent(p *networking.Percent) float64 {
	if p == nil {
		return 100
	}
	return p.GetValue()
}

func headers(h *networking.Headers) *eval.Headers {
	if h == nil {
		return nil
	}
	return &eval.Headers{
		RequestAdd:     maps.Clone(h.GetRequest().GetAdd()),
		RequestRemove:  slices.Clone(h.GetRequest().GetRemove()),
		ResponseAdd:    maps.Clone(h.GetResponse().GetAdd()),
		ResponseRemove: slices.Clone(h.GetResponse().GetRemove()),
	}
}

func mergeHeaders(a, b *eval.Headers) *eval.Headers {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	join := func(x, y map[string]string) map[string]string {
		out := maps.Clone(x)
		if out == nil {
			out = map[string]string{}
		}
		maps.Copy(out, y)
		return out
	}
	return &eval.Headers{
		RequestAdd:     join(a.RequestAdd, b.RequestAdd),
		RequestRemove:  append(slices.Clone(a.RequestRemove), b.RequestRemove...),
		ResponseAdd:    join(a.ResponseAdd, b.ResponseAdd),
		ResponseRemove: append(slices.Clone(a.ResponseRemove), b.ResponseRemove...),
	}
}

func cors(c *networking.CorsPolicy) *eval.CORS {
	if c == nil {
		return nil
	}
	out := &eval.CORS{AllowMethods: c.GetAllowMethods(), AllowHeaders: c.GetAllowHeaders(), ExposeHeaders: c.GetExposeHeaders()}
	for _, o := range c.GetAllowOrigins() {
		switch m := o.GetMatchType().(type) {
		case *networking.StringMatch_Exact:
			out.AllowOrigins = append(out.AllowOrigins, "exact:"+m.Exact)
		case *networking.StringMatch_Prefix:
			out.AllowOrigins = append(out.AllowOrigins, "prefix:"+m.Prefix)
		case *networking.StringMatch_Regex:
			out.AllowOrigins = append(out.AllowOrigins, "regex:"+m.Regex)
		}
	}
	if c.GetMaxAge() != nil {
		// Envoy's max_age is whole seconds.
		out.MaxAge = c.GetMaxAge().AsDuration().Truncate(time.Second).String()
	}
	if c.GetAllowCredentials() != nil {
		v := c.GetAllowCredentials().GetValue()
		out.AllowCredentials = &v
	}
	return out
}
