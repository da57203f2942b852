package compiler

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/schema"
)

// Gloo's RetryTimeoutPolicy default (retry_timeout_policy.proto: "The default value is 2
// retries"), which is also Istio's.
const defaultRetryAttempts = 2

var retryTimeoutPolicy = compiledPolicy{
	Kind:  kindRetryTimeout,
	apply: applyRetryTimeout,
	Fields: []fieldMapping{
		{"`config.requestTimeout`", "`http[].timeout`", "route `timeout`"},
		{"`config.retries.attempts` (left out: 2; 0 disables retries)", "`http[].retries.attempts`", "route `retry_policy.num_retries` (0: no `retry_policy`)"},
		{"`config.retries.perTryTimeout`", "`http[].retries.perTryTimeout`", "`retry_policy.per_try_timeout`"},
		{"`config.retries.retryOn`", "`http[].retries.retryOn`", "`retry_policy.retry_on`, status codes in it → `retriable_status_codes` (as istiod splits them)"},
		{"`config.retries.retryRemoteLocalities`", "`http[].retries.retryRemoteLocalities`", "`retry_policy.retry_priority` `envoy.retry_priorities.previous_priorities`"},
	},
	Notes: []string{
		"A route without a RetryTimeoutPolicy keeps Istio's default retries (2 attempts on connection failures, refused streams and 503) and no timeout, in both targets. " +
			"Timeouts and delays below 1ms or finer than a millisecond are refused as Gloo refuses them (MR4028); a config with neither `retries` nor `requestTimeout`, `attempts: 0` with another retry field, or a `retryOn` entry that is neither a status code nor a condition Istio accepts, is MR4029.",
	},
}

// retryConditions are the retryOn conditions Istio's validation accepts (Envoy's x-envoy-retry-on
// and x-envoy-retry-grpc-on policies); a status code is accepted too.
var retryConditions = []string{"5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx",
	"refused-stream", "retriable-status-codes", "retriable-headers", "envoy-ratelimited", "http3-post-connect-failure",
	"cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable"}

type retryTimeoutConfig struct {
	RequestTimeout string `json:"requestTimeout"`
	Retries        *struct {
		Attempts              *uint32 `json:"attempts"`
		PerTryTimeout         string  `json:"perTryTimeout"`
		RetryOn               string  `json:"retryOn"`
		RetryRemoteLocalities *bool   `json:"retryRemoteLocalities"`
	} `json:"retries"`
}

// retryTimeout is a decoded RetryTimeoutPolicy.
type retryTimeout struct {
	timeout time.Duration
	retries *model.Retries
}

func applyRetryTimeout(b *builder, ci *clusterInfo) {
	applyRouteWinners(b, ci, kindRetryTimeout, decodeRetryTimeout, func(r *model.Route, _ []int, c retryTimeout, _ *schema.Policy) {
		r.Policies.Timeout = c.timeout
		r.Policies.Retries = c.retries
	})
}

func decodeRetryTimeout(b *builder, p *schema.Policy) (retryTimeout, bool) {
	var cfg retryTimeoutConfig
	if !decodeConfig(b, p, &cfg) {
		return retryTimeout{}, false
	}
	if cfg.RequestTimeout == "" && cfg.Retries == nil {
		b.invalidRoutePolicy(p, "/spec/config", "config sets neither retries nor requestTimeout")
		return retryTimeout{}, false
	}
	var out retryTimeout
	ok := true
	if cfg.RequestTimeout != "" {
		out.timeout, ok = b.policyDuration(p, "/spec/config/requestTimeout", cfg.RequestTimeout, time.Millisecond, time.Millisecond)
	}
	if rc := cfg.Retries; rc != nil {
		for cond := range strings.SplitSeq(rc.RetryOn, ",") {
			if n, err := strconv.Atoi(cond); rc.RetryOn != "" && (err != nil || http.StatusText(n) == "") && !slices.Contains(retryConditions, cond) {
				b.invalidRoutePolicy(p, "/spec/config/retries/retryOn", "retryOn "+strconv.Quote(cond)+" is neither a status code nor a condition Istio knows ("+strings.Join(retryConditions, ", ")+")")
				ok = false
			}
		}
		rt := &model.Retries{Attempts: defaultRetryAttempts, RetryOn: rc.RetryOn}
		if rc.Attempts != nil {
			rt.Attempts = *rc.Attempts
		}
		if rt.Attempts == 0 && (rc.PerTryTimeout != "" || rc.RetryOn != "" || rc.RetryRemoteLocalities != nil) {
			b.invalidRoutePolicy(p, "/spec/config/retries/attempts", "retries.attempts 0 disables retries, so perTryTimeout, retryOn and retryRemoteLocalities must be left out")
			ok = false
		}
		if rc.PerTryTimeout != "" {
			d, dok := b.policyDuration(p, "/spec/config/retries/perTryTimeout", rc.PerTryTimeout, time.Millisecond, time.Millisecond)
			rt.PerTryTimeout, ok = d, ok && dok
		}
		rt.RetryRemoteLocalities = rc.RetryRemoteLocalities != nil && *rc.RetryRemoteLocalities
		out.retries = rt
	}
	return out, ok
}
