package compiler

// routePolicies are the route policy kinds meshroute compiles (routepolicies.go and one file per
// kind), in docs order.
var routePolicies = []compiledPolicy{
	retryTimeoutPolicy,
	faultInjectionPolicy,
	headerManipulationPolicy,
	corsPolicy,
	mirrorPolicy,
}

// The route policy kinds, as schema.PolicyKinds names them.
const (
	kindRetryTimeout       = "RetryTimeoutPolicy"
	kindFaultInjection     = "FaultInjectionPolicy"
	kindHeaderManipulation = "HeaderManipulationPolicy"
	kindCORS               = "CORSPolicy"
	kindMirror             = "MirrorPolicy"
)
