// Package routetest is `meshroute test` and `meshroute explain`: the RouteTest file format and
// its JSON Schema, loading with positions, expansion of request combinations, the runner that
// evaluates each case on the emitted config (eval/istio or eval/envoy), coverage, and the
// text/JSON/JUnit reports.
package routetest

import (
	_ "embed"
	"slices"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/eval"
)

// APIVersion and Kind of a test file.
const (
	APIVersion = "meshroute.dev/v1alpha1"
	Kind       = "RouteTest"
)

//go:embed routetest.schema.json
var jsonSchema []byte

// JSONSchema returns the RouteTest JSON Schema (draft 2020-12), for `meshroute schema RouteTest`.
func JSONSchema() []byte { return slices.Clone(jsonSchema) }

// Test is one entry of spec.tests.
type Test struct {
	Name    string `json:"name"`
	Cluster string `json:"cluster,omitempty"`
	// Clusters runs the test in each cluster (an alternative to Cluster), expanded like hosts.
	Clusters []string `json:"clusters,omitempty"`
	Gateway  string   `json:"gateway,omitempty"`
	Mesh     *Mesh    `json:"mesh,omitempty"`
	From     *From    `json:"from,omitempty"`
	Port     uint32   `json:"port,omitempty"`
	Request  Request  `json:"request"`
	Expect   Expect   `json:"expect"`
	// Pos is where the test starts in its file.
	Pos diag.Position `json:"-"`
}

// Mesh names the sidecar a mesh request leaves from: its namespace and pod labels.
type Mesh struct {
	Namespace string            `json:"namespace"`
	Labels    map[string]string `json:"labels,omitempty"`
}

// From is the client's identity: a service account (namespace/name) of a cluster (default: the
// test's).
type From struct {
	ServiceAccount string `json:"serviceAccount"`
	Cluster        string `json:"cluster,omitempty"`
}

// Request: host/hosts, path/paths and method/methods are alternatives; lists expand.
type Request struct {
	// Protocol is http (the default), tcp or tls: a tcp or tls connection leaves a sidecar
	// (mesh) for host on the test's port; tls also sends SNI (default: the host).
	Protocol string            `json:"protocol,omitempty"`
	SNI      string            `json:"sni,omitempty"`
	Host     string            `json:"host,omitempty"`
	Hosts    []string          `json:"hosts,omitempty"`
	Path     string            `json:"path,omitempty"`
	Paths    []string          `json:"paths,omitempty"`
	Method   string            `json:"method,omitempty"`
	Methods  []string          `json:"methods,omitempty"`
	Headers  map[string]string `json:"headers,omitempty"`
	Query    map[string]string `json:"query,omitempty"`
}

// Expect holds exactly one outcome, plus optional rewrite and route checks.
type Expect struct {
	Destination    *Destination    `json:"destination,omitempty"`
	Destinations   []Destination   `json:"destinations,omitempty"`
	Redirect       *Redirect       `json:"redirect,omitempty"`
	DirectResponse *DirectResponse `json:"directResponse,omitempty"`
	NotFound       bool            `json:"notFound,omitempty"`
	Rewrite        *Rewrite        `json:"rewrite,omitempty"`
	Route          string          `json:"route,omitempty"`
	// What route policies make of a forwarded request (policies.go); left out, not checked.
	Timeout *string        `json:"timeout,omitempty"`
	Retries *ExpectRetries `json:"retries,omitempty"`
	Fault   *eval.Fault    `json:"fault,omitempty"`
	Headers *ExpectHeaders `json:"headers,omitempty"`
	Mirror  *ExpectMirror  `json:"mirror,omitempty"`
	// Egress is what the egress gateway does with a mesh request whose single destination is
	// that gateway's Service (the second hop); left out, not checked.
	Egress *Expect `json:"egress,omitempty"`
	// Allowed is whether every destination admits the client (access.go); left out, not checked.
	Allowed *bool `json:"allowed,omitempty"`
}

// Destination is an expected destination; empty fields accept anything.
type Destination struct {
	Kind      string  `json:"kind"`
	Name      string  `json:"name"`
	Namespace string  `json:"namespace,omitempty"`
	Cluster   string  `json:"cluster,omitempty"`
	Port      uint32  `json:"port,omitempty"`
	Subset    *Subset `json:"subset,omitempty"`
	Weight    uint32  `json:"weight,omitempty"`
	// Priorities are the failover priority (0 first) of each backing cluster's endpoints for a
	// client in the test's cluster; Weights their share under a distribute setting
	// (endpoints.go). Left out: not checked.
	Priorities map[string]uint32 `json:"priorities,omitempty"`
	Weights    map[string]uint32 `json:"weights,omitempty"`
	// Headers are changes made for this weighted destination only (policies.go).
	Headers *ExpectHeaders `json:"headers,omitempty"`
}

// Redirect is an expected redirect; fields left out are not checked.
type Redirect struct {
	// Scheme is the scheme the redirect sets ("https" for an httpsRedirect listener).
	Scheme string `json:"scheme,omitempty"`
	Host   string `json:"host,omitempty"`
	Path   string `json:"path,omitempty"`
	Code   uint32 `json:"code,omitempty"`
}

// DirectResponse is an expected direct response; a nil Body is not checked.
type DirectResponse struct {
	Status uint32  `json:"status"`
	Body   *string `json:"body,omitempty"`
}

// Rewrite is an expected rewrite of the forwarded request; fields left out are not checked.
type Rewrite struct {
	Path string `json:"path,omitempty"`
	Host string `json:"host,omitempty"`
}
