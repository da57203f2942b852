package schema

import (
	"encoding/json"
	"slices"
	"strings"
)

// The *.policy.gloo.solo.io/v2 kinds (solo-apis gloo-mesh-v2.6.x, api/gloo.solo.io/policy/v2).
// Each is loaded like the routing kinds: strict JSON Schema (schemas/policy-<kind>.json), positions,
// did-you-mean. Their selectors are typed here so one selector engine serves every kind; the rest
// of the spec is kept raw (Config) for the stages that compile a kind.
// The schemas' structure (fields, JSON names, enums as names and numbers, oneofs as "at most
// one") was derived from the protos of that branch, with no proto text; the limits Gloo states
// only in prose (percentages 0–100, abort status 200–599, maxEjectionPercent) were added to it.

// Policy API groups.
const (
	PolicyGroupResilience     = "resilience.policy.gloo.solo.io/v2"
	PolicyGroupTrafficControl = "trafficcontrol.policy.gloo.solo.io/v2"
	PolicyGroupSecurity       = "security.policy.gloo.solo.io/v2"
	PolicyGroupObservability  = "observability.policy.gloo.solo.io/v2"
	PolicyGroupExtensions     = "extensions.policy.gloo.solo.io/v2"
)

// Policy effects: what ignoring a kind would do to traffic (docs/policies.md).
const (
	// EffectTraffic: ignoring the policy changes where or whether requests flow (error MR4017).
	EffectTraffic = "traffic"
	// EffectBehaviour: ignoring it changes how requests are treated, not where they go (warning MR4018).
	EffectBehaviour = "behaviour"
)

// PolicyKind is one policy kind: its API group, what it attaches to, and the effect of ignoring it.
type PolicyKind struct {
	APIVersion string
	Kind       string
	// Attach lists the spec selector fields the kind has (applyToRoutes, applyToDestinations,
	// applyToRouteDestinations, applyToListeners, applyToWorkloads), for the docs.
	Attach []string
	Effect string
	// Why says in a few words what ignoring the kind does.
	Why string
}

// The selector fields of policy specs (PolicyKind.Attach).
const (
	AttachRoutes            = "applyToRoutes"
	AttachDestinations      = "applyToDestinations"
	AttachRouteDestinations = "applyToRouteDestinations"
	AttachListeners         = "applyToListeners"
	AttachWorkloads         = "applyToWorkloads"
)

const (
	onRoutes       = AttachRoutes
	onDestinations = AttachDestinations
	onRouteDests   = AttachRouteDestinations
	onListeners    = AttachListeners
	onWorkloads    = AttachWorkloads
)

// PolicyKinds is every policy kind of the Gloo API, grouped by API group. None is compiled yet.
var PolicyKinds = []PolicyKind{
	{PolicyGroupResilience, "ActiveHealthCheckPolicy", []string{onDestinations}, EffectTraffic, "unhealthy endpoints would keep receiving requests"},
	{PolicyGroupResilience, "AdaptiveRequestConcurrencyPolicy", []string{onDestinations}, EffectTraffic, "requests over the concurrency limit would not be refused"},
	{PolicyGroupResilience, "ConnectionPolicy", []string{onDestinations}, EffectTraffic, "connection limits and timeouts would not refuse or cut requests"},
	{PolicyGroupResilience, "FailoverPolicy", []string{onDestinations}, EffectTraffic, "requests would go to any locality instead of failing over in order"},
	{PolicyGroupResilience, "FaultInjectionPolicy", []string{onRoutes}, EffectTraffic, "injected aborts would not answer requests"},
	{PolicyGroupResilience, "GraphQLPersistedQueryCachePolicy", []string{onRoutes}, EffectBehaviour, "persisted GraphQL queries would not be cached"},
	{PolicyGroupResilience, "ListenerConnectionPolicy", []string{onListeners}, EffectBehaviour, "listener buffer limits and keepalive would not be set"},
	{PolicyGroupResilience, "OutlierDetectionPolicy", []string{onDestinations}, EffectTraffic, "failing endpoints would not be ejected, so traffic never fails over"},
	{PolicyGroupResilience, "RetryTimeoutPolicy", []string{onRoutes}, EffectTraffic, "requests would not be retried or timed out as Gloo does"},
	{PolicyGroupResilience, "TrimProxyConfigPolicy", []string{onWorkloads}, EffectBehaviour, "sidecars would receive configuration for every host"},
	{PolicyGroupSecurity, "AccessPolicy", []string{onDestinations, onWorkloads}, EffectTraffic, "clients Gloo refuses would be let through"},
	{PolicyGroupSecurity, "CORSPolicy", []string{onRoutes}, EffectBehaviour, "browsers would not get the CORS answers Gloo gives"},
	{PolicyGroupSecurity, "CSRFPolicy", []string{onRoutes}, EffectTraffic, "cross-site requests Gloo refuses would be let through"},
	{PolicyGroupSecurity, "ClientTLSPolicy", []string{onDestinations}, EffectTraffic, "connections to the destination would use other TLS settings and may fail"},
	{PolicyGroupSecurity, "DLPPolicy", []string{onRoutes}, EffectBehaviour, "sensitive data would not be masked"},
	{PolicyGroupSecurity, "ExtAuthPolicy", []string{onRoutes, onDestinations}, EffectTraffic, "requests would not be authenticated"},
	{PolicyGroupSecurity, "GraphQLAllowedQueryPolicy", []string{onRoutes}, EffectTraffic, "GraphQL queries Gloo refuses would be let through"},
	{PolicyGroupSecurity, "JWTPolicy", []string{onRoutes, onDestinations}, EffectTraffic, "requests without a valid JWT would be let through"},
	{PolicyGroupSecurity, "WAFPolicy", []string{onRoutes}, EffectTraffic, "requests the firewall refuses would be let through"},
	{PolicyGroupTrafficControl, "HTTPBufferPolicy", []string{onRoutes}, EffectTraffic, "requests over the size limit would not be refused"},
	{PolicyGroupTrafficControl, "HeaderManipulationPolicy", []string{onRoutes, onRouteDests}, EffectBehaviour, "headers would not be added or removed"},
	{PolicyGroupTrafficControl, "LoadBalancerPolicy", []string{onDestinations}, EffectTraffic, "requests would be balanced over endpoints differently"},
	{PolicyGroupTrafficControl, "MirrorPolicy", []string{onRoutes}, EffectTraffic, "requests would not be mirrored"},
	{PolicyGroupTrafficControl, "ProxyProtocolPolicy", []string{onListeners}, EffectTraffic, "the gateway would not read the PROXY protocol header, so connections fail"},
	{PolicyGroupTrafficControl, "RateLimitClientConfig", nil, EffectTraffic, "the rate limits of the policies using it would not apply"},
	{PolicyGroupTrafficControl, "RateLimitPolicy", []string{onRoutes, onDestinations}, EffectTraffic, "requests over the rate limit would be let through"},
	{PolicyGroupTrafficControl, "TransformationPolicy", []string{onRoutes}, EffectTraffic, "requests would not be transformed, and may be routed elsewhere"},
	{PolicyGroupObservability, "AccessLogPolicy", []string{onWorkloads}, EffectBehaviour, "requests would not be logged"},
	{PolicyGroupExtensions, "LuaPolicy", []string{onRoutes, onDestinations}, EffectTraffic, "the Lua filter, which may answer or reroute requests, would not run"},
	{PolicyGroupExtensions, "WasmDeploymentPolicy", []string{onWorkloads}, EffectTraffic, "the Wasm filters, which may answer or reroute requests, would not run"},
}

