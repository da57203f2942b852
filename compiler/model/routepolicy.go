package model

import "time"

// RoutePolicies are what the route policies that won a flattened route add to it
// (compiler/routepolicies.go), with Gloo's defaults already applied. The zero value adds nothing:
// the data plane's own defaults apply (no timeout, Istio's default retries).
type RoutePolicies struct {
	// Timeout is the whole request's timeout (RetryTimeoutPolicy requestTimeout); 0 is none.
	Timeout time.Duration
	// Retries replace the data plane's default retries; nil keeps them.
	Retries *Retries
	Fault   *Fault
	// Headers change the request and the response on the whole route.
	Headers *Headers
	// DestinationHeaders change them per forwardTo destination (applyToRouteDestinations):
	// index-aligned with Forward.Destinations, nil where none applies; nil when none does.
	DestinationHeaders []*Headers
	CORS               *CORS
	Mirror             *Mirror
	// Applied are the policies that apply to the route, in compiled-kind order, for explain.
	Applied []AppliedPolicy
}

// AppliedPolicy is one policy that applies to a route: to the whole route, or (Destinations set)
// to those forwardTo destinations only.
type AppliedPolicy struct {
	Origin       Origin
	Destinations []int
}

// Retries is a route's retry policy. Attempts 0 disables retries.
type Retries struct {
	Attempts uint32
	// PerTryTimeout 0 is none; RetryOn empty keeps the data plane's default conditions.
	PerTryTimeout         time.Duration
	RetryOn               string
	RetryRemoteLocalities bool
}

// Fault injects a delay and/or an abort into a share of the requests; at least one is set.
type Fault struct {
	Delay *FaultDelay
	Abort *FaultAbort
}

// FaultDelay delays Percentage (0–100) of the requests by Fixed.
type FaultDelay struct {
	Fixed      time.Duration
	Percentage float64
}

// FaultAbort answers Percentage (0–100) of the requests with Status.
type FaultAbort struct {
	Status     uint32
	Percentage float64
}

// Headers are header changes; names are lower case, Add is sorted by name and Remove sorted.
type Headers struct {
	RequestAdd     []Header
	RequestRemove  []string
	ResponseAdd    []Header
	ResponseRemove []string
}

// Header is one header to append.
type Header struct{ Name, Value string }

// CORS is a route's cross-origin policy.
type CORS struct {
	// AllowOrigins are OR-ed; Kind is MatchExact, MatchPrefix or MatchRegex (Gloo's suffix and
	// ignoreCase forms are already regexes).
	AllowOrigins  []OriginMatch
	AllowMethods  []string
	AllowHeaders  []string
	ExposeHeaders []string
	// MaxAge is how long a preflight answer may be cached; nil leaves the header out.
	MaxAge           *time.Duration
	AllowCredentials *bool
}

// OriginMatch is one allowed origin pattern.
type OriginMatch struct {
	Kind  string
	Value string
}

// Mirror sends a copy of Percentage (0–100) of the requests to Destination, whose answer is
// ignored.
type Mirror struct {
	Destination *Destination
	Percentage  float64
}
