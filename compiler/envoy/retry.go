package envoy

import (
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	previoushostsv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/retry/host/previous_hosts/v3"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// Istio's default retry policy (istiod's route/retry DefaultPolicy), which it gives every
// forwarding route with no retries of its own. No route sets retries yet (policies come later),
// so every forwarding route gets it, and both targets fail the same way: two retries on
// connection failures, refused streams and 503s, preferring hosts not tried yet.
const (
	defaultRetryOn            = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes"
	defaultNumRetries         = 2
	defaultRetriableStatus    = 503
	defaultHostSelectAttempts = 5
	previousHostsPredicate    = "envoy.retry_host_predicates.previous_hosts"
)

// defaultRetryPolicy returns a fresh copy per route, so no two routes share a message.
func defaultRetryPolicy() *routev3.RetryPolicy {
	return &routev3.RetryPolicy{
		RetryOn:              defaultRetryOn,
		NumRetries:           wrapperspb.UInt32(defaultNumRetries),
		RetriableStatusCodes: []uint32{defaultRetriableStatus},
		RetryHostPredicate: []*routev3.RetryPolicy_RetryHostPredicate{{
			Name:       previousHostsPredicate,
			ConfigType: &routev3.RetryPolicy_RetryHostPredicate_TypedConfig{TypedConfig: toAny(&previoushostsv3.PreviousHostsPredicate{})},
		}},
		HostSelectionRetryMaxAttempts: defaultHostSelectAttempts,
	}
}
