package eval

import (
	"net/http"
	"slices"
	"time"
)

// Policies is what a forwarding route does to a request besides choosing where it goes, read
// from the emitted config in the data plane's own terms, so that both evaluators describe the
// same behaviour the same way: Istio's implicit default retries are spelled out, the status
// codes in a retryOn are split off as istiod splits them, and durations are Go durations.
type Policies struct {
	Timeout string   `json:"timeout,omitempty"` // empty: none
	Retries *Retries `json:"retries,omitempty"` // nil: no retries
	Fault   *Fault   `json:"fault,omitempty"`
	// Headers are the route's own header changes (a single destination's are merged in, as
	// istiod does); a weighted destination's are on Destination.Headers.
	Headers *Headers `json:"headers,omitempty"`
	CORS    *CORS    `json:"cors,omitempty"`
	// Mirror is where a copy of the request goes; Destination.Weight is unused.
	Mirror *Mirror `json:"mirror,omitempty"`
}

// Mirror sends a copy of Percentage (0–100) of the requests to Destination.
type Mirror struct {
	Destination Destination `json:"destination"`
	Percentage  float64     `json:"percentage"`
}

// Retries is how a failed request is retried.
type Retries struct {
	Attempts         uint32   `json:"attempts"`
	PerTryTimeout    string   `json:"perTryTimeout,omitempty"`
	RetryOn          string   `json:"retryOn"`
	StatusCodes      []uint32 `json:"statusCodes,omitempty"`
	RemoteLocalities bool     `json:"remoteLocalities,omitempty"`
}

// Fault is the delay and abort injected into a share of the requests.
type Fault struct {
	Delay *FaultDelay `json:"delay,omitempty"`
	Abort *FaultAbort `json:"abort,omitempty"`
}

// FaultDelay delays Percentage (0–100) of the requests.
type FaultDelay struct {
	FixedDelay string  `json:"fixedDelay"`
	Percentage float64 `json:"percentage"`
}

// FaultAbort answers Percentage (0–100) of the requests with HTTPStatus.
type FaultAbort struct {
	HTTPStatus uint32  `json:"httpStatus"`
	Percentage float64 `json:"percentage"`
}

// Headers are header changes; names lower case, Remove sorted.
type Headers struct {
	RequestAdd     map[string]string `json:"requestAdd,omitempty"`
	RequestRemove  []string          `json:"requestRemove,omitempty"`
	ResponseAdd    map[string]string `json:"responseAdd,omitempty"`
	ResponseRemove []string          `json:"responseRemove,omitempty"`
}

// CORS is the cross-origin policy; AllowOrigins are "exact:…", "prefix:…" or "regex:…".
type CORS struct {
	AllowOrigins     []string `json:"allowOrigins,omitempty"`
	AllowMethods     []string `json:"allowMethods,omitempty"`
	AllowHeaders     []string `json:"allowHeaders,omitempty"`
	ExposeHeaders    []string `json:"exposeHeaders,omitempty"`
	MaxAge           string   `json:"maxAge,omitempty"`
	AllowCredentials *bool    `json:"allowCredentials,omitempty"`
}

// Istio's default retries, which istiod gives every route without retries of its own.
const (
	DefaultRetryAttempts = 2
	DefaultRetryOn       = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes"
)

// DefaultRetries is a fresh copy of Istio's default retries.
func DefaultRetries() *Retries {
	return &Retries{Attempts: DefaultRetryAttempts, RetryOn: DefaultRetryOn, StatusCodes: []uint32{http.StatusServiceUnavailable}}
}

// DurationString is d as a Go duration, or empty for 0 (not set).
func DurationString(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// NonEmpty returns h, or nil when it changes nothing.
func (h *Headers) NonEmpty() *Headers {
	if h == nil || len(h.RequestAdd) == 0 && len(h.RequestRemove) == 0 && len(h.ResponseAdd) == 0 && len(h.ResponseRemove) == 0 {
		return nil
	}
	slices.Sort(h.RequestRemove)
	slices.Sort(h.ResponseRemove)
	return h
}