// LookupPolicyKind returns the policy kind of an object's apiVersion and kind.
func LookupPolicyKind(apiVersion, kind string) (PolicyKind, bool) {
	for _, k := range PolicyKinds {
		if k.APIVersion == apiVersion && k.Kind == kind {
			return k, true
		}
	}
	return PolicyKind{}, false
}

// Attaches reports whether the kind has the selector field (one of the Attach constants).
func (k PolicyKind) Attaches(field string) bool { return slices.Contains(k.Attach, field) }

func policyKindSchemas() []kindSchema {
	out := make([]kindSchema, len(PolicyKinds))
	for i, k := range PolicyKinds {
		out[i] = kindSchema{k.APIVersion, k.Kind, "policy-" + strings.ToLower(k.Kind) + ".json"}
	}
	return out
}

// Policy is a loaded policy object of any kind.
type Policy struct {
	Object
	Spec PolicySpec
}

// PolicySpec holds the selectors every policy kind shares; Config, and the listener and workload
// selectors nothing resolves yet, stay raw until a stage compiles the kind. The loader reports
// the selector fields the engine ignores (workspace) as MR1005, as on the routing kinds.
type PolicySpec struct {
	ApplyToRoutes            []RouteSelector            `json:"applyToRoutes,omitempty"`
	ApplyToDestinations      []DestinationSelector      `json:"applyToDestinations,omitempty"`
	ApplyToRouteDestinations []RouteDestinationSelector `json:"applyToRouteDestinations,omitempty"`
	ApplyToListeners         json.RawMessage            `json:"applyToListeners,omitempty"`
	ApplyToWorkloads         json.RawMessage            `json:"applyToWorkloads,omitempty"`
	Config                   json.RawMessage            `json:"config,omitempty"`
	// ClientTLSPolicy sets its mode beside the selectors, not under config.
	Disable     json.RawMessage `json:"disable,omitempty"`
	Simple      json.RawMessage `json:"simple,omitempty"`
	Mutual      json.RawMessage `json:"mutual,omitempty"`
	IstioMutual json.RawMessage `json:"istioMutual,omitempty"`
	// Raw is RateLimitClientConfig's rate-limit configuration.
	Raw json.RawMessage `json:"raw,omitempty"`
}

// RouteSelector selects routes by labels or by the destinations they forward to (one of the two).
type RouteSelector struct {
	Route            *RouteLabelSelector  `json:"route,omitempty"`
	WithDestinations *DestinationSelector `json:"withDestinations,omitempty"`
}

// RouteLabelSelector selects routes carrying every one of Labels, in tables of that namespace and
// cluster (empty: any).
type RouteLabelSelector struct {
	Labels    map[string]string `json:"labels,omitempty"`
	Namespace string            `json:"namespace,omitempty"`
	Cluster   string            `json:"cluster,omitempty"`
	Workspace string            `json:"workspace,omitempty"`
}

// DestinationSelector selects destinations of one kind (SERVICE when left out) by metadata,
// and one port of them (every port when left out).
type DestinationSelector struct {
	Selector *ObjectSelector `json:"selector,omitempty"`
	Kind     string          `json:"kind,omitempty"`
	Port     *PortSelector   `json:"port,omitempty"`
}

// DestinationKind returns Kind with its default applied.
func (d *DestinationSelector) DestinationKind() string {
	if d.Kind == "" {
		return DestService
	}
	return d.Kind
}

// RouteDestinationSelector selects the destinations of selected routes (HeaderManipulationPolicy).
type RouteDestinationSelector struct {
	Route          *RouteLabelSelector   `json:"route,omitempty"`
	OnDestinations []DestinationSelector `json:"onDestinations,omitempty"`
}
